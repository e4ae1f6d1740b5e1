package catalog

import (
	"net/http"

	"storeops/internal/web"
)

// getProduct answers one on-sale product; anything else is 404.
func (h *handlers) getProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	p, err := h.svc.Product(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return web.WriteJSON(w, http.StatusOK, p)
}

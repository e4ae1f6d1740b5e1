package catalog

import (
	"net/http"

	"storeops/internal/web"
)

// listCategories answers the whole category tree.
func (h *handlers) listCategories(w http.ResponseWriter, r *http.Request) error {
	t, err := h.svc.Tree(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return web.WriteJSON(w, http.StatusOK, t)
}

package customer

import (
	"net/http"

	"storeops/internal/web"
)

// me returns the signed-in customer.
func (h *handlers) me(w http.ResponseWriter, r *http.Request) error {
	c, err := h.svc.Find(r.Context(), customerID(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return web.WriteJSON(w, http.StatusOK, c)
}

package customer

import (
	"net/http"

	"storeops/internal/web"
)

// listAddresses pages through the customer's address book.
func (h *handlers) listAddresses(w http.ResponseWriter, r *http.Request) error {
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Addresses(r.Context(), customerID(r), page)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return web.WriteJSON(w, http.StatusOK, p)
}

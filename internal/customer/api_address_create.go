package customer

import (
	"net/http"

	"storeops/internal/web"
)

// createAddress adds an address to the book.
func (h *handlers) createAddress(w http.ResponseWriter, r *http.Request) error {
	var in AddressInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	a, err := h.svc.CreateAddress(r.Context(), customerID(r), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, a)
}

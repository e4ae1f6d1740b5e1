package customer

import (
	"net/http"

	"storeops/internal/web"
)

// updateAddress replaces one of the customer's addresses.
func (h *handlers) updateAddress(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "address")
	if err != nil {
		return err
	}
	var in AddressInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	a, err := h.svc.UpdateAddress(r.Context(), customerID(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, a)
}

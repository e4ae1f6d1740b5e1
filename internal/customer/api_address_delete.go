package customer

import (
	"net/http"

	"storeops/internal/web"
)

// deleteAddress removes one of the customer's addresses.
func (h *handlers) deleteAddress(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "address")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteAddress(r.Context(), customerID(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

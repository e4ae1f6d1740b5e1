package invoice

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// shopperOrder is the signed-in customer and the order in the path.
func shopperOrder(r *http.Request) (customerID, orderID platform.ID, err error) {
	orderID, err = web.PathID(r, "id", "order")
	return web.PrincipalFrom(r.Context()).CustomerID, orderID, err
}

func (h *handlers) apiRequest(w http.ResponseWriter, r *http.Request) error {
	customerID, orderID, err := shopperOrder(r)
	if err != nil {
		return err
	}
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.s.Request(r.Context(), customerID, orderID, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, v)
}

func (h *handlers) apiGet(w http.ResponseWriter, r *http.Request) error {
	customerID, orderID, err := shopperOrder(r)
	if err != nil {
		return err
	}
	v, err := h.s.ForOrder(r.Context(), customerID, orderID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, v)
}

func (h *handlers) apiUpdate(w http.ResponseWriter, r *http.Request) error {
	customerID, orderID, err := shopperOrder(r)
	if err != nil {
		return err
	}
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.s.Update(r.Context(), customerID, orderID, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

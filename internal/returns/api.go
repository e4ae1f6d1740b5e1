package returns

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// customerOf is the signed-in shopper and the id in the path.
func customerOf(r *http.Request, kind string) (customerID, id platform.ID, err error) {
	id, err = web.PathID(r, "id", kind)
	return web.PrincipalFrom(r.Context()).CustomerID, id, err
}

func (h *handlers) apiRequest(w http.ResponseWriter, r *http.Request) error {
	customerID, orderID, err := customerOf(r, "order")
	if err != nil {
		return err
	}
	var in RequestInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.s.Request(r.Context(), customerID, orderID, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, v)
}

func (h *handlers) apiOrderList(w http.ResponseWriter, r *http.Request) error {
	customerID, orderID, err := customerOf(r, "order")
	if err != nil {
		return err
	}
	vs, err := h.s.ForOrder(r.Context(), customerID, orderID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, vs)
}

func (h *handlers) apiGet(w http.ResponseWriter, r *http.Request) error {
	customerID, id, err := customerOf(r, "return")
	if err != nil {
		return err
	}
	v, err := h.s.ForCustomer(r.Context(), customerID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, v)
}

func (h *handlers) apiShipBack(w http.ResponseWriter, r *http.Request) error {
	customerID, id, err := customerOf(r, "return")
	if err != nil {
		return err
	}
	var in ShipInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.s.ShipBack(r.Context(), customerID, id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

func (h *handlers) apiCancel(w http.ResponseWriter, r *http.Request) error {
	customerID, id, err := customerOf(r, "return")
	if err != nil {
		return err
	}
	v, err := h.s.Cancel(r.Context(), customerID, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

package returns

import (
	"net/http"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// RejectInput is the body of a rejection: the reason the shopper reads.
type RejectInput struct {
	Reason string `json:"reason"`
}

// adminQuery documents the admin list's filters (the console's).
var adminQuery = []web.QueryParam{
	{Name: "status", Description: "requested, approved, shipped_back, received, refunded, exchanged, rejected or cancelled"},
	{Name: "kind", Description: "return, refund_only or exchange"},
	{Name: "reason", Description: "quality, size, not_as_desc, wrong_item, unwanted, damaged, not_received or missing"},
	{Name: "order_no", Description: "exact order number"},
	{Name: "from", Description: "first day requested (YYYY-MM-DD, shop time zone)"},
	{Name: "to", Description: "last day requested (YYYY-MM-DD, shop time zone), inclusive"},
	{Name: "cursor", Description: "next_cursor of the previous page"},
	{Name: "limit", Description: "page size, 1 to 200"},
}

func (h *handlers) adminList(w http.ResponseWriter, r *http.Request) error {
	f, _, err := filterOf(r)
	if err != nil {
		return err
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func (h *handlers) adminGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "return")
	if err != nil {
		return err
	}
	v, err := h.s.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

// staffStep runs one staff action on the request in the path and answers
// with the request after it.
func staffStep(w http.ResponseWriter, r *http.Request, body any, fn func(by audit.Actor, id platform.ID) (Return, error)) error {
	id, err := web.PathID(r, "id", "return")
	if err != nil {
		return err
	}
	if body != nil {
		if err := web.DecodeJSON(r, body); err != nil {
			return err
		}
	}
	v, err := fn(audit.ActorFrom(r), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

func (h *handlers) adminApprove(w http.ResponseWriter, r *http.Request) error {
	return staffStep(w, r, nil, func(by audit.Actor, id platform.ID) (Return, error) { return h.s.Approve(r.Context(), by, id) })
}

func (h *handlers) adminReject(w http.ResponseWriter, r *http.Request) error {
	var in RejectInput
	return staffStep(w, r, &in, func(by audit.Actor, id platform.ID) (Return, error) {
		return h.s.Reject(r.Context(), by, id, in.Reason)
	})
}

func (h *handlers) adminReceive(w http.ResponseWriter, r *http.Request) error {
	var in ReceiveInput
	return staffStep(w, r, &in, func(by audit.Actor, id platform.ID) (Return, error) { return h.s.Receive(r.Context(), by, id, in) })
}

func (h *handlers) adminRefund(w http.ResponseWriter, r *http.Request) error {
	return staffStep(w, r, nil, func(by audit.Actor, id platform.ID) (Return, error) { return h.s.Refund(r.Context(), by, id) })
}

func (h *handlers) adminShipExchange(w http.ResponseWriter, r *http.Request) error {
	var in ShipInput
	return staffStep(w, r, &in, func(by audit.Actor, id platform.ID) (Return, error) { return h.s.ShipExchange(r.Context(), by, id, in) })
}

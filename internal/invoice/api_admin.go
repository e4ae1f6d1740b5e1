package invoice

import (
	"net/http"

	"storeops/internal/audit"
	"storeops/internal/web"
)

// RejectInput is the body of a rejection: the reason the shopper reads.
type RejectInput struct {
	Reason string `json:"reason"`
}

// adminQuery documents the admin list's filters (the console's).
var adminQuery = []web.QueryParam{
	{Name: "status", Description: "requested, issued, rejected or cancelled"},
	{Name: "title_type", Description: "personal or company"},
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

func (h *handlers) adminIssue(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "invoice")
	if err != nil {
		return err
	}
	var in IssueInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.s.Issue(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

func (h *handlers) adminReject(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "invoice")
	if err != nil {
		return err
	}
	var in RejectInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.s.Reject(r.Context(), audit.ActorFrom(r), id, in.Reason)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

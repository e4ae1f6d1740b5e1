package support

import (
	"net/http"

	"storeops/internal/audit"
	"storeops/internal/web"
)

// TicketDetail is a ticket with its conversation.
type TicketDetail struct {
	Ticket
	Messages []Message `json:"messages"`
}

// ReplyInput is the body of a message on a ticket.
type ReplyInput struct {
	Body string `json:"body"`
}

// apiContact opens a ticket from the API: a signed-in shopper's is
// theirs; a guest leaves an email or a phone number.
func (h *handlers) apiContact(w http.ResponseWriter, r *http.Request) error {
	var in NewTicket
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	in.Channel, in.Priority = Web, ""
	in.CustomerID = 0
	if p := web.PrincipalFrom(r.Context()); p != nil {
		in.CustomerID = p.CustomerID
	}
	t, err := h.s.Open(r.Context(), audit.ActorFrom(r), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, t)
}

func (h *handlers) apiMyTickets(w http.ResponseWriter, r *http.Request) error {
	list, err := h.s.CustomerTickets(r.Context(), web.PrincipalFrom(r.Context()).CustomerID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, struct {
		Items []Ticket `json:"items"`
	}{list})
}

func (h *handlers) apiMyTicket(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "ticket")
	if err != nil {
		return err
	}
	t, msgs, err := h.s.ForCustomer(r.Context(), web.PrincipalFrom(r.Context()).CustomerID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, TicketDetail{Ticket: t, Messages: orEmpty(msgs)})
}

func (h *handlers) apiMyReply(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "ticket")
	if err != nil {
		return err
	}
	var in ReplyInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	customerID := web.PrincipalFrom(r.Context()).CustomerID
	if _, err := h.s.CustomerReply(r.Context(), customerID, id, in.Body); err != nil {
		return err
	}
	t, msgs, err := h.s.ForCustomer(r.Context(), customerID, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, TicketDetail{Ticket: t, Messages: orEmpty(msgs)})
}

// SurveyInput is a satisfaction rating: 1 (very unhappy) to 5 (very
// happy) with an optional comment.
type SurveyInput struct {
	Score   int    `json:"score"`
	Comment string `json:"comment,omitempty"`
}

func (h *handlers) apiSurvey(w http.ResponseWriter, r *http.Request) error {
	var in SurveyInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := h.s.Survey(r.Context(), r.PathValue("token"), in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func orEmpty[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

// ticketPath is a shopper's ticket in the API.
const ticketPath = "/api/v1/customers/me/tickets/{id}"

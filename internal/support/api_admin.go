package support

import (
	"net/http"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// adminQuery documents the staff list's filters.
var adminQuery = []web.QueryParam{
	{Name: "status", Description: "open, pending, resolved or closed"},
	{Name: "type", Description: "pre_sale, in_order, after_sale, complaint or suggestion"},
	{Name: "priority", Description: "low, normal, high or urgent"},
	{Name: "channel", Description: "web, email, phone, chat or care"},
	{Name: "active", Description: "1: open and pending only (the backlog)"},
	{Name: "assignee", Description: "staff id of the agent, or \"me\", or \"none\""},
	{Name: "breached", Description: "1: past an SLA deadline"},
	{Name: "q", Description: "words in the subject or the contact's name, email or phone"},
	{Name: "cursor", Description: "next_cursor of the previous page"},
	{Name: "limit", Description: "page size, 1 to 200"},
}

// filterOf reads the list filter from the query.
func filterOf(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	f := Filter{Status: Status(q.Get("status")), Type: Type(q.Get("type")), Priority: Priority(q.Get("priority")),
		Channel: Channel(q.Get("channel")), Active: q.Get("active") == "1", Breached: q.Get("breached") == "1", Q: strings.TrimSpace(q.Get("q"))}
	switch a := q.Get("assignee"); a {
	case "":
	case "me":
		f.AssigneeID = web.PrincipalFrom(r.Context()).StaffID
	case "none":
		f.Unassigned = true
	default:
		id, err := platform.ParseID(a)
		if err != nil {
			return f, platform.Invalid("assignee", "field.invalid")
		}
		f.AssigneeID = id
	}
	page, err := web.PageOf(r)
	if err != nil {
		return f, err
	}
	f.Page = page
	return f, f.Validate()
}

func (h *handlers) adminList(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

// StaffTicket is a ticket as staff see it: everything, notes included.
type StaffTicket struct {
	Ticket
	Cause      string      `json:"cause,omitempty"`
	ProductID  platform.ID `json:"product_id,omitempty"`
	Carrier    string      `json:"carrier,omitempty"`
	Policy     string      `json:"policy,omitempty"`
	TeamID     platform.ID `json:"team_id,omitempty"`
	AssigneeID platform.ID `json:"assignee_id,omitempty"`
	// FirstResponseDue and ResolutionDue are the SLA deadlines.
	FirstResponseDue string         `json:"first_response_due"`
	ResolutionDue    string         `json:"resolution_due"`
	ResponseBreached bool           `json:"response_breached"`
	ResolveBreached  bool           `json:"resolution_breached"`
	Messages         []StaffMessage `json:"messages"`
}

// StaffMessage is a message with its internal flag.
type StaffMessage struct {
	Message
	Internal bool `json:"internal"`
}

func staffView(t Ticket, msgs []Message) StaffTicket {
	out := StaffTicket{Ticket: t, Cause: t.Cause, ProductID: t.ProductID, Carrier: t.Carrier, Policy: t.Policy, TeamID: t.TeamID,
		AssigneeID: t.AssigneeID, FirstResponseDue: t.FirstResponseDue.Format("2006-01-02T15:04:05Z07:00"),
		ResolutionDue: t.ResolutionDue.Format("2006-01-02T15:04:05Z07:00"), ResponseBreached: t.ResponseBreached, ResolveBreached: t.ResolveBreached,
		Messages: []StaffMessage{}}
	for _, m := range msgs {
		out.Messages = append(out.Messages, StaffMessage{Message: m, Internal: m.Internal})
	}
	return out
}

// writeStaff answers with the ticket's staff view.
func (h *handlers) writeStaff(w http.ResponseWriter, r *http.Request, status int, t Ticket) error {
	msgs, err := Messages(r.Context(), h.db.R, t.ID, true)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, status, staffView(t, msgs))
}

func (h *handlers) adminGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "ticket")
	if err != nil {
		return err
	}
	t, err := h.s.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return h.writeStaff(w, r, http.StatusOK, t)
}

// PhoneInput is a phone call an agent logs as a ticket.
type PhoneInput struct {
	CustomerID platform.ID `json:"customer_id,omitempty"`
	Name       string      `json:"name,omitempty"`
	Phone      string      `json:"phone,omitempty"`
	Email      string      `json:"email,omitempty"`
	Type       Type        `json:"type"`
	Priority   Priority    `json:"priority,omitempty"`
	Subject    string      `json:"subject"`
	Body       string      `json:"body"`
	OrderID    platform.ID `json:"order_id,omitempty"`
}

func (h *handlers) adminPhone(w http.ResponseWriter, r *http.Request) error {
	var in PhoneInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	t, err := h.s.Open(r.Context(), audit.ActorFrom(r), NewTicket{CustomerID: in.CustomerID, Name: in.Name, Phone: in.Phone, Email: in.Email,
		Channel: Phone, Type: in.Type, Priority: in.Priority, Subject: in.Subject, Body: in.Body, OrderID: in.OrderID})
	if err != nil {
		return err
	}
	return h.writeStaff(w, r, http.StatusCreated, t)
}

// StaffReplyInput is an agent's reply or note; canned_id fills the body
// from a canned reply with the ticket's variables when body is empty.
type StaffReplyInput struct {
	Body     string      `json:"body"`
	CannedID platform.ID `json:"canned_id,omitempty"`
}

// AssignInput names the agent and/or team.
type AssignInput struct {
	AgentID platform.ID `json:"agent_id,omitempty"`
	TeamID  platform.ID `json:"team_id,omitempty"`
}

// LinkInput is an order to link by its number.
type LinkInput struct {
	OrderNo string `json:"order_no"`
}

// adminAction is the handler of one staff action on the ticket in the
// path.
func (h *handlers) adminAction(action string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		return h.doAction(w, r, action)
	}
}

func (h *handlers) doAction(w http.ResponseWriter, r *http.Request, action string) error {
	id, err := web.PathID(r, "id", "ticket")
	if err != nil {
		return err
	}
	by := audit.ActorFrom(r)
	ctx := r.Context()
	var t Ticket
	switch action {
	case "reply", "note":
		var in StaffReplyInput
		if err := web.DecodeJSON(r, &in); err != nil {
			return err
		}
		body, err := h.s.bodyOf(ctx, id, by, in)
		if err != nil {
			return err
		}
		if action == "reply" {
			t, err = h.s.Reply(ctx, by, id, body)
		} else {
			t, err = h.s.Note(ctx, by, id, body)
		}
		if err != nil {
			return err
		}
	case "assign":
		var in AssignInput
		if err := web.DecodeJSON(r, &in); err != nil {
			return err
		}
		if t, err = h.s.Assign(ctx, by, id, in.AgentID, in.TeamID); err != nil {
			return err
		}
	case "classify":
		var in Classify
		if err := web.DecodeJSON(r, &in); err != nil {
			return err
		}
		if t, err = h.s.Classify(ctx, by, id, in); err != nil {
			return err
		}
	case "resolve":
		if t, err = h.s.Resolve(ctx, by, id); err != nil {
			return err
		}
	case "close":
		if t, err = h.s.Close(ctx, by, id); err != nil {
			return err
		}
	case "orders":
		var in LinkInput
		if err := web.DecodeJSON(r, &in); err != nil {
			return err
		}
		if t, err = h.s.LinkOrder(ctx, by, id, in.OrderNo); err != nil {
			return err
		}
	default:
		return platform.NotFound("action")
	}
	return h.writeStaff(w, r, http.StatusOK, t)
}

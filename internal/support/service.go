package support

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"storeops/internal/audit"
	"storeops/internal/jobs"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service holds the desk's rules; its exported methods own their
// transactions.
type Service struct {
	db   *store.DB
	jobs func() *jobs.Queue
	// publicURL is the shop's address for links in emails
	// (STOREOPS_PUBLIC_URL), "" for site-relative links.
	publicURL string
}

// NewService makes the service over db.
func NewService(db *store.DB) *Service { return &Service{db: db} }

// DB is the service's database.
func (s *Service) DB() *store.DB { return s.db }

// The outbox topics of the desk, with the ticket as payload.
const (
	TopicOpened   = "support.ticket_opened"
	TopicReplied  = "support.ticket_replied"
	TopicResolved = "support.ticket_resolved"
	TopicSLA      = "support.sla_warning"
)

func publish(ctx context.Context, tx *store.Tx, topic string, v Ticket) error {
	payload, err := json.Marshal(struct {
		Ticket
		AssigneeID platform.ID `json:"assignee_id,omitempty"`
		Cause      string      `json:"cause,omitempty"`
	}{v, v.AssigneeID, v.Cause})
	if err != nil {
		return fmt.Errorf("support: event of %d: %w", v.ID, err)
	}
	return outbox.Publish(ctx, tx, outbox.Event{Topic: topic, Key: v.ID.String(), Payload: payload})
}

// contactLimit is how many tickets one customer or address may open in
// contactWindow through the form, the API or email: enough for a real
// conversation, too few to flood the desk.
const (
	contactLimit  = 10
	contactWindow = time.Hour
)

// Open records a new contact as a ticket: its first message, its SLA
// deadlines in working hours and its agent (round-robin among the agents
// with the skill). by is the agent logging a phone call, or the
// customer / system for the other channels; staff writes are audited.
//
// Errors: CodeInvalid (422), CodeNotFound (the order is not the
// customer's), CodeTooMany (429), or a database error.
func (s *Service) Open(ctx context.Context, by audit.Actor, in NewTicket) (Ticket, error) {
	if err := in.Validate(); err != nil {
		return Ticket{}, err
	}
	var out Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = openTx(ctx, tx, by, in)
		return err
	})
	return out, err
}

// openTx opens a validated ticket inside tx.
func openTx(ctx context.Context, tx *store.Tx, by audit.Actor, in NewTicket) (Ticket, error) {
	if in.OrderID != 0 {
		var owner sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT customer_id FROM orders WHERE id = $1`, in.OrderID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && in.CustomerID != 0 && platform.ID(owner.Int64) != in.CustomerID && by.Kind != audit.KindStaff) {
			return Ticket{}, platform.NotFound("order")
		}
		if err != nil {
			return Ticket{}, fmt.Errorf("support: read order %d: %w", in.OrderID, err)
		}
		if in.CustomerID == 0 {
			in.CustomerID = platform.ID(owner.Int64)
		}
	}
	if in.CustomerID != 0 {
		var name, email, mobile sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT name, email, mobile FROM customers WHERE id = $1`, in.CustomerID).Scan(&name, &email, &mobile)
		if errors.Is(err, sql.ErrNoRows) {
			return Ticket{}, platform.NotFound("customer")
		}
		if err != nil {
			return Ticket{}, fmt.Errorf("support: read customer %d: %w", in.CustomerID, err)
		}
		in.Name, in.Email, in.Phone = orDefault(in.Name, name.String), orDefault(in.Email, email.String), orDefault(in.Phone, mobile.String)
	}
	if in.Channel == Web || in.Channel == Email {
		if err := checkFlood(ctx, tx, in); err != nil {
			return Ticket{}, err
		}
	}
	cal, err := Calendar(ctx, tx)
	if err != nil {
		return Ticket{}, err
	}
	ps, err := Policies(ctx, tx)
	if err != nil {
		return Ticket{}, err
	}
	frDue, resDue := deadlines(cal, policyOf(ps, in.Priority), tx.Now)
	teamID, agentID, err := pickAgent(ctx, tx, in.Type, in.Channel)
	if err != nil {
		return Ticket{}, err
	}
	id := tx.NewID()
	var careKey any
	if k, ok := ctx.Value(careKeyCtx{}).(string); ok && k != "" {
		careKey = k
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO support_tickets (id, customer_id, contact_name, contact_email, contact_phone, channel, type, priority,
		status, subject, order_id, team_id, assignee_id, reply_token, first_response_due, resolution_due, care_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)`,
		id, nullID(in.CustomerID), in.Name, in.Email, in.Phone, in.Channel, in.Type, in.Priority, Open, in.Subject,
		nullID(in.OrderID), nullID(teamID), nullID(agentID), token(12), frDue, resDue, careKey, tx.Now)
	if store.IsUniqueViolation(err) && careKey != nil {
		return Ticket{}, errCareDone
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("support: open ticket: %w", err)
	}
	author, authorID := ByCustomer, in.CustomerID
	if in.Channel == Care {
		author, authorID = BySystem, 0
	}
	if _, err := addMessage(ctx, tx, Message{TicketID: id, Author: author, AuthorID: authorID, AuthorName: in.Name, Via: in.Channel, Body: in.Body}); err != nil {
		return Ticket{}, err
	}
	t, err := getTicket(ctx, tx, id)
	if err != nil {
		return Ticket{}, err
	}
	if by.Kind == audit.KindStaff {
		if err := audit.Change(ctx, tx, by, "support.open", "support_ticket", id, nil, t); err != nil {
			return Ticket{}, err
		}
	}
	return t, publish(ctx, tx, TopicOpened, t)
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// checkFlood refuses a contact when the same customer or address opened
// contactLimit tickets within contactWindow.
func checkFlood(ctx context.Context, tx *store.Tx, in NewTicket) error {
	since := tx.Now.Add(-contactWindow)
	var n int
	var err error
	switch {
	case in.CustomerID != 0:
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM support_tickets WHERE customer_id = $1 AND created_at > $2`, in.CustomerID, since).Scan(&n)
	case in.Email != "":
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM support_tickets WHERE contact_email = $1 AND created_at > $2`, in.Email, since).Scan(&n)
	case in.Phone != "":
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM support_tickets WHERE contact_phone = $1 AND created_at > $2`, in.Phone, since).Scan(&n)
	}
	if err != nil {
		return fmt.Errorf("support: count recent contacts: %w", err)
	}
	if n >= contactLimit {
		return platform.E(CodeTooMany)
	}
	return nil
}

// OpenFromChat turns a chat nobody was online to answer into a ticket of
// the chat channel (type pre-sale unless the chat knows better), with
// the conversation so far as its first message. customerID is 0 for a
// guest, who then must have left an email or a phone number.
//
// Errors: as Open.
func (s *Service) OpenFromChat(ctx context.Context, customerID platform.ID, name, email, phone string, typ Type, transcript string) (Ticket, error) {
	return s.Open(ctx, audit.System, NewTicket{CustomerID: customerID, Name: name, Email: email, Phone: phone, Channel: Chat, Type: typ, Body: transcript})
}

// Get is one ticket by id (staff).
//
// Errors: CodeNotFound.
func (s *Service) Get(ctx context.Context, id platform.ID) (Ticket, error) {
	return getTicket(ctx, s.db.R, id)
}

// ForCustomer is one of the customer's tickets with its conversation
// (notes left out). Someone else's ticket is not found, as if it did not
// exist.
//
// Errors: CodeNotFound.
func (s *Service) ForCustomer(ctx context.Context, customerID, id platform.ID) (Ticket, []Message, error) {
	t, err := getTicket(ctx, s.db.R, id)
	if err != nil {
		return Ticket{}, nil, err
	}
	if t.CustomerID == 0 || t.CustomerID != customerID {
		return Ticket{}, nil, platform.NotFound("ticket")
	}
	msgs, err := Messages(ctx, s.db.R, id, false)
	return t, msgs, err
}

// CustomerTickets are the customer's tickets, newest first (at most
// 100: a shopper's history, not a report).
func (s *Service) CustomerTickets(ctx context.Context, customerID platform.ID) ([]Ticket, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+ticketCols+` FROM support_tickets WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100`, customerID)
	if err != nil {
		return nil, fmt.Errorf("support: tickets of customer %d: %w", customerID, err)
	}
	defer rows.Close()
	out := []Ticket{}
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("support: tickets of customer %d: %w", customerID, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

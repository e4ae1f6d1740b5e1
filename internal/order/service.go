package order

import (
	"context"
	"strings"
	"sync"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service is what the console and the staff API do to orders. Each
// exported method owns its transaction and records an audit entry in it.
type Service struct {
	db *store.DB
}

// NewService makes the service over db.
func NewService(db *store.DB) *Service { return &Service{db: db} }

// ActorOf is the transition actor of an audited actor (a staff user in
// the console or API, or the system).
func ActorOf(a audit.Actor) Actor {
	switch a.Kind {
	case audit.KindStaff:
		return Staff(a.StaffID, a.Name)
	case audit.KindSystem, audit.KindCLI:
		return Actor{Kind: ActorSystem, Name: a.Name}
	}
	return Actor{Kind: ActorSystem, Name: a.Name}
}

type statusSnapshot struct {
	Status Status `json:"status"`
}

// Cancel cancels an order that has not shipped (pending payment, paid or
// allocated) with the staff user's reason. Hooks release stock and refund
// payments. Errors: as Transition.
func (s *Service) Cancel(ctx context.Context, by audit.Actor, id platform.ID, reason string) (Change, error) {
	var ch Change
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if ch, err = Transition(ctx, tx, id, Cancelled, ActorOf(by), reason); err != nil {
			return err
		}
		return audit.Change(ctx, tx, by, "order.cancel", "order", id, statusSnapshot{ch.From}, map[string]any{"status": ch.To, "reason": ch.Reason})
	})
	return ch, err
}

// maxNote bounds a note's length.
const maxNote = 2000

// AddNote leaves an internal note on an order. Errors: CodeInvalid (empty
// or longer than 2,000 characters), CodeNotFound, database errors.
func (s *Service) AddNote(ctx context.Context, by audit.Actor, id platform.ID, body string) (Note, error) {
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		return Note{}, platform.Invalid("body", "field.required")
	case utf8.RuneCountInString(body) > maxNote:
		return Note{}, platform.Invalid("body", "field.too_long", maxNote)
	}
	var n Note
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if n, err = AddNoteTx(ctx, tx, by, id, body); err != nil {
			return err
		}
		return audit.Change(ctx, tx, by, "order.note", "order", id, nil, n)
	})
	return n, err
}

// AddNoteTx records a note on an order inside the caller's transaction,
// for domains whose steps belong on the order's timeline (returns).
// Auditing the change is the caller's. Errors: CodeNotFound, database
// errors.
func AddNoteTx(ctx context.Context, tx *store.Tx, by audit.Actor, id platform.ID, body string) (Note, error) {
	if err := exists(ctx, tx, id); err != nil {
		return Note{}, err
	}
	n := Note{ID: tx.NewID(), StaffID: by.StaffID, Author: by.Name, Body: body, CreatedAt: tx.Now}
	var staffID *int64
	if by.StaffID != 0 {
		v := int64(by.StaffID)
		staffID = &v
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO order_notes (id, order_id, staff_id, author, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		n.ID, id, staffID, n.Author, n.Body, n.CreatedAt); err != nil {
		return Note{}, err
	}
	return n, nil
}

func exists(ctx context.Context, q store.Querier, id platform.ID) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM orders WHERE id = $1`, id).Scan(&one)
	return store.NotFound(err, "order")
}

// RefundRequest asks the payment domain to refund part or all of an
// order.
type RefundRequest struct {
	OrderID platform.ID
	Amount  platform.Money
	Reason  string
	By      audit.Actor
	// Key makes the refund idempotent: the same key again is the same
	// refund (empty: the request's id).
	Key string
	// LineIDs limits the refund to these order lines (all when empty).
	LineIDs []platform.ID
}

// Refunder issues a refund: it owns its transaction, the money movement,
// the refunds row and its audit entry.
type Refunder func(ctx context.Context, r RefundRequest) error

var (
	refunderMu sync.RWMutex
	refunder   Refunder
)

// SetRefunder is the hook through which internal/payment takes over the
// console's and the API's refund action (order must not import payment).
// Until it is called, Refund answers CodeRefundUnavailable.
func SetRefunder(fn Refunder) {
	refunderMu.Lock()
	refunder = fn
	refunderMu.Unlock()
}

// Refund hands a refund to the payment domain's Refunder. Errors:
// CodeInvalid (amount not positive, reason empty), CodeRefundUnavailable
// (no refunder registered), or the refunder's.
func (s *Service) Refund(ctx context.Context, r RefundRequest) error {
	r.Reason = strings.TrimSpace(r.Reason)
	switch {
	case r.Amount <= 0:
		return platform.Invalid("amount", "field.invalid")
	case r.Reason == "":
		return platform.Invalid("reason", "field.required")
	}
	refunderMu.RLock()
	fn := refunder
	refunderMu.RUnlock()
	if fn == nil {
		return platform.E(CodeRefundUnavailable)
	}
	return fn(ctx, r)
}

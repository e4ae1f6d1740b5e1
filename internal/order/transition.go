package order

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"storeops/internal/analytics"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// The transition table: from each status, the statuses an order may move
// to. Anything else is CodeIllegalTransition (409).
//
//	pending_payment → paid        the shopper paid
//	pending_payment → allocated   cash on delivery: picked before payment
//	pending_payment → cancelled   unpaid in time, or cancelled by shopper or staff
//	paid            → allocated   stock picked in the warehouse
//	paid            → cancelled   cancelled before picking (payments refund)
//	allocated       → shipped     handed to the carrier
//	allocated       → cancelled   cancelled before shipping (inventory releases)
//	shipped         → delivered   the carrier reports delivery
//	delivered       → completed   the shopper confirms, or the system after a while
//	delivered       → after_sale  a return or complaint, within AfterSaleWindow
//	completed       → after_sale  likewise, still within AfterSaleWindow
//	after_sale      → completed   the case is closed (refunded or rejected)
//
// cancelled is final. Self-transitions are illegal.
var transitions = map[Status][]Status{
	PendingPayment: {Paid, Allocated, Cancelled},
	Paid:           {Allocated, Cancelled},
	Allocated:      {Shipped, Cancelled},
	Shipped:        {Delivered},
	Delivered:      {Completed, AfterSale},
	Completed:      {AfterSale},
	AfterSale:      {Completed},
	Cancelled:      nil,
}

// AfterSaleWindow is how long after delivery a shopper may open an
// after-sale case (七天无理由 plus time for quality claims).
const AfterSaleWindow = 15 * 24 * time.Hour

// Legal reports whether the table has an edge from → to (the after-sale
// window is checked by Transition, against the order's delivery time).
func Legal(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// NextStatuses lists the statuses an order in s may move to.
func NextStatuses(s Status) []Status { return append([]Status(nil), transitions[s]...) }

// ActorKind says who made a change.
type ActorKind string

// The actor kinds recorded on transitions.
const (
	ActorStaff     ActorKind = "staff"
	ActorCustomer  ActorKind = "customer"
	ActorSystem    ActorKind = "system"
	ActorCarrier   ActorKind = "carrier"
	ActorWarehouse ActorKind = "warehouse"
)

// Actor is who moved an order: a staff user or customer with their id, a
// carrier (ID 0, Name the carrier), the warehouse or the system.
type Actor struct {
	Kind ActorKind   `json:"kind"`
	ID   platform.ID `json:"id,omitempty"`
	Name string      `json:"name,omitempty"`
}

// System is the actor of automatic changes (timeouts, schedules).
var System = Actor{Kind: ActorSystem, Name: "system"}

// Staff is a staff user acting.
func Staff(id platform.ID, name string) Actor { return Actor{Kind: ActorStaff, ID: id, Name: name} }

// Customer is the shopper acting.
func Customer(id platform.ID) Actor { return Actor{Kind: ActorCustomer, ID: id} }

// Carrier is a carrier reporting (name like "sf_express" or "顺丰速运").
func Carrier(name string) Actor { return Actor{Kind: ActorCarrier, Name: name} }

func (a Actor) valid() bool {
	switch a.Kind {
	case ActorStaff, ActorCustomer:
		return a.ID != 0
	case ActorSystem, ActorCarrier, ActorWarehouse:
		return true
	}
	return false
}

// Change is one transition as hooks and the outbox event see it.
type Change struct {
	OrderID  platform.ID    `json:"order_id"`
	OrderNo  string         `json:"order_no"`
	From     Status         `json:"from"`
	To       Status         `json:"to"`
	Actor    Actor          `json:"actor"`
	Reason   string         `json:"reason"`
	PlacedAt time.Time      `json:"placed_at"`
	At       time.Time      `json:"at"`
	Total    platform.Money `json:"total"`
	// Data is what the caller added with WithData (a shipment id, a
	// refund amount…).
	Data map[string]any `json:"data,omitempty"`
}

// TopicStatusChanged is the outbox topic of every transition.
const TopicStatusChanged = "order.status_changed"

// TransitionOption adjusts one Transition call.
type TransitionOption func(*transitionOpts)

type transitionOpts struct {
	data map[string]any
}

// WithData adds a member to the change's Data, which hooks and the
// outbox event carry (e.g. "shipment_id").
func WithData(key string, v any) TransitionOption {
	return func(o *transitionOpts) {
		if o.data == nil {
			o.data = map[string]any{}
		}
		o.data[key] = v
	}
}

// maxReason bounds a transition's reason.
const maxReason = 500

// Transition moves order id to status to inside tx: it checks the
// transition table (and the after-sale window), updates the order with a
// conditional UPDATE on the status it read, stamps the status's time
// column, records the transition with actor and reason, runs the hooks
// (OnTransition) and publishes TopicStatusChanged, all in tx.
//
// Errors: CodeInvalid (unknown status, bad actor, reason empty or too
// long), CodeNotFound, CodeIllegalTransition and CodeAfterSaleClosed
// (409), CodeStatusChanged (409) when a concurrent transaction moved the
// order between the read and the update, a hook's error as is, or a
// database error.
func Transition(ctx context.Context, tx *store.Tx, orderID platform.ID, to Status, actor Actor, reason string, opts ...TransitionOption) (Change, error) {
	var o transitionOpts
	for _, opt := range opts {
		opt(&o)
	}
	reason = strings.TrimSpace(reason)
	switch {
	case !to.Valid():
		return Change{}, platform.Invalid("status", "field.invalid")
	case !actor.valid():
		return Change{}, platform.Invalid("actor", "field.invalid")
	case reason == "":
		return Change{}, platform.Invalid("reason", "field.required")
	case utf8.RuneCountInString(reason) > maxReason:
		return Change{}, platform.Invalid("reason", "field.too_long", maxReason)
	}
	var (
		from        Status
		orderNo     string
		total       int64
		placedAt    time.Time
		deliveredAt sql.NullTime
		customerID  platform.ID
	)
	err := tx.QueryRowContext(ctx, `SELECT status, order_no, total, placed_at, delivered_at, customer_id FROM orders WHERE id = $1`, orderID).
		Scan(&from, &orderNo, &total, &placedAt, &deliveredAt, &customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return Change{}, platform.NotFound("order")
	}
	if err != nil {
		return Change{}, fmt.Errorf("order: transition %d: %w", orderID, err)
	}
	if !Legal(from, to) {
		return Change{}, errIllegal(from, to)
	}
	if to == AfterSale && (!deliveredAt.Valid || tx.Now.Sub(deliveredAt.Time) > AfterSaleWindow) {
		return Change{}, platform.Errorf(CodeAfterSaleClosed, "", int(AfterSaleWindow/(24*time.Hour)))
	}
	set := "status = $1, updated_at = $2"
	if col := stampColumn[to]; col != "" {
		set += ", " + col + " = $2"
	}
	res, err := tx.ExecContext(ctx, `UPDATE orders SET `+set+` WHERE id = $3 AND status = $4`, to, tx.Now, orderID, from)
	if err != nil {
		return Change{}, fmt.Errorf("order: transition %d: %w", orderID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return Change{}, fmt.Errorf("order: transition %d: %w", orderID, err)
	} else if n != 1 {
		return Change{}, platform.E(CodeStatusChanged)
	}
	var actorID *int64
	if actor.ID != 0 {
		v := int64(actor.ID)
		actorID = &v
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO order_transitions (id, order_id, from_status, to_status, actor, actor_id, actor_name, reason, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		tx.NewID(), orderID, from, to, actor.Kind, actorID, actor.Name, reason, tx.Now)
	if err != nil {
		return Change{}, fmt.Errorf("order: record transition %d: %w", orderID, err)
	}
	// Whether an order counts as a sale depends on its status: the day's
	// rollups are recomputed.
	if err := analytics.MarkDirty(ctx, tx, customerID, placedAt); err != nil {
		return Change{}, err
	}
	ch := Change{OrderID: orderID, OrderNo: orderNo, From: from, To: to, Actor: actor, Reason: reason,
		PlacedAt: placedAt.UTC(), At: tx.Now, Total: platform.Money(total), Data: o.data}
	if err := runHooks(ctx, tx, ch); err != nil {
		return Change{}, err
	}
	payload, err := json.Marshal(ch)
	if err != nil {
		return Change{}, fmt.Errorf("order: event of %d: %w", orderID, err)
	}
	if err := outbox.Publish(ctx, tx, outbox.Event{Topic: TopicStatusChanged, Key: orderID.String(), Payload: payload}); err != nil {
		return Change{}, err
	}
	return ch, nil
}

// stampColumn is the time column a status sets when an order enters it.
var stampColumn = map[Status]string{
	Paid:      "paid_at",
	Shipped:   "shipped_at",
	Delivered: "delivered_at",
	Completed: "completed_at",
	Cancelled: "cancelled_at",
}

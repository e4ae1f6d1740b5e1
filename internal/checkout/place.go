package checkout

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"storeops/internal/analytics"
	"storeops/internal/cart"
	"storeops/internal/inventory"
	"storeops/internal/order"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// PlaceInput is the body of POST /api/v1/checkout.
type PlaceInput struct {
	Terms
	// PaymentMethod is online, cod or bank_transfer.
	PaymentMethod string `json:"payment_method"`
	// ExpectedTotal is the payable amount (fen) the shopper was shown by
	// the quote; a different price now is a 409 carrying the new one.
	ExpectedTotal *platform.Money `json:"expected_total"`
	Note          string          `json:"note,omitempty"`
	// SessionID is the storefront visit the order came from (the
	// handler takes it from the visit cookie, never from the body).
	SessionID platform.ID `json:"-"`
}

// Placed is a new order.
type Placed struct {
	OrderID   platform.ID    `json:"order_id"`
	OrderNo   string         `json:"order_no"`
	Status    order.Status   `json:"status"`
	Total     platform.Money `json:"total"`
	TotalText string         `json:"total_text"`
	PaymentID platform.ID    `json:"payment_id"`
	Method    string         `json:"payment_method"`
	Provider  string         `json:"provider"`
	// PayBy is when an unpaid order is cancelled (zero for cash on
	// delivery).
	PayBy time.Time `json:"pay_by,omitzero"`
	// Replayed is true when the Idempotency-Key had already placed this
	// order.
	Replayed bool `json:"replayed,omitempty"`
}

// Place turns the customer's selected cart lines into an order (see the
// package doc). key is the request's Idempotency-Key.
func (s *Service) Place(ctx context.Context, customerID platform.ID, key string, in PlaceInput) (*Placed, error) {
	e := platform.E(platform.CodeInvalid)
	in.validate(e)
	switch in.PaymentMethod {
	case MethodOnline:
		if s.cfg.OnlineProvider == "" {
			return nil, platform.E(CodeOnlineUnavailable).With("payment_method", "checkout.method_invalid")
		}
	case MethodCOD, MethodBankTransfer:
	default:
		e.With("payment_method", "checkout.method_invalid")
	}
	if in.ExpectedTotal == nil || *in.ExpectedTotal < 0 {
		e.With("expected_total", "checkout.expected_total")
	}
	if !noteOK(in.Note) {
		e.With("note", "field.too_long", MaxNoteLen)
	}
	if len(e.Fields) > 0 {
		return nil, e
	}
	var p *Placed
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = replay(ctx, tx, customerID, key); err != nil || p != nil {
			return err
		}
		quote, err := s.quote(ctx, tx, customerID, in.Terms)
		if err != nil {
			return err
		}
		if err := quote.Priced.CheckQuote(*in.ExpectedTotal); err != nil {
			return err
		}
		p, err = s.create(ctx, tx, customerID, in, quote)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkout_requests (customer_id, idem_key, order_id, created_at) VALUES ($1, $2, $3, $4)`,
			customerID, key, p.OrderID, tx.Now); err != nil {
			if store.IsUniqueViolation(err) {
				return errKeyTaken // rolled back; see below
			}
			return fmt.Errorf("checkout: record key: %w", err)
		}
		return nil
	})
	if err != nil {
		// A concurrent request with the same key may have committed the
		// order while this one ran (PostgreSQL runs them side by side):
		// then this one saw an empty cart, or lost the race for the key,
		// and answers with that order instead.
		var prior *Placed
		if rerr := s.db.Read(ctx, func(tx *store.Tx) error {
			var err error
			prior, err = replay(ctx, tx, customerID, key)
			return err
		}); rerr == nil && prior != nil {
			return prior, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

var errKeyTaken = errors.New("checkout: idempotency key taken by a concurrent request")

// replay finds the order a key already placed.
func replay(ctx context.Context, tx *store.Tx, customerID platform.ID, key string) (*Placed, error) {
	var id platform.ID
	err := tx.QueryRowContext(ctx, `SELECT order_id FROM checkout_requests WHERE customer_id = $1 AND idem_key = $2`, customerID, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p := &Placed{OrderID: id, Replayed: true}
	err = tx.QueryRowContext(ctx, `SELECT o.order_no, o.status, o.total, COALESCE(p.id, 0), COALESCE(p.method, ''), COALESCE(p.provider, '')
		FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE o.id = $1 ORDER BY p.id LIMIT 1`, id).
		Scan(&p.OrderNo, &p.Status, &p.Total, &p.PaymentID, &p.Method, &p.Provider)
	p.TotalText = platform.FormatCNY(p.Total)
	return p, err
}

// create writes the order, its lines, its first status step, the stock
// reservation, the coupon redemptions and a pending payment, removes the
// lines from the cart and schedules the order's cancellation on queue.
func (s *Service) create(ctx context.Context, tx *store.Tx, customerID platform.ID, in PlaceInput, q *Quote) (*Placed, error) {
	t := q.Priced.Totals
	id := tx.NewID()
	stock := make([]inventory.Line, 0, len(q.Lines))
	for _, l := range q.Lines {
		stock = append(stock, inventory.Line{SKU: l.SKUID, Qty: int64(l.Quantity)})
	}
	p := &Placed{OrderID: id, Status: order.PendingPayment, Total: t.Payable, TotalText: platform.FormatCNY(t.Payable),
		Method: in.PaymentMethod}
	switch in.PaymentMethod {
	case MethodOnline:
		p.PayBy, p.Provider = tx.Now.Add(s.cfg.UnpaidTimeout), s.cfg.OnlineProvider
	case MethodBankTransfer:
		p.PayBy, p.Provider = tx.Now.Add(s.cfg.TransferTimeout), "bank_transfer"
	case MethodCOD:
		p.Provider = "cod"
	}
	hold := p.PayBy
	if hold.IsZero() {
		// Cash on delivery: the stock stays held until the order ships.
		hold = tx.Now.Add(100 * 365 * 24 * time.Hour)
	}
	// Stock and coupons first: they are where concurrent checkouts meet,
	// and the day's order-number counter, locked from NewOrderNo to the
	// commit, should be held for as short a time as possible.
	if _, err := inventory.ReserveUntil(ctx, tx, inventory.OrderRef(id), stock, q.Address.ProvinceCode, hold); err != nil {
		return nil, err
	}
	var applied []pricing.CouponResult
	for _, c := range q.Priced.Coupons {
		if c.Applied {
			applied = append(applied, c)
		}
	}
	if err := s.promos.Redeem(ctx, tx, id, customerID, applied); err != nil {
		return nil, err
	}
	if t.PointsUsed > 0 {
		// The quote checked the balance; a concurrent redemption that
		// spent it since makes this a 409 and rolls the order back.
		if err := currentMembership().RedeemPoints(ctx, tx, id, customerID, t.PointsUsed); err != nil {
			return nil, err
		}
	}
	// Then everything that needs neither the order row nor its number,
	// so that little but the order's own rows and the commit are left
	// once the counter is locked (on PostgreSQL every checkout queues on
	// that one row).
	skus := make([]platform.ID, 0, len(q.Lines))
	for _, l := range q.Lines {
		skus = append(skus, l.SKUID)
	}
	if err := cart.Bought(ctx, tx, q.cartID, skus); err != nil {
		return nil, err
	}
	if err := analytics.MarkDirty(ctx, tx, customerID, tx.Now); err != nil {
		return nil, err
	}
	channel, session, err := attribution(ctx, tx, in.SessionID)
	if err != nil {
		return nil, err
	}
	no, err := order.NewOrderNo(ctx, tx, tx.Now)
	if err != nil {
		return nil, err
	}
	p.OrderNo = no
	var cost platform.Money
	var count int
	for _, l := range q.Lines {
		cost += l.Cost * platform.Money(l.Quantity)
		count += l.Quantity
	}
	discount := t.MemberAdjustment + t.Discount + t.Points
	shipping := t.Shipping - t.ShippingDiscount
	if _, err := tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, channel, session_id,
			items_total, discount_total, shipping_fee, total, cost_total, refunded_total, item_count,
			province_code, province, city, placed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $13, $14, $15, $16, $16, $16)`,
		id, no, customerID, string(order.PendingPayment), channel, session, t.Items, discount, shipping, t.Payable, cost, count,
		q.Address.ProvinceCode, q.Address.Province, q.Address.City, tx.Now); err != nil {
		return nil, fmt.Errorf("checkout: order: %w", err)
	}
	for i, l := range q.Lines {
		pl := q.Priced.Lines[i]
		if pl.SKUID != l.SKUID {
			return nil, fmt.Errorf("checkout: priced line %d is SKU %d, not %d", i, pl.SKUID, l.SKUID)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_lines (id, order_id, product_id, sku_id, category_id, title, spec_text,
				quantity, unit_price, discount, line_total, unit_cost, refunded)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0)`,
			tx.NewID(), id, l.ProductID, l.SKUID, l.CategoryID, l.Title, l.SpecText, l.Quantity, l.UnitPrice,
			pl.ListTotal-pl.Total, pl.Total, l.Cost); err != nil {
			return nil, fmt.Errorf("checkout: order line: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO order_transitions (id, order_id, from_status, to_status, actor, actor_id, actor_name, reason, at)
		VALUES ($1, $2, '', $3, $4, $5, '', $6, $7)`, tx.NewID(), id, string(order.PendingPayment), string(order.ActorCustomer), customerID,
		platform.T(platform.ZH, "checkout.placed_reason"), tx.Now); err != nil {
		return nil, fmt.Errorf("checkout: first status: %w", err)
	}
	p.PaymentID = tx.NewID()
	if _, err := tx.ExecContext(ctx, `INSERT INTO payments (id, order_id, method, provider, amount, status, external_ref, created_at)
		VALUES ($1, $2, $3, $4, $5, 'pending', '', $6)`, p.PaymentID, id, p.Method, p.Provider, t.Payable, tx.Now); err != nil {
		return nil, fmt.Errorf("checkout: payment: %w", err)
	}
	if in.PaymentMethod == MethodCOD {
		if _, err := order.Transition(ctx, tx, id, order.Allocated, order.System, platform.T(platform.ZH, "checkout.cod_confirmed")); err != nil {
			return nil, err
		}
		p.Status = order.Allocated
	}
	payload, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	if err := outbox.Publish(ctx, tx, outbox.Event{Topic: TopicPlaced, Key: id.String(), Payload: payload}); err != nil {
		return nil, err
	}
	return p, nil
}

// TopicPlaced is published for every new order.
const TopicPlaced = "order.placed"

// attribution credits an order to the traffic source of its visit, or to
// direct when the visit is unknown (not yet written by the tracker's
// buffer, or a forged cookie).
func attribution(ctx context.Context, tx *store.Tx, sessionID platform.ID) (string, any, error) {
	if sessionID == 0 {
		return "direct", nil, nil
	}
	var source string
	err := tx.QueryRowContext(ctx, `SELECT source FROM visit_sessions WHERE id = $1`, sessionID).Scan(&source)
	if errors.Is(err, sql.ErrNoRows) {
		return "direct", nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	return source, sessionID, nil
}

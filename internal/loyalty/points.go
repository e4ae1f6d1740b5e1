package loyalty

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// earnFor is the points an order of net fen earns at a tier's multiplier
// (a percent): whole yuan × EarnPerYuan × multiplier ÷ 100, rounded down.
func (r Rules) earnFor(net platform.Money, multiplier int) int64 {
	if net <= 0 {
		return 0
	}
	return int64(net) / 100 * r.EarnPerYuan * int64(multiplier) / 100
}

func (r Rules) withDefaults() Rules {
	if r.EarnPerYuan <= 0 {
		r.EarnPerYuan = DefaultRules.EarnPerYuan
	}
	if r.PerUnit <= 0 || r.UnitValue <= 0 {
		r.PerUnit, r.UnitValue = DefaultRules.PerUnit, DefaultRules.UnitValue
	}
	if r.CapPercent <= 0 || r.CapPercent > 100 {
		r.CapPercent = DefaultRules.CapPercent
	}
	return r
}

// mulDiv is a×b÷c rounded down for non-negative a, b and positive c,
// without overflowing in between.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return math.MaxInt64
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(min(q, math.MaxInt64))
}

// EarnForOrder credits the points a completed order earns: its total net
// of refunds at the customer's tier multiplier, once per order (an order
// completed again after an after-sale case earns nothing more).
func EarnForOrder(ctx context.Context, tx *store.Tx, rules Rules, orderID platform.ID) (int64, error) {
	rules = rules.withDefaults()
	var customerID platform.ID
	var total, refunded int64
	err := tx.QueryRowContext(ctx, `SELECT customer_id, total, refunded_total FROM orders WHERE id = $1`, orderID).Scan(&customerID, &total, &refunded)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, platform.NotFound("order")
	}
	if err != nil {
		return 0, fmt.Errorf("loyalty: order %d: %w", orderID, err)
	}
	if _, err := lockAccount(ctx, tx, customerID); err != nil {
		return 0, err
	}
	tier, err := accountTier(ctx, tx, customerID)
	if err != nil {
		return 0, err
	}
	net := total - refunded
	pts := rules.earnFor(platform.Money(net), tier.PointsMultiplier)
	id, err := credit(ctx, tx, move{Customer: customerID, Kind: KindEarn, Points: pts, Ref: idRef("earn", orderID), OrderID: orderID,
		Basis: net, Actor: "system"})
	if id == 0 {
		return 0, err
	}
	return pts, err
}

// ReverseForRefund takes back what an order earned in proportion to what
// has been refunded of it so far, once per refund. Points already spent
// cannot be taken: the clawback stops at the balance (never below zero).
func ReverseForRefund(ctx context.Context, tx *store.Tx, orderID, refundID platform.ID) (int64, error) {
	var customerID platform.ID
	var total, refunded int64
	err := tx.QueryRowContext(ctx, `SELECT customer_id, total, refunded_total FROM orders WHERE id = $1`, orderID).Scan(&customerID, &total, &refunded)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("loyalty: order %d: %w", orderID, err)
	}
	if _, err := lockAccount(ctx, tx, customerID); err != nil {
		return 0, err
	}
	var earned, basis, reversed int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN kind = 'earn' THEN points ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'earn' THEN basis ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN kind = 'reverse' THEN -points ELSE 0 END), 0)
		FROM loyalty_entries WHERE order_id = $1 AND kind IN ('earn', 'reverse')`, orderID).Scan(&earned, &basis, &reversed); err != nil {
		return 0, fmt.Errorf("loyalty: earned on %d: %w", orderID, err)
	}
	if earned == 0 || basis <= 0 {
		return 0, nil
	}
	// The points were earned on basis (the net amount when the order
	// completed); what may stay is their share of what is left now.
	left := max(0, min(basis, total-refunded))
	target := mulDiv(earned, basis-left, basis) // rounded in the customer's favour
	want := target - reversed
	if want <= 0 {
		return 0, nil
	}
	return debit(ctx, tx, move{Customer: customerID, Kind: KindReverse, Points: want, Ref: idRef("reverse", refundID), OrderID: orderID, Actor: "system"}, true)
}

// RedeemForOrder takes points the customer pays part of an order with, in
// the checkout's transaction, and returns them (0 when the order already
// redeemed). Errors: CodeNotEnoughPoints (409).
func RedeemForOrder(ctx context.Context, tx *store.Tx, orderID, customerID platform.ID, points int64) (int64, error) {
	return debit(ctx, tx, move{Customer: customerID, Kind: KindRedeem, Points: points, Ref: idRef("redeem", orderID), OrderID: orderID,
		Actor: "customer:" + customerID.String()}, false)
}

// RestoreForOrder gives a cancelled order's redeemed points back, once.
func RestoreForOrder(ctx context.Context, tx *store.Tx, orderID platform.ID) (int64, error) {
	return restore(ctx, tx, idRef("redeem", orderID), move{Kind: KindRestore, Ref: idRef("restore", orderID), OrderID: orderID, Actor: "system"})
}

// AdjustInput is a staff correction: Points may be negative; Reason is
// required and shown to the shopper.
type AdjustInput struct {
	Points int64  `json:"points"`
	Reason string `json:"reason"`
}

// MaxAdjust bounds one staff adjustment.
const MaxAdjust = 1_000_000

// Validate checks the adjustment (422 with field errors).
func (in *AdjustInput) Validate() error {
	e := platform.E(platform.CodeInvalid)
	if in.Points == 0 || in.Points > MaxAdjust || in.Points < -MaxAdjust {
		e.With("points", "loyalty.field.adjust_range", MaxAdjust)
	}
	in.Reason = strings.TrimSpace(in.Reason)
	switch n := utf8.RuneCountInString(in.Reason); {
	case !utf8.ValidString(in.Reason) || n == 0:
		e.With("reason", "field.required")
	case n > 200:
		e.With("reason", "field.too_long", 200)
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// Adjust credits or debits a customer's points by staff, audited as by.
//
// Errors: CodeInvalid (422), CodeNotFound (no such customer),
// CodeNotEnoughPoints (409, a debit above the balance), or a database
// error.
func (s *Service) Adjust(ctx context.Context, by audit.Actor, customerID platform.ID, in AdjustInput) (Entry, error) {
	if err := in.Validate(); err != nil {
		return Entry{}, err
	}
	var out Entry
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := customerExists(ctx, tx, customerID); err != nil {
			return err
		}
		before, err := lockAccount(ctx, tx, customerID)
		if err != nil {
			return err
		}
		m := move{Customer: customerID, Kind: KindAdjust, Points: in.Points, Reason: in.Reason, Actor: by.Name}
		if in.Points > 0 {
			_, err = credit(ctx, tx, m)
		} else {
			m.Points = -in.Points
			_, err = debit(ctx, tx, m, false)
		}
		if err != nil {
			return err
		}
		if out, err = lastEntry(ctx, tx, customerID, KindAdjust); err != nil {
			return err
		}
		return audit.Change(ctx, tx, by, "loyalty.adjust", "customer", customerID,
			map[string]any{"balance": before}, map[string]any{"balance": out.BalanceAfter, "points": out.Points, "reason": in.Reason})
	})
	return out, err
}

func customerExists(ctx context.Context, q store.Querier, id platform.ID) error {
	var n int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM customers WHERE id = $1`, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return platform.NotFound("customer")
	}
	return err
}

const entryCols = `id, customer_id, kind, points, balance_after, order_id, reason, actor, expires_at, created_at`

func scanEntry(row interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	var order sql.NullInt64
	var exp sql.NullTime
	if err := row.Scan(&e.ID, &e.CustomerID, &e.Kind, &e.Points, &e.BalanceAfter, &order, &e.Reason, &e.Actor, &exp, &e.CreatedAt); err != nil {
		return e, err
	}
	if order.Valid {
		id := platform.ID(order.Int64)
		e.OrderID = &id
	}
	if exp.Valid {
		t := exp.Time.UTC()
		e.ExpiresAt = &t
	}
	e.CreatedAt = e.CreatedAt.UTC()
	return e, nil
}

func lastEntry(ctx context.Context, q store.Querier, customerID platform.ID, kind Kind) (Entry, error) {
	return scanEntry(q.QueryRowContext(ctx, `SELECT `+entryCols+` FROM loyalty_entries WHERE customer_id = $1 AND kind = $2
		ORDER BY id DESC LIMIT 1`, customerID, string(kind)))
}

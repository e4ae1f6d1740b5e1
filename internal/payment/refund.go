package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// RefundInput asks to give money back on an order.
type RefundInput struct {
	// Key identifies the request: the same key again returns the same
	// refund instead of a second one.
	Key    string         `json:"request_key"`
	Amount platform.Money `json:"amount"`
	Reason string         `json:"reason"`
	// LineIDs limits the refund to these order lines (all when empty);
	// only a refund over all lines may include shipping.
	LineIDs []platform.ID `json:"line_ids,omitempty"`
}

// Validate checks the fields.
func (in RefundInput) Validate() error {
	switch {
	case strings.TrimSpace(in.Key) == "":
		return platform.Invalid("request_key", "field.required")
	case len(in.Key) > 100:
		return platform.Invalid("request_key", "field.too_long", 100)
	case in.Amount <= 0:
		return platform.Invalid("amount", "field.invalid")
	case len([]rune(in.Reason)) > 200:
		return platform.Invalid("reason", "field.too_long", 200)
	}
	return nil
}

// Refund is a refund with its split over lines.
type Refund struct {
	ID         platform.ID    `json:"id"`
	OrderID    platform.ID    `json:"order_id"`
	PaymentID  platform.ID    `json:"payment_id"`
	Amount     platform.Money `json:"amount"`
	Shipping   platform.Money `json:"shipping_amount"`
	Reason     string         `json:"reason"`
	Status     string         `json:"status"`
	Key        string         `json:"request_key"`
	Lines      []RefundLine   `json:"lines"`
	CreatedAt  time.Time      `json:"created_at"`
	RefundedAt *time.Time     `json:"refunded_at,omitempty"`
}

// RefundLine is one line's share of a refund.
type RefundLine struct {
	OrderLineID platform.ID    `json:"order_line_id"`
	Amount      platform.Money `json:"amount"`
}

// orderLine is what a refund needs of a line: what is left to refund.
type orderLine struct {
	id   platform.ID
	left platform.Money
}

// Refund gives money back on an order: at most what was captured minus
// what is refunded or being refunded, split exactly over the lines by
// what each has left (largest remainder), any rest being shipping. It is
// recorded (approved, audited) in one transaction, then sent to the
// provider; offline refunds complete at once, online ones when the
// provider's notification arrives (a sweep resends what the provider
// never got). Errors: not found, CodeInvalid, CodeRefundExceeds,
// CodeRefundKeyReused, CodeProviderUnavailable (the refund is recorded
// and will be resent).
func (s *Service) Refund(ctx context.Context, actor audit.Actor, orderID platform.ID, in RefundInput) (Refund, error) {
	in.Key = strings.TrimSpace(in.Key)
	if err := in.Validate(); err != nil {
		return Refund{}, err
	}
	var id platform.ID
	err := s.db.WriteSerializable(ctx, func(tx *store.Tx) error {
		var err error
		id, err = s.recordRefund(ctx, tx, actor, orderID, in)
		return err
	})
	if err != nil {
		return Refund{}, err
	}
	if err := s.submitRefund(ctx, s.db, id); err != nil {
		r, _ := s.GetRefund(ctx, id)
		return r, err
	}
	return s.GetRefund(ctx, id)
}

func (s *Service) recordRefund(ctx context.Context, tx *store.Tx, actor audit.Actor, orderID platform.ID, in RefundInput) (platform.ID, error) {
	// The same key again: the same refund, if it asks the same.
	var prior platform.ID
	var priorAmount platform.Money
	err := tx.QueryRowContext(ctx, `SELECT id, amount FROM refunds WHERE order_id = $1 AND request_key = $2`, orderID, in.Key).Scan(&prior, &priorAmount)
	if err == nil {
		if priorAmount != in.Amount {
			return 0, platform.E(CodeRefundKeyReused)
		}
		return prior, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	var shippingFee platform.Money
	if err := tx.QueryRowContext(ctx, `SELECT shipping_fee FROM orders WHERE id = $1`, orderID).Scan(&shippingFee); err != nil {
		return 0, store.NotFound(err, "order")
	}
	// Which payment: the captured one with the most left.
	pay, left, err := refundablePayment(ctx, tx, orderID)
	if err != nil {
		return 0, err
	}
	if in.Amount > left {
		return 0, platform.E(CodeRefundExceeds)
	}
	lines, err := linesLeft(ctx, tx, orderID)
	if err != nil {
		return 0, err
	}
	if len(in.LineIDs) > 0 {
		lines = slices.DeleteFunc(lines, func(l orderLine) bool { return !slices.Contains(in.LineIDs, l.id) })
		if len(lines) != len(slices.Compact(slices.Sorted(slices.Values(in.LineIDs)))) {
			return 0, platform.Invalid("line_ids", "field.invalid")
		}
	}
	var linesTotal platform.Money
	weights := make([]int64, len(lines))
	for i, l := range lines {
		linesTotal += l.left
		weights[i] = int64(l.left)
	}
	onLines := min(in.Amount, linesTotal)
	shipping := in.Amount - onLines
	if shipping > 0 {
		var shippingRefunded platform.Money
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(shipping_amount), 0) FROM refunds WHERE order_id = $1 AND status <> 'rejected'`, orderID).Scan(&shippingRefunded); err != nil {
			return 0, err
		}
		if len(in.LineIDs) > 0 || shipping > shippingFee-shippingRefunded {
			return 0, platform.E(CodeRefundExceeds)
		}
	}
	id := tx.NewID()
	if _, err := tx.ExecContext(ctx, `INSERT INTO refunds (id, order_id, payment_id, amount, reason, status, created_at, request_key, shipping_amount)
		VALUES ($1, $2, $3, $4, $5, 'approved', $6, $7, $8)`, id, orderID, pay.ID, in.Amount, in.Reason, tx.Now, in.Key, shipping); err != nil {
		if store.IsUniqueViolation(err) {
			return 0, platform.E(CodeRefundKeyReused).Wrap(err)
		}
		return 0, fmt.Errorf("payment: refund: %w", err)
	}
	split := platform.Allocate(onLines, weights)
	for i, l := range lines {
		if split[i] == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO refund_lines (refund_id, order_line_id, amount) VALUES ($1, $2, $3)`, id, l.id, split[i]); err != nil {
			return 0, fmt.Errorf("payment: refund line: %w", err)
		}
	}
	r, err := getRefund(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	return id, audit.Change(ctx, tx, actor, "payment.refund", "refund", id, nil, r)
}

// refundablePayment is the order's captured payment with the most left to
// refund, and that amount. Errors: CodeRefundExceeds when nothing is.
func refundablePayment(ctx context.Context, tx *store.Tx, orderID platform.ID) (Payment, platform.Money, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.amount - COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.payment_id = p.id AND r.status <> 'rejected'), 0)
		FROM payments p WHERE p.order_id = $1 AND p.status = 'captured' ORDER BY 2 DESC, p.id LIMIT 1`, orderID)
	if err != nil {
		return Payment{}, 0, fmt.Errorf("payment: refundable: %w", err)
	}
	var id platform.ID
	var left platform.Money
	found := false
	for rows.Next() {
		found = true
		if err := rows.Scan(&id, &left); err != nil {
			rows.Close()
			return Payment{}, 0, err
		}
	}
	rows.Close()
	if !found || left <= 0 {
		return Payment{}, 0, platform.E(CodeRefundExceeds)
	}
	p, err := getPayment(ctx, tx, id)
	return p, left, err
}

// linesLeft lists the order's lines with what each has left to refund:
// its total minus what is refunded or being refunded.
func linesLeft(ctx context.Context, tx *store.Tx, orderID platform.ID) ([]orderLine, error) {
	rows, err := tx.QueryContext(ctx, `SELECT l.id, l.line_total - l.refunded - COALESCE((SELECT SUM(rl.amount) FROM refund_lines rl
		JOIN refunds r ON r.id = rl.refund_id WHERE rl.order_line_id = l.id AND r.status IN ('requested', 'approved')), 0)
		FROM order_lines l WHERE l.order_id = $1 ORDER BY l.id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("payment: lines: %w", err)
	}
	defer rows.Close()
	var out []orderLine
	for rows.Next() {
		var l orderLine
		if err := rows.Scan(&l.id, &l.left); err != nil {
			return nil, err
		}
		l.left = max(l.left, 0)
		out = append(out, l)
	}
	return out, rows.Err()
}

// submitRefund sends a recorded, unsubmitted refund on db to its provider
// and records the answer.
func (s *Service) submitRefund(ctx context.Context, db *store.DB, id platform.ID) error {
	r, err := getRefund(ctx, db.R, id)
	if err != nil {
		return err
	}
	if r.Status != RefundApproved {
		return nil
	}
	p, err := getPayment(ctx, db.R, r.PaymentID)
	if err != nil {
		return err
	}
	prov, err := s.providerOf(p)
	if err != nil {
		return err
	}
	res, err := prov.Refund(ctx, RefundRequest{RefundID: id, Payment: p, Amount: r.Amount})
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE refunds SET submitted_at = COALESCE(submitted_at, $1),
			external_ref = CASE WHEN CAST($2 AS TEXT) = '' THEN external_ref ELSE CAST($2 AS TEXT) END WHERE id = $3`, tx.Now, res.ExternalRef, id); err != nil {
			return err
		}
		if res.Done {
			_, err := s.completeRefund(ctx, tx, id, r.Amount, res.ExternalRef)
			return err
		}
		return nil
	})
}

const refundCols = `id, order_id, COALESCE(payment_id, 0), amount, shipping_amount, reason, status, COALESCE(request_key, ''), created_at, refunded_at`

func getRefund(ctx context.Context, q store.Querier, id platform.ID) (Refund, error) {
	var r Refund
	var done sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT `+refundCols+` FROM refunds WHERE id = $1`, id).
		Scan(&r.ID, &r.OrderID, &r.PaymentID, &r.Amount, &r.Shipping, &r.Reason, &r.Status, &r.Key, &r.CreatedAt, &done)
	if err != nil {
		return r, store.NotFound(err, "refund")
	}
	r.CreatedAt = r.CreatedAt.UTC()
	if done.Valid {
		t := done.Time.UTC()
		r.RefundedAt = &t
	}
	rows, err := q.QueryContext(ctx, `SELECT order_line_id, amount FROM refund_lines WHERE refund_id = $1 ORDER BY order_line_id`, id)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	r.Lines = []RefundLine{}
	for rows.Next() {
		var l RefundLine
		if err := rows.Scan(&l.OrderLineID, &l.Amount); err != nil {
			return r, err
		}
		r.Lines = append(r.Lines, l)
	}
	return r, rows.Err()
}

// GetRefund reads a refund with its lines. Errors: not found.
func (s *Service) GetRefund(ctx context.Context, id platform.ID) (Refund, error) {
	return getRefund(ctx, s.db.R, id)
}

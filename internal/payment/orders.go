package payment

import (
	"context"
	"fmt"
	"time"

	"storeops/internal/analytics"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Orders is what payments need from the order domain, called inside the
// payment's transaction so the order and its money never disagree. The
// order domain implements it with its state machine; the app wires it in
// Config.Orders.
type Orders interface {
	// Paid records that payment paymentID of orderID is captured: an order
	// waiting for payment moves to paid (with a transition by actor); an
	// order already past payment (cash on delivery, delivered) keeps its
	// status and gains its paid time. It reports false, and changes
	// nothing, when the order does not wait for this money (cancelled, or
	// paid by another payment): the capture stands and the reconciliation
	// flags it for a person.
	Paid(ctx context.Context, tx *store.Tx, orderID, paymentID platform.ID, actor string) (bool, error)
	// Refunded records a completed refund: the order's refunded total
	// grows by the amount and each line's refunded amount by its share.
	Refunded(ctx context.Context, tx *store.Tx, r RefundDone) error
}

// RefundDone is a completed refund as the order sees it.
type RefundDone struct {
	OrderID  platform.ID
	RefundID platform.ID
	Amount   platform.Money
	// Lines maps order line ids to their share; shipping is the rest.
	Lines map[platform.ID]platform.Money
}

// TableOrders implements Orders directly on the order tables, the way the
// order demo writes them, without the order domain's hooks (the app uses
// OrderMachine).
type TableOrders struct{}

// Paid implements Orders.
func (TableOrders) Paid(ctx context.Context, tx *store.Tx, orderID, paymentID platform.ID, actor string) (bool, error) {
	var status string
	var paid *string
	if err := tx.QueryRowContext(ctx, `SELECT status, CASE WHEN paid_at IS NULL THEN NULL ELSE 'y' END FROM orders WHERE id = $1`, orderID).Scan(&status, &paid); err != nil {
		return false, store.NotFound(err, "order")
	}
	switch {
	case status == "pending_payment":
		res, err := tx.ExecContext(ctx, `UPDATE orders SET status = 'paid', paid_at = $1, updated_at = $1 WHERE id = $2 AND status = 'pending_payment'`, tx.Now, orderID)
		if err != nil {
			return false, fmt.Errorf("payment: order paid: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return false, nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO order_transitions (id, order_id, from_status, to_status, actor, reason, at) VALUES ($1, $2, 'pending_payment', 'paid', $3, $4, $5)`,
			tx.NewID(), orderID, actor, "支付成功 "+paymentID.String(), tx.Now)
		return err == nil, err
	case paid == nil && status != "cancelled":
		// Cash on delivery: the goods went out before the money came.
		res, err := tx.ExecContext(ctx, `UPDATE orders SET paid_at = $1, updated_at = $1 WHERE id = $2 AND paid_at IS NULL`, tx.Now, orderID)
		if err != nil {
			return false, fmt.Errorf("payment: order paid: %w", err)
		}
		n, _ := res.RowsAffected()
		if n == 1 {
			return true, markOrderDirty(ctx, tx, orderID)
		}
		return false, nil
	}
	return false, nil
}

// markOrderDirty tells the Overview's rollups that an order's money
// changed (analytics.MarkDirty), for the writes made here rather than
// through the order state machine.
func markOrderDirty(ctx context.Context, tx *store.Tx, orderID platform.ID) error {
	var customer platform.ID
	var placed time.Time
	if err := tx.QueryRowContext(ctx, `SELECT customer_id, placed_at FROM orders WHERE id = $1`, orderID).Scan(&customer, &placed); err != nil {
		return fmt.Errorf("payment: order %d: %w", orderID, err)
	}
	return analytics.MarkDirty(ctx, tx, customer, placed)
}

// Refunded implements Orders.
func (TableOrders) Refunded(ctx context.Context, tx *store.Tx, r RefundDone) error {
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET refunded_total = refunded_total + $1, updated_at = $2 WHERE id = $3`, r.Amount, tx.Now, r.OrderID); err != nil {
		return fmt.Errorf("payment: order refunded: %w", err)
	}
	for line, amount := range r.Lines {
		if _, err := tx.ExecContext(ctx, `UPDATE order_lines SET refunded = refunded + $1 WHERE id = $2 AND order_id = $3`, amount, line, r.OrderID); err != nil {
			return fmt.Errorf("payment: line refunded: %w", err)
		}
	}
	return markOrderDirty(ctx, tx, r.OrderID)
}

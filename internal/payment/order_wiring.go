package payment

import (
	"context"
	"fmt"

	"storeops/internal/audit"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// OrderMachine implements Orders with the order domain's state machine:
// a captured payment moves a waiting order to paid through
// order.Transition (its transition row, hooks and event). What the
// machine has no step for (a cash-on-delivery order's paid time, refunded
// amounts) is written as TableOrders does.
type OrderMachine struct{ TableOrders }

// Paid implements Orders.
func (m OrderMachine) Paid(ctx context.Context, tx *store.Tx, orderID, paymentID platform.ID, actor string) (bool, error) {
	var status string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = $1`, orderID).Scan(&status); err != nil {
		return false, store.NotFound(err, "order")
	}
	if order.Status(status) != order.PendingPayment {
		return m.TableOrders.Paid(ctx, tx, orderID, paymentID, actor)
	}
	_, err := order.Transition(ctx, tx, orderID, order.Paid, order.Actor{Kind: order.ActorSystem, Name: actor}, "支付成功",
		order.WithData("payment_id", paymentID.String()))
	switch platform.ErrorCode(err) {
	case "":
		return true, nil
	case order.CodeIllegalTransition, order.CodeStatusChanged:
		// Cancelled or paid meanwhile: the capture stands, flagged later.
		return false, nil
	}
	return false, err
}

// wireOrders connects the order domain to payments: its refund action
// becomes a payment refund, and its transitions close or refund payments
// (a cancelled unpaid order closes its pending payments; a cancelled paid
// one is refunded in full, sent to the provider after the commit and by
// the sweep if that fails).
func (s *Service) wireOrders() {
	order.SetRefunder(func(ctx context.Context, r order.RefundRequest) error {
		key := r.Key
		if key == "" {
			key = web.RequestID(ctx)
			if key == "" {
				key = platform.ID(s.db.IDs.Next()).String()
			}
			key = "order:" + key
		}
		_, err := s.Refund(ctx, r.By, r.OrderID, RefundInput{Key: key, Amount: r.Amount, Reason: r.Reason, LineIDs: r.LineIDs})
		return err
	})
	order.OnTransition("payment", s.onTransition)
}

func (s *Service) onTransition(ctx context.Context, tx *store.Tx, ch order.Change) error {
	if ch.To != order.Cancelled {
		return nil
	}
	if ch.From == order.PendingPayment {
		_, err := tx.ExecContext(ctx, `UPDATE payments SET status = 'cancelled' WHERE order_id = $1 AND status = 'pending'`, ch.OrderID)
		if err != nil {
			return fmt.Errorf("payment: close payments of a cancelled order: %w", err)
		}
		return nil
	}
	_, left, err := refundablePayment(ctx, tx, ch.OrderID)
	if platform.ErrorCode(err) == CodeRefundExceeds || left <= 0 {
		return nil // nothing captured, or refunded already
	}
	if err != nil {
		return err
	}
	reason := "订单取消，全额退款"
	if ch.Reason != "" {
		reason = ch.Reason
	}
	id, err := s.recordRefund(ctx, tx, auditActor(ch.Actor), ch.OrderID, RefundInput{Key: "cancel:" + ch.OrderID.String(), Amount: left, Reason: truncate(reason, 200)})
	if err != nil {
		return err
	}
	// The hook's service may belong to another app built in the same
	// process (hooks are global); the refund lives in tx's database.
	db := tx.DB()
	tx.AfterCommit(func() {
		if err := s.submitRefund(context.WithoutCancel(ctx), db, id); err != nil {
			s.log.WarnContext(ctx, "refund of a cancelled order not sent yet; the sweep retries", "refund", id, "err", err)
		}
	})
	return nil
}

// auditActor is the audit log's view of an order actor.
func auditActor(a order.Actor) audit.Actor {
	switch a.Kind {
	case order.ActorStaff:
		return audit.Actor{Kind: audit.KindStaff, StaffID: a.ID, Name: a.Name}
	case order.ActorCustomer:
		return audit.Actor{Kind: audit.KindCustomer, Name: "customer:" + a.ID.String()}
	}
	name := a.Name
	if name == "" {
		name = string(a.Kind)
	}
	return audit.Actor{Kind: audit.KindSystem, Name: name}
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

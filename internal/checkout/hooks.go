package checkout

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"storeops/internal/inventory"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// registerHooks makes the order state machine give back what checkout
// took: a cancelled order's stock reservation and coupon redemptions are
// released; a shipped order's reservation becomes a sale in the ledger.
// They run in the transition's transaction, so stock and coupons never
// disagree with the order's status.
func (s *Service) registerHooks() {
	order.OnTransition("checkout.release", func(ctx context.Context, tx *store.Tx, ch order.Change) error {
		if ch.To != order.Cancelled {
			return nil
		}
		if _, err := inventory.Release(ctx, tx, inventory.OrderRef(ch.OrderID)); err != nil {
			return fmt.Errorf("checkout: release stock of %d: %w", ch.OrderID, err)
		}
		return s.promos.ReleaseForOrder(ctx, tx, ch.OrderID)
	})
	order.OnTransition("checkout.commit_stock", func(ctx context.Context, tx *store.Tx, ch order.Change) error {
		if ch.To != order.Shipped {
			return nil
		}
		err := inventory.Commit(ctx, tx, inventory.OrderRef(ch.OrderID), string(ch.Actor.Kind))
		if platform.ErrorCode(err) == inventory.CodeNotReserved {
			// An order that never went through checkout (the demo
			// shop's history, an imported order) holds no stock.
			return nil
		}
		return err
	})
}

// cancelUnpaidWorker cancels an order that is still unpaid at its
// deadline; one that was paid or cancelled meanwhile is left alone.
type cancelUnpaidWorker struct {
	river.WorkerDefaults[CancelUnpaidArgs]
	db *store.DB
}

func (w *cancelUnpaidWorker) Work(ctx context.Context, job *river.Job[CancelUnpaidArgs]) error {
	return CancelUnpaid(ctx, w.db, job.Args.OrderID)
}

// CancelUnpaid is the deadline job's work: the order is cancelled by the
// system if it still waits for payment, and left alone otherwise.
func CancelUnpaid(ctx context.Context, db *store.DB, orderID platform.ID) error {
	return db.Write(ctx, func(tx *store.Tx) error {
		return cancelIfUnpaid(ctx, tx, orderID, order.System, platform.T(platform.ZH, "checkout.unpaid_cancelled"))
	})
}

// cancelIfUnpaid cancels the order if it still waits for payment, and
// cancels its pending payments with it.
func cancelIfUnpaid(ctx context.Context, tx *store.Tx, orderID platform.ID, by order.Actor, reason string) error {
	var status string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = $1`, orderID).Scan(&status); err != nil {
		return store.NotFound(err, "shopper_order")
	}
	if order.Status(status) != order.PendingPayment {
		return nil
	}
	if _, err := order.Transition(ctx, tx, orderID, order.Cancelled, by, reason); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE payments SET status = 'cancelled' WHERE order_id = $1 AND status = 'pending'`, orderID)
	return err
}

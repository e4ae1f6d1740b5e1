package checkout

import (
	"context"
	"fmt"
	"strconv"
	"time"

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

// CancelOverdueArgs is the periodic job that cancels the orders whose
// time to pay has run out.
type CancelOverdueArgs struct{}

// Kind names the job.
func (CancelOverdueArgs) Kind() string { return "checkout.cancel_overdue" }

type cancelOverdueWorker struct {
	river.WorkerDefaults[CancelOverdueArgs]
	db  *store.DB
	cfg Config
}

func (w *cancelOverdueWorker) Work(ctx context.Context, _ *river.Job[CancelOverdueArgs]) error {
	_, err := CancelOverdue(ctx, w.db, w.db.Now(), w.cfg)
	return err
}

// overdueBatch bounds one sweep's orders; the next minute's takes the rest.
const overdueBatch = 500

// CancelOverdue cancels the orders still unpaid past their deadline at
// now (cfg.UnpaidTimeout after placing, cfg.TransferTimeout for a bank
// transfer) and returns how many. A sweep every minute replaces a job per
// order: the checkout transaction stays short, and an order paid at the
// last second is left alone because each cancellation checks the status
// again in its own transaction.
func CancelOverdue(ctx context.Context, db *store.DB, now time.Time, cfg Config) (int, error) {
	cfg = cfg.withDefaults()
	rows, err := db.R.QueryContext(ctx, `SELECT o.id FROM orders o
		WHERE o.status = 'pending_payment' AND o.placed_at < $1
		  AND (o.placed_at < $2 OR NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.method = 'bank_transfer'))
		ORDER BY o.placed_at LIMIT `+strconv.Itoa(overdueBatch),
		store.Time(now.Add(-cfg.UnpaidTimeout)), store.Time(now.Add(-cfg.TransferTimeout)))
	if err != nil {
		return 0, fmt.Errorf("checkout: overdue orders: %w", err)
	}
	var ids []platform.ID
	for rows.Next() {
		var id platform.ID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := CancelUnpaid(ctx, db, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// CancelUnpaid cancels an order for want of payment, as the system, if it
// still waits for payment, and leaves it alone otherwise.
func CancelUnpaid(ctx context.Context, db *store.DB, orderID platform.ID) error {
	return db.Write(ctx, func(tx *store.Tx) error {
		return cancelIfUnpaid(ctx, tx, orderID, order.System, platform.T(platform.ZH, "checkout.unpaid_cancelled"))
	})
}

// cancelIfUnpaid cancels the order if it still waits for payment.
func cancelIfUnpaid(ctx context.Context, tx *store.Tx, orderID platform.ID, by order.Actor, reason string) error {
	var status string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = $1`, orderID).Scan(&status); err != nil {
		return store.NotFound(err, "shopper_order")
	}
	if order.Status(status) != order.PendingPayment {
		return nil
	}
	// The transition's hooks give back the stock and coupons (ours) and
	// close the pending payments (the payment domain's).
	_, err := order.Transition(ctx, tx, orderID, order.Cancelled, by, reason)
	return err
}

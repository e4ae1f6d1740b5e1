package loyalty

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/checkout"
	"storeops/internal/order"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// orderHook earns points when an order completes and gives back the
// points a cancelled order was paid with, in the transition's
// transaction, so points never disagree with the order's status.
func orderHook(rules Rules) order.Hook {
	return func(ctx context.Context, tx *store.Tx, ch order.Change) error {
		switch ch.To {
		case order.Completed:
			_, err := EarnForOrder(ctx, tx, rules, ch.OrderID)
			return err
		case order.Cancelled:
			_, err := RestoreForOrder(ctx, tx, ch.OrderID)
			return err
		}
		return nil
	}
}

// refundConsumer takes back what refunded orders earned. It follows the
// outbox because a refund completes in the payment domain's transaction
// (a provider's notification), which loyalty does not hook; each refund
// reverses once (its ref), so a redelivered batch does nothing.
func refundConsumer(db *store.DB) outbox.Consumer {
	return outbox.Consumer{Name: "loyalty.refunds", Topics: []string{"payment.refunded"}, Handle: func(ctx context.Context, events []outbox.Event) error {
		for _, ev := range events {
			var p struct {
				RefundID platform.ID `json:"refund_id"`
				OrderID  platform.ID `json:"order_id"`
			}
			if err := json.Unmarshal(ev.Payload, &p); err != nil || p.RefundID == 0 || p.OrderID == 0 {
				continue // not a refund this consumer understands
			}
			if err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := ReverseForRefund(ctx, tx, p.OrderID, p.RefundID)
				return err
			}); err != nil {
				return fmt.Errorf("loyalty: reverse refund %d: %w", p.RefundID, err)
			}
		}
		return nil
	}}
}

// membership is checkout's view of tiers and points.
type membership struct{ rules Rules }

// Terms implements checkout.Membership: the tier's benefits, the points
// rate and the balance still spendable now (lots due to expire excluded).
func (m membership) Terms(ctx context.Context, tx *store.Tx, customerID platform.ID) (checkout.MemberTerms, error) {
	t, err := accountTier(ctx, tx, customerID)
	if err != nil {
		return checkout.MemberTerms{}, err
	}
	var bal int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(remaining), 0) FROM loyalty_lots WHERE customer_id = $1 AND remaining > 0 AND expires_at > $2`,
		customerID, tx.Now).Scan(&bal); err != nil {
		return checkout.MemberTerms{}, fmt.Errorf("loyalty: balance of %d: %w", customerID, err)
	}
	return checkout.MemberTerms{Tier: t.Code, PercentOff: t.PercentOff, FreeShippingOver: t.FreeShippingOver, Balance: bal,
		Points: pricing.Points{PerUnit: m.rules.PerUnit, UnitValue: m.rules.UnitValue, CapPercent: m.rules.CapPercent}}, nil
}

// RedeemPoints implements checkout.Membership.
func (m membership) RedeemPoints(ctx context.Context, tx *store.Tx, orderID, customerID platform.ID, points int64) error {
	_, err := RedeemForOrder(ctx, tx, orderID, customerID, points)
	return err
}

// DailyArgs is the job that expires points, re-evaluates tiers and grants
// birthday points. It is scheduled hourly and does each part once per
// shop day, so a missed hour or a second leader costs nothing.
type DailyArgs struct{}

// Kind names the job.
func (DailyArgs) Kind() string { return "loyalty.daily" }

type dailyWorker struct {
	river.WorkerDefaults[DailyArgs]
	s *Service
}

func (w *dailyWorker) Work(ctx context.Context, _ *river.Job[DailyArgs]) error {
	return w.s.Daily(ctx, w.s.db.Now())
}

func dailyPeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return DailyArgs{}, nil },
		&river.PeriodicJobOpts{ID: "loyalty_daily", RunOnStart: true})
}

package returns_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/returns"
	"storeops/internal/store/storetest"
)

// The demo's requests match its refunds: every after-sale refund has its
// request on the same order and customer, a refunded request's amount is
// its refund's, lines belong to the order and never ask for more than was
// bought; replacing the demo clears them before the orders.
func TestDemoReturns(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		count := func(q string, args ...any) int { return storetest.Count(t, a.DB, q, args...) }
		opt := demo.Options{Seed: 7, Scale: 0.03, AsOf: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatal(err)
		}
		for _, st := range []returns.Status{returns.Refunded, returns.Rejected, returns.Exchanged} {
			if n := count(`SELECT COUNT(*) FROM returns WHERE status = $1`, st); n == 0 {
				t.Errorf("no %s requests in the demo", st)
			}
		}
		if n := count(`SELECT COUNT(*) FROM returns WHERE status IN ('requested', 'approved', 'shipped_back', 'received')`); n == 0 {
			t.Error("no open requests in the demo")
		}
		if n := count(`SELECT COUNT(*) FROM refunds f JOIN orders o ON o.id = f.order_id
			WHERE o.delivered_at IS NOT NULL AND f.created_at >= o.delivered_at
			AND NOT EXISTS (SELECT 1 FROM returns r WHERE r.id = f.id AND r.order_id = f.order_id AND r.customer_id = o.customer_id)`); n != 0 {
			t.Errorf("%d after-sale refunds without their request", n)
		}
		if n := count(`SELECT COUNT(*) FROM returns r JOIN refunds f ON f.id = r.id WHERE f.status = 'refunded' AND r.refund_amount <> f.amount`); n != 0 {
			t.Errorf("%d refunded requests whose amount is not their refund's", n)
		}
		if n := count(`SELECT COUNT(*) FROM return_lines rl JOIN returns r ON r.id = rl.return_id JOIN order_lines l ON l.id = rl.order_line_id
			WHERE l.order_id <> r.order_id OR rl.qty > l.quantity OR rl.accepted_qty > rl.qty OR rl.qty <= 0`); n != 0 {
			t.Errorf("%d demo lines off their order or above what was bought", n)
		}
		if n := count(`SELECT COUNT(*) FROM returns r WHERE r.approved_at < r.created_at OR r.closed_at < r.created_at OR r.received_at < r.shipped_back_at`); n != 0 {
			t.Errorf("%d demo requests with steps out of order", n)
		}
		page, err := returns.List(ctx, a.DB.R, returns.Filter{})
		if err != nil || len(page.Items) == 0 {
			t.Fatalf("list: %v", err)
		}
		opt.Replace = true
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatalf("replace: %v", err)
		}
		if n := count(`SELECT COUNT(*) FROM returns`); n == 0 {
			t.Error("the replaced demo has no requests")
		}
	})
}

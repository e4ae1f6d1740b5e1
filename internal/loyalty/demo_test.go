package loyalty_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/loyalty"
	"storeops/internal/platform"
)

// The demo shop's points follow its orders: every completed order earned
// once, some points were redeemed on discounted orders and some expired,
// balances equal their ledgers, and the tiers are what the daily
// evaluation computes on the as-of day, so it changes nothing.
func TestDemoPointsAndTiers(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		opt := demo.Options{Seed: 7, Scale: 0.03, AsOf: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatal(err)
		}
		checkLedger(t, a)
		for _, k := range []loyalty.Kind{loyalty.KindEarn, loyalty.KindRedeem, loyalty.KindExpire} {
			if n := count(t, a, `SELECT COUNT(*) FROM loyalty_entries WHERE kind = $1`, string(k)); n == 0 {
				t.Errorf("no %s entries in the demo", k)
			}
		}
		if n := count(t, a, `SELECT COUNT(*) FROM orders o WHERE o.status IN ('completed', 'after_sale') AND o.completed_at IS NOT NULL
			AND o.total - o.refunded_total >= 100 AND NOT EXISTS (SELECT 1 FROM loyalty_entries e WHERE e.order_id = o.id AND e.kind = 'earn')`); n != 0 {
			t.Errorf("%d completed orders earned nothing", n)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM loyalty_entries e JOIN orders o ON o.id = e.order_id
			WHERE e.kind = 'redeem' AND (-e.points > o.discount_total OR o.customer_id <> e.customer_id)`); n != 0 {
			t.Errorf("%d redemptions worth more than their order's discount", n)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM loyalty_accounts WHERE tier_code <> 'regular'`); n == 0 {
			t.Error("nobody above the lowest tier")
		}
		end := time.Date(2026, 11, 21, 0, 0, 0, 0, platform.ShopZone)
		if res, err := loyalty.EvaluateTiers(ctx, a.DB, end); err != nil || res != (loyalty.TierResult{}) {
			t.Errorf("the demo's tiers disagree with the evaluation: %+v %v", res, err)
		}
		if n, err := loyalty.ExpireDue(ctx, a.DB, end); err != nil || n != 0 {
			t.Errorf("the demo left %d points due (%v)", n, err)
		}
		opt.Replace = true
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatalf("replace: %v", err)
		}
		checkLedger(t, a)
	})
}

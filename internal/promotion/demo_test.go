package promotion_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/promotion"
	"storeops/internal/store"
)

// The demo shop's promotions are consistent (counts equal redemptions),
// its rules are what checkout sees, and a second generation with Clear
// replaces them rather than adding to them.
func TestDemoPromotions(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		opt := demo.Options{Seed: 5, Scale: 0.02, AsOf: time.Date(2026, 11, 25, 0, 0, 0, 0, platform.ShopZone)}
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatal(err)
		}
		w := newWorld(t, a.DB)
		w.balanced()
		if n := countRows(t, a.DB, `SELECT COUNT(*) FROM promo_rules`); n != 5 {
			t.Errorf("%d demo rules, want 5", n)
		}
		if n := countRows(t, a.DB, `SELECT COUNT(*) FROM coupon_redemptions`); n == 0 {
			t.Error("the demo has no redemptions")
		}
		a.DB.Read(ctx, func(tx *store.Tx) error {
			rules, err := promotion.ActiveRules(ctx, tx, time.Date(2026, 11, 25, 12, 0, 0, 0, platform.ShopZone))
			if err != nil || len(rules) != 3 {
				t.Errorf("active demo rules %d (%v), want 3", len(rules), err)
			}
			for _, r := range rules {
				if err := r.Validate(); err != nil {
					t.Errorf("demo rule %s: %v", r.Name, err)
				}
			}
			return nil
		})
		page, err := w.svc.Batches(ctx, promotion.BatchFilter{Page: platform.PageRequest{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range page.Items {
			if err := b.Batch.Validate(); err != nil {
				t.Errorf("demo batch %s: %v", b.Batch.Name, err)
			}
		}
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), demo.Options{Seed: 5, Scale: 0.02, AsOf: opt.AsOf, Replace: true}); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, a.DB, `SELECT COUNT(*) FROM promo_rules`); n != 5 {
			t.Errorf("%d rules after a replace, want 5", n)
		}
		w.balanced()
	})
}

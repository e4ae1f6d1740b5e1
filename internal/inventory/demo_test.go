package inventory_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/inventory"
	"storeops/internal/platform"
)

// The demo shop's stock is explained by its ledger (an opening receipt per
// level), its reserved stock by held reservations, and its low levels are
// on the to-do list; a checkout on it allocates and the ledger still adds
// up after the expiry job releases the demo's holds.
func TestDemoShopBalances(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		_, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), demo.Options{Seed: 5, Scale: 0.02,
			AsOf: time.Date(2026, 11, 25, 0, 0, 0, 0, platform.ShopZone)})
		if err != nil {
			t.Fatal(err)
		}
		s := &shop{t: t, db: a.DB}
		s.balanced()
		var levels, entries, alerts int
		if err := a.DB.R.QueryRow(`SELECT (SELECT COUNT(*) FROM stock_levels WHERE on_hand > 0), (SELECT COUNT(*) FROM stock_ledger),
			(SELECT COUNT(*) FROM low_stock_alerts WHERE resolved_at IS NULL)`).Scan(&levels, &entries, &alerts); err != nil {
			t.Fatal(err)
		}
		if levels == 0 || entries != levels || alerts == 0 {
			t.Errorf("%d stocked levels, %d ledger entries, %d open alerts", levels, entries, alerts)
		}
		if _, err := inventory.ExpireDue(ctx, a.DB, a.DB.Now().Add(24*time.Hour*365)); err != nil {
			t.Fatal(err)
		}
		s.balanced()
	})
}

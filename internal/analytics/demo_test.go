package analytics_test

import (
	"context"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
)

// TestOverviewMatchesDemoShop is the acceptance test: on the tiny
// demo shop (scale 0.1), every Overview figure for today, 7 and 30 days
// and a custom range, with its previous period and the same period last
// year, equals totals computed in Go from the raw rows, on both databases.
func TestOverviewMatchesDemoShop(t *testing.T) {
	clock := platform.NewFixedClock(fixedNow)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		sum, err := demo.Generate(context.Background(), a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.1, AsOf: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM orders`); n < 1000 {
			t.Fatalf("demo shop has only %d orders (%s)", n, sum)
		}
		checkOverview(t, a)
	})
}

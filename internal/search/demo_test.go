package search_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/search"
)

// The demo shop has months of searches in every shape (Chinese, pinyin,
// initials, typos, zero-result) with clicks and purchases on products the
// searches found, enough for the keyword report to suggest fixes; and
// replacing the demo clears them.
func TestDemoSearchLog(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
		opt := demo.Options{Seed: 5, Scale: 0.02, AsOf: asOf}
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatal(err)
		}
		n := func(q string) int {
			t.Helper()
			var v int
			if err := a.DB.R.QueryRow(q).Scan(&v); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return v
		}
		total := n(`SELECT COUNT(*) FROM search_log`)
		if total < 500 {
			t.Errorf("%d demo searches, want months of them", total)
		}
		if z := n(`SELECT COUNT(*) FROM search_log WHERE result_count = 0`); z == 0 || z > total/3 {
			t.Errorf("%d zero-result searches of %d", z, total)
		}
		// Latin queries are pinyin, initials and typos of catalog words.
		if p := n(`SELECT COUNT(*) FROM search_log WHERE norm_query BETWEEN 'a' AND 'zzzz' AND result_count > 0`); p == 0 {
			t.Errorf("no pinyin searches that found something")
		}
		if c, f := n(`SELECT COALESCE(SUM(clicks), 0) FROM search_log`), n(`SELECT COUNT(*) FROM search_feedback WHERE kind = 'click'`); c == 0 || c != f {
			t.Errorf("clicks %d, click rows %d", c, f)
		}
		if p, f := n(`SELECT COALESCE(SUM(purchases), 0) FROM search_log`), n(`SELECT COUNT(*) FROM search_feedback WHERE kind = 'purchase'`); p == 0 || p != f {
			t.Errorf("purchases %d, purchase rows %d", p, f)
		}
		if bad := n(`SELECT COUNT(*) FROM search_feedback f LEFT JOIN products p ON p.id = f.product_id WHERE p.id IS NULL`); bad != 0 {
			t.Errorf("%d clicks on products that do not exist", bad)
		}
		rep, err := search.BuildReport(ctx, a.DB, asOf.AddDate(0, 0, -30), asOf.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, f := range rep.Fixes {
			kinds[f.Kind]++
		}
		if len(rep.Top) == 0 || len(rep.Zero) == 0 || kinds[search.SuggestSynonym] == 0 || kinds[search.SuggestStock] == 0 {
			t.Errorf("report on the demo: top %d, zero %d, fixes %v", len(rep.Top), len(rep.Zero), kinds)
		}
		opt.Replace = true
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatal(err)
		}
		if again := n(`SELECT COUNT(*) FROM search_log`); again != total {
			t.Errorf("replaced demo has %d searches, first had %d", again, total)
		}
	})
}

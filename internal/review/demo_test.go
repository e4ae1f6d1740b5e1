package review_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/review"
	"storeops/internal/store/storetest"
)

// The demo shop has reviews of delivered lines only, varied texts, some
// flagged (decided or waiting), replies on most negative reviews, topic
// tags; the same seed gives the same reviews, and replacing the demo
// clears them before the orders.
func TestDemoReviews(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		opt := demo.Options{Seed: 7, Scale: 0.03, AsOf: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatal(err)
		}
		total := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM reviews`)
		lines := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM order_lines ol JOIN orders o ON o.id = ol.order_id WHERE o.status IN ('delivered', 'completed', 'after_sale')`)
		if total < lines/5 || total > lines/2 {
			t.Errorf("%d reviews of %d delivered lines", total, lines)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM reviews r JOIN order_lines ol ON ol.id = r.order_line_id JOIN orders o ON o.id = ol.order_id
			WHERE o.customer_id <> r.customer_id OR ol.product_id <> r.product_id OR o.status NOT IN ('delivered', 'completed', 'after_sale')
			   OR r.created_at < COALESCE(o.delivered_at, o.placed_at)`); n != 0 {
			t.Errorf("%d demo reviews that no shopper could have written", n)
		}
		distinct := storetest.Count(t, a.DB, `SELECT COUNT(DISTINCT body) FROM reviews`)
		if distinct < total*6/10 {
			t.Errorf("only %d distinct texts in %d reviews", distinct, total)
		}
		for _, st := range []review.Status{review.Published, review.Rejected} {
			if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM reviews WHERE status = $1 AND flags <> ''`, st); n == 0 {
				t.Errorf("no flagged reviews now %s", st)
			}
		}
		neg := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM reviews WHERE rating <= 2 AND status <> 'rejected'`)
		answered := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM reviews WHERE rating <= 2 AND status <> 'rejected' AND replied_at IS NOT NULL`)
		if neg == 0 || answered < neg*7/10 {
			t.Errorf("%d of %d negative reviews answered", answered, neg)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM review_topics WHERE polarity < 0`); n == 0 {
			t.Error("no complaints tagged")
		}
		var sum int
		if err := a.DB.R.QueryRow(`SELECT COALESCE(SUM(rating * (id % 97)), 0) FROM reviews`).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		opt.Replace = true
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatalf("replace: %v", err)
		}
		var again int
		if err := a.DB.R.QueryRow(`SELECT COALESCE(SUM(rating * (id % 97)), 0) FROM reviews`).Scan(&again); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM reviews`); n != total || again != sum {
			t.Errorf("the replaced demo has %d reviews (checksum %d), want %d (%d)", n, again, total, sum)
		}
	})
}

package support_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
	"storeops/internal/support"
)

// The 360 view of a demo customer who bought, wrote reviews and earned
// points shows each part as the domains recorded it.
func TestCustomer360OfADemoCustomer(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, platform.ShopZone)
		if _, err := demo.Generate(context.Background(), a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.02, AsOf: asOf}); err != nil {
			t.Fatal(err)
		}
		var id platform.ID
		var reviews, negative int
		var points int64
		var tier string
		err := a.DB.R.QueryRow(`SELECT r.customer_id, COUNT(*), SUM(CASE WHEN r.rating <= 2 THEN 1 ELSE 0 END), MAX(l.balance), MAX(l.tier_code)
			FROM reviews r JOIN loyalty_accounts l ON l.customer_id = r.customer_id
			GROUP BY r.customer_id HAVING MAX(l.balance) > 0 ORDER BY COUNT(*) DESC, r.customer_id LIMIT 1`).Scan(&id, &reviews, &negative, &points, &tier)
		if err != nil {
			t.Fatalf("a demo customer with reviews and points: %v", err)
		}
		orders := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND paid_at IS NOT NULL`, id)
		tok := apptest.StaffToken(t, a, platform.RoleService)
		c := apptest.NewClient(t, apptest.Serve(t, a))
		res, body := c.Do(http.MethodGet, "/api/v1/admin/support/customers/"+id.String(), "", "", "Authorization", "Bearer "+tok)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("360: %d %s", res.StatusCode, body)
		}
		v := apptest.Decode[support.Customer360](t, body)
		if v.Orders != orders || v.Reviews != reviews || v.NegativeReviews != negative || v.Points != points || v.Tier != tier {
			t.Fatalf("360 = orders %d reviews %d/%d points %d tier %q; want %d, %d/%d, %d, %q",
				v.Orders, v.Reviews, v.NegativeReviews, v.Points, v.Tier, orders, reviews, negative, points, tier)
		}
		if v.AvgRating < 1 || v.AvgRating > 5 || v.LifetimeValue <= 0 {
			t.Fatalf("360 rating %.2f, lifetime value %d", v.AvgRating, v.LifetimeValue)
		}
	})
}

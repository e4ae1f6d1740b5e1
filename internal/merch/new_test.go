package merch_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/merch"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

func TestNewProducts(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		f := catalogtest.New(t, a.DB)
		cat := f.Category("美妆", "Beauty", 0)
		day := 24 * time.Hour
		mk := func(title string, listedAgo time.Duration, st catalog.Status) (platform.ID, platform.ID) {
			p, skus := f.Create(catalogtest.Product{Category: cat, Title: title, Status: st})
			if err := a.DB.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE products SET listed_at = $2 WHERE id = $1`, p, store.Time(tx.Now.Add(-listedAgo)))
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return p, skus[0]
		}
		views := func(p platform.ID, n int, ago time.Duration) {
			if err := a.DB.Write(ctx, func(tx *store.Tx) error {
				for range n {
					if _, err := tx.ExecContext(ctx, `INSERT INTO visit_events (id, session_id, kind, path, product_id, at) VALUES ($1, 1, 'product_view', '/p', $2, $3)`,
						tx.NewID(), p, store.Time(tx.Now.Add(-ago))); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		o1, s1 := mk("经典口红", 100*day, "")
		o2, _ := mk("保湿面霜", 100*day, "")
		n, sn := mk("新款气垫粉底", 10*day+time.Hour, "")
		mk("去年的新品", 40*day, "")
		mk("已归档的新品", 5*day, catalog.StatusArchived)
		views(o1, 10, 3*day)
		views(o1, 50, 45*day) // before the window
		views(o2, 4, 2*day)
		views(n, 20, day)
		sell(t, a.DB, o1, s1, 2, 5*day, order.Completed)
		sell(t, a.DB, n, sn, 1, 2*day, order.Paid)
		sell(t, a.DB, n, sn, 2, 3*day, order.Shipped)
		sell(t, a.DB, n, sn, 5, 3*day, order.Cancelled)

		rows, err := merch.NewProducts(ctx, a.DB)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 {
			t.Fatalf("rows %+v", rows)
		}
		// Category medians over its four on-sale products (last year's new
		// product counts, with nothing): views [0 4 10 20] → 7, units
		// [0 0 2 3] → 1, conversion over those viewed [0 1000 1000] bp →
		// 1000. N: 2 orders in 20 views = 10%, 3 units in 10 days → 9 at
		// 30 days, ahead of 1.
		p := rows[0]
		if p.ID != n || p.Days != 10 || p.Views != 20 || p.Units != 3 || p.Orders != 2 || p.Conversion == nil || *p.Conversion != 1000 ||
			p.Pace != 9 || p.MedianViews != 7 || p.MedianUnits != 1 || p.MedianConversion == nil || *p.MedianConversion != 1000 || !p.Ahead || p.Category != "美妆" {
			t.Fatalf("new product %+v", p)
		}
		page := staffDo(t, a, platform.RoleMarketing, http.MethodGet, "/console/merch/new", "", nil)
		if body := page.Body.String(); page.Code != 200 || !strings.Contains(body, "新款气垫粉底") || !strings.Contains(body, "10.00%") || !strings.Contains(body, "领先") {
			t.Fatalf("page %d %s", page.Code, body)
		}
		if x := staffDo(t, a, platform.RoleAnalyst, http.MethodGet, "/console/merch/new?format=xlsx&table=new-table", "", nil); x.Code != 200 || !strings.Contains(x.Header().Get("Content-Type"), "spreadsheet") {
			t.Fatalf("export %d", x.Code)
		}
	})
}

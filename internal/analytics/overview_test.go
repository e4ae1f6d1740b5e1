package analytics_test

import (
	"context"
	"net/url"
	"sort"
	"testing"
	"time"

	"storeops/internal/analytics"
	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/strategy"
)

// rawOrder and rawLine are rows read back plainly, for totals computed in
// Go independently of the service's SQL.
type rawOrder struct {
	id, customer          int64
	status                string
	total, cost, refunded int64
	placed                time.Time
}

type rawLine struct {
	order, product, category, qty, total int64
}

func loadRaw(t testing.TB, db *store.DB) ([]rawOrder, []rawLine) {
	t.Helper()
	ctx := context.Background()
	rows, err := db.R.QueryContext(ctx, `SELECT id, customer_id, status, total, cost_total, refunded_total, placed_at FROM orders`)
	if err != nil {
		t.Fatal(err)
	}
	var orders []rawOrder
	for rows.Next() {
		var o rawOrder
		if err := rows.Scan(&o.id, &o.customer, &o.status, &o.total, &o.cost, &o.refunded, &o.placed); err != nil {
			t.Fatal(err)
		}
		orders = append(orders, o)
	}
	rows.Close()
	rows, err = db.R.QueryContext(ctx, `SELECT order_id, product_id, category_id, quantity, line_total FROM order_lines`)
	if err != nil {
		t.Fatal(err)
	}
	var lines []rawLine
	for rows.Next() {
		var l rawLine
		if err := rows.Scan(&l.order, &l.product, &l.category, &l.qty, &l.total); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	rows.Close()
	return orders, lines
}

func counted(o rawOrder) bool { return order.Status(o.status).Counted() }

func in(o rawOrder, r analytics.Range) bool { return !o.placed.Before(r.From) && o.placed.Before(r.To) }

// expected computes a range's figures by looping over raw rows.
func expected(orders []rawOrder, r analytics.Range) (analytics.Figures, map[string][2]int64) {
	var f analytics.Figures
	daily := map[string][2]int64{}
	first := map[int64]time.Time{}
	countBefore := map[int64]int{}
	buyers := map[int64]bool{}
	for _, o := range orders {
		if !counted(o) {
			continue
		}
		if t, ok := first[o.customer]; !ok || o.placed.Before(t) {
			first[o.customer] = o.placed
		}
		if o.placed.Before(r.To) {
			countBefore[o.customer]++
		}
		if !in(o, r) {
			continue
		}
		f.GMV += platform.Money(o.total)
		f.Orders++
		f.Cost += platform.Money(o.cost)
		f.Refunds += platform.Money(o.refunded)
		buyers[o.customer] = true
		day := o.placed.In(platform.ShopZone).Format(time.DateOnly)
		d := daily[day]
		daily[day] = [2]int64{d[0] + o.total, d[1] + 1}
	}
	for c := range buyers {
		f.Customers++
		if !first[c].Before(r.From) {
			f.NewCustomers++
		}
		if countBefore[c] >= 2 {
			f.RepeatCustomers++
		}
	}
	return f, daily
}

type ranked struct{ id, qty, sales int64 }

// expectedTop ranks products (byCategory false) or categories by line
// sales of the range's counted orders.
func expectedTop(orders []rawOrder, lines []rawLine, r analytics.Range, byCategory bool) []ranked {
	ok := map[int64]bool{}
	for _, o := range orders {
		if counted(o) && in(o, r) {
			ok[o.id] = true
		}
	}
	sum := map[int64]*ranked{}
	for _, l := range lines {
		if !ok[l.order] {
			continue
		}
		k := l.product
		if byCategory {
			k = l.category
		}
		if sum[k] == nil {
			sum[k] = &ranked{id: k}
		}
		sum[k].qty += l.qty
		sum[k].sales += l.total
	}
	var out []ranked
	for _, v := range sum {
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].sales != out[j].sales {
			return out[i].sales > out[j].sales
		}
		return out[i].id < out[j].id
	})
	return out
}

// TestOverviewMatchesRawRows checks every Overview figure, its daily
// series, the previous period, the same period last year and the top
// products and categories against totals computed in Go from raw rows, on
// both databases.
func TestOverviewMatchesRawRows(t *testing.T) {
	clock := platform.NewFixedClock(fixedNow)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		seed(t, a.DB, clock.Now(), 1, 1500)
		checkOverview(t, a)
	})
}

func checkOverview(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	now := a.DB.Clock.Now()
	svc := &analytics.Service{DB: a.DB, Targets: &strategy.Service{DB: a.DB}}
	orders, lines := loadRaw(t, a.DB)
	queries := []url.Values{
		{"range": {"today"}},
		{"range": {"7d"}},
		{"range": {"30d"}},
		{"range": {"custom"}, "from": {"2026-02-20"}, "to": {"2026-03-10"}},
	}
	checkedYoY := false
	for _, q := range queries {
		sel, err := analytics.SelectRange(q, now)
		if err != nil {
			t.Fatal(err)
		}
		o, err := svc.Overview(ctx, sel.Range, platform.ZH, 5)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v; last year %+v", q.Encode(), o.Cur, o.YoYF)
		for _, c := range []struct {
			name  string
			r     analytics.Range
			got   analytics.Figures
			daily []analytics.Day
		}{{"current", o.Range, o.Cur, o.Daily}, {"previous", o.Prev, o.PrevF, o.PrevDaily}, {"yoy", o.YoY, o.YoYF, o.YoYD}} {
			want, wantDaily := expected(orders, c.r)
			if c.got != want {
				t.Errorf("%s %s %v: figures\n got %+v\nwant %+v", q.Encode(), c.name, c.r, c.got, want)
			}
			if c.name == "yoy" && want.Orders > 0 {
				checkedYoY = true
			}
			if want.Orders > 0 {
				if c.got.AOV() != platform.Money((int64(want.GMV)*2+want.Orders)/(2*want.Orders)) {
					t.Errorf("%s: AOV %v", c.name, c.got.AOV())
				}
			}
			if c.got.GrossProfit() != want.GMV-want.Cost-want.Refunds {
				t.Errorf("%s: gross profit", c.name)
			}
			var seen int64
			for _, d := range c.daily {
				w := wantDaily[d.Day.Format(time.DateOnly)]
				if int64(d.GMV) != w[0] || d.Orders != w[1] {
					t.Errorf("%s %s day %s: %v/%d, want %d/%d", q.Encode(), c.name, d.Day.Format(time.DateOnly), d.GMV, d.Orders, w[0], w[1])
				}
				seen += d.Orders
			}
			if seen != want.Orders {
				t.Errorf("%s %s: daily series misses orders: %d of %d", q.Encode(), c.name, seen, want.Orders)
			}
		}
		for _, byCat := range []bool{false, true} {
			want := expectedTop(orders, lines, o.Range, byCat)
			if len(want) > 5 {
				want = want[:5]
			}
			var got []ranked
			if byCat {
				for _, c := range o.TopCategories {
					got = append(got, ranked{int64(c.CategoryID), c.Quantity, int64(c.Sales)})
				}
			} else {
				for _, p := range o.TopProducts {
					got = append(got, ranked{int64(p.ProductID), p.Quantity, int64(p.Sales)})
				}
			}
			if len(got) != len(want) {
				t.Fatalf("%s top (categories %v): %d rows, want %d", q.Encode(), byCat, len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s top (categories %v) #%d: %+v, want %+v", q.Encode(), byCat, i+1, got[i], want[i])
				}
			}
		}
	}
	if !checkedYoY {
		t.Error("no range had orders a year earlier: the year-on-year check checked nothing")
	}
}

package analytics_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"storeops/internal/analytics"
	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
	"storeops/internal/strategy"
)

// TestRollupsFollowOrderChanges builds the rollups with the refresh job's
// catch-up, then changes orders of past days the way order writers will
// (status, refund, customer, placed_at, each with MarkDirty). The Overview
// must equal raw aggregation before the refresh (changed days are read
// raw) and after it, and the refreshed rollup tables must equal
// aggregates computed in Go from the raw rows, on both databases.
func TestRollupsFollowOrderChanges(t *testing.T) {
	clock := platform.NewFixedClock(fixedNow)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		seed(t, a.DB, clock.Now(), 3, 1500)
		r, err := analytics.Refresh(ctx, a.DB)
		if err != nil {
			t.Fatal(err)
		}
		if r.Days < 400 {
			t.Fatalf("catch-up rolled up %d days, want the ~425 past days since the first order", r.Days)
		}
		checkRollups(t, a.DB)
		checkOverview(t, a)
		checkRollupsRead(t, a)

		changeOrders(t, a.DB)
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM analytics_dirty`); n == 0 {
			t.Fatal("the changes left no change rows")
		}
		checkOverview(t, a) // exact before the refresh: changed days read raw

		r, err = analytics.Refresh(ctx, a.DB)
		if err != nil {
			t.Fatal(err)
		}
		if r.Changes == 0 || r.Days == 0 || r.Customers == 0 {
			t.Fatalf("refresh after changes: %+v", r)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM analytics_dirty`); n != 0 {
			t.Fatalf("%d change rows left after the refresh", n)
		}
		checkRollups(t, a.DB)
		checkOverview(t, a)

		// A refresh with nothing to do changes nothing.
		if r, err = analytics.Refresh(ctx, a.DB); err != nil || r != (analytics.Refreshed{}) {
			t.Fatalf("idle refresh: %+v %v", r, err)
		}
	})
}

// TestRebuildEqualsRaw checks the demo's set-based build against raw
// aggregation, and that a rebuild over existing rollups replaces them.
func TestRebuildEqualsRaw(t *testing.T) {
	clock := platform.NewFixedClock(fixedNow)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		seed(t, a.DB, clock.Now(), 4, 800)
		for range 2 {
			if err := analytics.Rebuild(ctx, a.DB); err != nil {
				t.Fatal(err)
			}
			checkRollups(t, a.DB)
		}
		checkOverview(t, a)
	})
}

// checkRollupsRead proves the Overview reads the rollups for a whole past
// day: a rolled-up day's GMV nudged by one fen shows in its figures.
func checkRollupsRead(t *testing.T, a *app.App) {
	t.Helper()
	ctx := context.Background()
	day := strategy.DayOf(a.DB.Clock.Now()).AddDate(0, 0, -3)
	svc := &analytics.Service{DB: a.DB, Targets: &strategy.Service{DB: a.DB}}
	before, err := svc.Figures(ctx, analytics.DayRange(day, day))
	if err != nil {
		t.Fatal(err)
	}
	nudge := func(by int) {
		if _, err := a.DB.W.ExecContext(ctx, `UPDATE analytics_days SET gmv = gmv + $1 WHERE day = $2`, by, day.Format(time.DateOnly)); err != nil {
			t.Fatal(err)
		}
	}
	nudge(1)
	defer nudge(-1)
	after, err := svc.Figures(ctx, analytics.DayRange(day, day))
	if err != nil {
		t.Fatal(err)
	}
	if after.GMV != before.GMV+1 {
		t.Fatalf("the Overview does not read the rollup of %s: GMV %v then %v", day.Format(time.DateOnly), before.GMV, after.GMV)
	}
}

// changeOrders changes orders of past days as an order writer would,
// calling MarkDirty for each.
func changeOrders(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	orders, _ := loadRaw(t, db)
	now := db.Clock.Now()
	// pick finds the newest order placed before ago with a status
	// satisfying ok and not yet used.
	used := map[int64]bool{}
	pick := func(ago time.Duration, ok func(rawOrder) bool) rawOrder {
		var best *rawOrder
		for i, o := range orders {
			if used[o.id] || !o.placed.Before(now.Add(-ago)) || !ok(o) {
				continue
			}
			if best == nil || o.placed.After(best.placed) {
				best = &orders[i]
			}
		}
		if best == nil {
			t.Fatalf("no order before %v", ago)
		}
		used[best.id] = true
		return *best
	}
	day := 24 * time.Hour
	cancel := pick(10*day, counted)
	pay := pick(20*day, func(o rawOrder) bool { return o.status == "pending_payment" })
	refund := pick(366*day, counted) // last year: the year-on-year figures move
	move := pick(12*day, counted)
	first := pick(5*day, counted)  // becomes a new customer's first order
	second := pick(3*day, counted) // and the second
	third := pick(2*day, counted)
	const newCustomer = 999_999
	err := db.Write(ctx, func(tx *store.Tx) error {
		exec := func(q string, args ...any) {
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		mark := func(customer int64, placed time.Time) {
			if err := analytics.MarkDirty(ctx, tx, platform.ID(customer), placed); err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, cancel.id)
		mark(cancel.customer, cancel.placed)
		exec(`UPDATE orders SET status = 'paid' WHERE id = $1`, pay.id)
		mark(pay.customer, pay.placed)
		exec(`UPDATE orders SET refunded_total = total WHERE id = $1`, refund.id)
		mark(refund.customer, refund.placed)
		moved := store.Time(move.placed.Add(-2 * day))
		exec(`UPDATE orders SET placed_at = $1 WHERE id = $2`, moved, move.id)
		mark(move.customer, move.placed)
		mark(move.customer, moved)
		for _, o := range []rawOrder{first, second, third} {
			exec(`UPDATE orders SET customer_id = $1 WHERE id = $2`, newCustomer, o.id)
			mark(o.customer, o.placed)
			mark(newCustomer, o.placed)
		}
		// The new customer's first order is cancelled after all: the
		// second becomes the first, the third the second.
		exec(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, first.id)
		mark(newCustomer, first.placed)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkRollups compares every rollup table with aggregates computed in Go
// from the raw rows: each past day since the first order is rolled up,
// with the day's totals, line sales by product and category and its
// customers, and each customer's first and second counted orders.
func checkRollups(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	orders, lines := loadRaw(t, db)
	dayOf := func(at time.Time) string { return at.In(platform.ShopZone).Format(time.DateOnly) }
	type totals struct{ gmv, orders, cost, refunds int64 }
	type sales struct{ qty, orders, sales int64 }
	wantDays := map[string]totals{}
	wantProducts, wantCategories := map[string]sales{}, map[string]sales{}
	wantCustomers := map[string]bool{}
	byOrder := map[int64]rawOrder{}
	var firsts = map[int64][]time.Time{}
	today := dayOf(db.Clock.Now())
	var firstDay string
	for _, o := range orders {
		if d := dayOf(o.placed); firstDay == "" || d < firstDay {
			firstDay = d
		}
		if !counted(o) {
			continue
		}
		f := firsts[o.customer]
		f = append(f, o.placed)
		for i := len(f) - 1; i > 0 && f[i].Before(f[i-1]); i-- {
			f[i], f[i-1] = f[i-1], f[i]
		}
		if len(f) > 2 {
			f = f[:2]
		}
		firsts[o.customer] = f
		d := dayOf(o.placed)
		if d >= today {
			continue
		}
		byOrder[o.id] = o
		w := wantDays[d]
		wantDays[d] = totals{w.gmv + o.total, w.orders + 1, w.cost + o.cost, w.refunds + o.refunded}
		wantCustomers[fmt.Sprint(d, "/", o.customer)] = true
	}
	seenP, seenC := map[string]bool{}, map[string]bool{}
	for _, l := range lines {
		o, ok := byOrder[l.order]
		if !ok {
			continue
		}
		d := dayOf(o.placed)
		for _, g := range []struct {
			m    map[string]sales
			seen map[string]bool
			id   int64
		}{{wantProducts, seenP, l.product}, {wantCategories, seenC, l.category}} {
			k := fmt.Sprint(d, "/", g.id)
			s := g.m[k]
			s.qty += l.qty
			s.sales += l.total
			if ok := fmt.Sprint(k, "/", l.order); !g.seen[ok] {
				g.seen[ok] = true
				s.orders++
			}
			g.m[k] = s
		}
	}

	rows, err := db.R.QueryContext(ctx, `SELECT day, gmv, orders, cost, refunds FROM analytics_days`)
	if err != nil {
		t.Fatal(err)
	}
	gotDays := map[string]totals{}
	for rows.Next() {
		var d string
		var v totals
		if err := rows.Scan(&d, &v.gmv, &v.orders, &v.cost, &v.refunds); err != nil {
			t.Fatal(err)
		}
		gotDays[d] = v
	}
	rows.Close()
	for d := firstDay; d < today; d = nextDay(d) {
		got, ok := gotDays[d]
		if !ok {
			t.Errorf("day %s not rolled up", d)
		} else if got != wantDays[d] {
			t.Errorf("day %s: %+v, want %+v", d, got, wantDays[d])
		}
		delete(gotDays, d)
	}
	for d := range gotDays {
		t.Errorf("day %s rolled up, outside the past days since the first order", d)
	}
	for _, tb := range []struct {
		table, col string
		want       map[string]sales
	}{{"analytics_day_products", "product_id", wantProducts}, {"analytics_day_categories", "category_id", wantCategories}} {
		got := map[string]sales{}
		rows, err := db.R.QueryContext(ctx, `SELECT day, `+tb.col+`, quantity, orders, sales FROM `+tb.table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var d string
			var id int64
			var v sales
			if err := rows.Scan(&d, &id, &v.qty, &v.orders, &v.sales); err != nil {
				t.Fatal(err)
			}
			got[fmt.Sprint(d, "/", id)] = v
		}
		rows.Close()
		if len(got) != len(tb.want) {
			t.Errorf("%s: %d rows, want %d", tb.table, len(got), len(tb.want))
		}
		for k, w := range tb.want {
			if got[k] != w {
				t.Errorf("%s %s: %+v, want %+v", tb.table, k, got[k], w)
			}
		}
	}
	got := map[string]bool{}
	rows, err = db.R.QueryContext(ctx, `SELECT day, customer_id FROM analytics_day_customers`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var d string
		var c int64
		if err := rows.Scan(&d, &c); err != nil {
			t.Fatal(err)
		}
		got[fmt.Sprint(d, "/", c)] = true
	}
	rows.Close()
	if len(got) != len(wantCustomers) {
		t.Errorf("analytics_day_customers: %d rows, want %d", len(got), len(wantCustomers))
	}
	for k := range wantCustomers {
		if !got[k] {
			t.Errorf("analytics_day_customers lacks %s", k)
		}
	}
	rows, err = db.R.QueryContext(ctx, `SELECT customer_id, first_at, second_at FROM analytics_customers`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var c int64
		var first time.Time
		var second *time.Time
		if err := rows.Scan(&c, &first, &second); err != nil {
			t.Fatal(err)
		}
		n++
		w := firsts[c]
		if len(w) == 0 || !first.Equal(w[0]) || (second == nil) != (len(w) < 2) || (second != nil && !second.Equal(w[1])) {
			t.Errorf("customer %d: first orders %v, %v; want %v", c, first, second, w)
		}
	}
	rows.Close()
	if n != len(firsts) {
		t.Errorf("analytics_customers: %d rows, want %d", n, len(firsts))
	}
}

func nextDay(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		panic(err)
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

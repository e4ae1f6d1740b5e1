package bench

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"storeops/internal/analytics"
	"storeops/internal/app"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
	"storeops/internal/strategy"
)

// overviewOrders is how many orders BenchmarkOverview generates over the
// fourteen months before its clock: STOREOPS_BENCH_ORDERS when set, else
// 50,000 (the demo shop at scale 1) for timed runs, and 2,000 when the run
// counts iterations (-benchtime 20x: bench/run --smoke) or is -short, so
// the smoke run stays seconds long.
func overviewOrders() int {
	if n, err := strconv.Atoi(os.Getenv("STOREOPS_BENCH_ORDERS")); err == nil && n > 0 {
		return n
	}
	if f := flag.Lookup("test.benchtime"); testing.Short() || (f != nil && strings.HasSuffix(f.Value.String(), "x")) {
		return 2000
	}
	return 50_000
}

// BenchmarkOverview measures the Overview's queries for the last 30 days
// and for 366 days (each with its previous period, the same days last
// year and the top 10 products and categories), and the progress of six
// targets (a month and a quarter), first from the raw rows and then with
// the daily rollups built (rollup*), against a baseline of one raw
// aggregate over the same 30 days of orders.
func BenchmarkOverview(b *testing.B) {
	sets, err := app.MigrationSets()
	if err != nil {
		b.Fatal(err)
	}
	clock := platform.NewFixedClock(time.Date(2026, 11, 25, 15, 30, 0, 0, platform.ShopZone))
	n := overviewOrders()
	for _, d := range storetest.Kinds(b) {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d, storetest.Config{Sets: sets, Clock: clock})
			start := time.Now()
			seedOrders(b, db, clock.Now(), n)
			b.Logf("%s: %d orders generated in %v", d, n, time.Since(start).Round(time.Millisecond))
			ctx := context.Background()
			// Statistics and the visibility map, as autovacuum and a
			// long-running SQLite would have them.
			stats := "ANALYZE"
			if d == store.Postgres {
				stats = "VACUUM ANALYZE"
			}
			if _, err := db.W.ExecContext(ctx, stats); err != nil {
				b.Fatal(err)
			}
			targets := &strategy.Service{DB: db}
			for _, kind := range strategy.Kinds {
				gmv, rate := int64(500_000_000), int64(3000)
				err := targets.Apply(ctx, strategy.Change{Period: strategy.PeriodOf(kind, clock.Now()), Values: map[strategy.Metric]*int64{
					strategy.GMV: &gmv, strategy.GrossProfit: &gmv, strategy.RepeatRate: &rate}}, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
			sel, err := analytics.SelectRange(map[string][]string{"range": {"30d"}}, clock.Now())
			if err != nil {
				b.Fatal(err)
			}
			today := strategy.DayOf(clock.Now())
			year, err := analytics.SelectRange(map[string][]string{"range": {"custom"},
				"from": {today.AddDate(0, 0, -365).Format(time.DateOnly)}, "to": {today.Format(time.DateOnly)}}, clock.Now())
			if err != nil {
				b.Fatal(err)
			}
			svc := &analytics.Service{DB: db, Targets: targets}
			b.Run("baseline", func(b *testing.B) {
				for b.Loop() {
					var gmv, orders int64
					err := db.R.QueryRowContext(ctx, `SELECT COALESCE(SUM(total), 0), COUNT(*) FROM orders WHERE placed_at >= $1 AND placed_at < $2`,
						sel.Range.From, sel.Range.To).Scan(&gmv, &orders)
					if err != nil {
						b.Fatal(err)
					}
				}
			})
			overview := func(r analytics.Range) func(b *testing.B) {
				return func(b *testing.B) {
					for b.Loop() {
						if _, err := svc.Overview(ctx, r, platform.ZH, analytics.TopN); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			targetProgress := func(b *testing.B) {
				for b.Loop() {
					if _, err := svc.TargetProgress(ctx, clock.Now()); err != nil {
						b.Fatal(err)
					}
				}
			}
			// From the raw rows: no rollups yet.
			b.Run("overview30d", overview(sel.Range))
			b.Run("overview366d", overview(year.Range))
			b.Run("targets", targetProgress)
			// From the daily rollups for every whole past day, raw rows
			// for today, as the demo leaves a shop.
			start = time.Now()
			if err := analytics.Rebuild(ctx, db); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: rollups of %d orders built in %v", d, n, time.Since(start).Round(time.Millisecond))
			if _, err := db.W.ExecContext(ctx, stats); err != nil {
				b.Fatal(err)
			}
			b.Run("rollup30d", overview(sel.Range))
			b.Run("rollup366d", overview(year.Range))
			b.Run("rollupTargets", targetProgress)
		})
	}
}

// seedOrders writes n orders with one to three lines each over the
// fourteen months before now, from 40 products in 8 categories and
// n/5 customers; the orders go through the bulk loader, so a million
// takes minutes, not an hour.
func seedOrders(b *testing.B, db *store.DB, now time.Time, n int) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	const nProducts, nCats = 40, 8
	var cats, products, prices []int64
	err := db.Write(ctx, func(tx *store.Tx) error {
		for i := range nCats {
			id := int64(tx.NewID())
			if _, err := tx.ExecContext(ctx, `INSERT INTO categories (id, slug, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
				id, fmt.Sprintf("bench-%d", i), fmt.Sprintf("类目%d", i), tx.Now); err != nil {
				return err
			}
			cats = append(cats, id)
		}
		for i := range nProducts {
			id := int64(tx.NewID())
			if _, err := tx.ExecContext(ctx, `INSERT INTO products (id, category_id, title, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
				id, cats[i%nCats], fmt.Sprintf("商品%d", i), tx.Now); err != nil {
				return err
			}
			products = append(products, id)
			prices = append(prices, int64(500+rng.IntN(30000)))
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	from := now.AddDate(0, -14, 0)
	span := int64(now.Sub(from))
	customers := max(n/5, 1)
	const chunk = 20_000 // orders per load transaction
	for done := 0; done < n; done += chunk {
		err := db.Load(ctx, func(l *store.Loader) error {
			orders := l.Into("orders", "id", "order_no", "customer_id", "status", "items_total", "total", "cost_total", "refunded_total", "item_count", "placed_at", "created_at", "updated_at")
			var lines [][]any
			for i := done; i < min(done+chunk, n); i++ {
				placed := db.BulkTime(store.Time(from.Add(time.Duration(rng.Int64N(span)))))
				status := "completed"
				switch rng.IntN(10) {
				case 0:
					status = "cancelled"
				case 1:
					status = "pending_payment"
				case 2:
					status = "shipped"
				}
				id := int64(db.IDs.Next())
				count := 1 + rng.IntN(3)
				var total int64
				type line struct{ p, q int }
				ls := make([]line, count)
				for j := range ls {
					ls[j] = line{rng.IntN(nProducts), 1 + rng.IntN(2)}
					total += prices[ls[j].p] * int64(ls[j].q)
				}
				var refunded int64
				if rng.IntN(20) == 0 {
					refunded = total / 2
				}
				if err := orders.Add(id, fmt.Sprintf("B%09d", i), int64(1+rng.IntN(customers)), status, total, total, total*6/10, refunded, count, placed, placed, placed); err != nil {
					return err
				}
				for _, ln := range ls {
					lines = append(lines, []any{int64(db.IDs.Next()), id, products[ln.p], products[ln.p], cats[ln.p%nCats], "x", ln.q, prices[ln.p], prices[ln.p] * int64(ln.q), prices[ln.p] * 6 / 10})
				}
			}
			// The lines refer to the orders.
			if err := orders.Flush(); err != nil {
				return err
			}
			into := l.Into("order_lines", "id", "order_id", "product_id", "sku_id", "category_id", "title", "quantity", "unit_price", "line_total", "unit_cost")
			for _, ln := range lines {
				if err := into.Add(ln...); err != nil {
					return err
				}
			}
			return into.Flush()
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// searchClients is how many shoppers search at once.
const searchClients = 8

// BenchmarkSearchScale measures search on catalogs of 100,000 and
// 1,000,000 on-sale products (2,000 under bench/run --smoke), made from
// the demo shop's vocabulary (its categories, brands, item names, selling
// points and attributes recombined) and written straight into the
// database. searchClients goroutines search at once. "baseline" is a
// LIKE scan of on-sale titles returning 20 rows, on the same database in
// the same run, with the same clients; "query" is the engine (Chinese
// words, pinyin, initials, typos, facets over every match, highlighting).
// Each reports queries/s, p50 and p99 in ms. "build" reports the index
// build time in seconds per 100,000 products and the heap the index holds
// in MB after a collection.
func BenchmarkSearchScale(b *testing.B) {
	sizes := []int{100_000, 1_000_000}
	if os.Getenv("STOREOPS_BENCH_SMOKE") != "" || testing.Short() {
		sizes = []int{2_000}
	}
	if s := os.Getenv("STOREOPS_BENCH_SEARCH_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			var n int
			fmt.Sscan(f, &n)
			sizes = append(sizes, n)
		}
	}
	sets, err := app.MigrationSets()
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range storetest.Kinds(b) {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("%s/products-%d", d, n), func(b *testing.B) {
				ctx := context.Background()
				db := storetest.Open(b, d, storetest.Config{Sets: sets})
				a, err := app.Build(ctx, app.Config{Dev: true, InsertOnly: true}, db)
				if err != nil {
					b.Fatal(err)
				}
				// The demo shop gives the categories, brands and words.
				asOf := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
				if _, err := demo.Generate(ctx, db, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.02, AsOf: asOf}); err != nil {
					b.Fatal(err)
				}
				if err := fillCatalog(ctx, db, n); err != nil {
					b.Fatal(err)
				}
				// One build, measured here and reported by the "build"
				// sub-benchmark (a build per iteration would take minutes).
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				engine := search.NewEngine(db, search.EngineConfig{})
				start := time.Now()
				if err := engine.Rebuild(ctx); err != nil {
					b.Fatal(err)
				}
				took := time.Since(start)
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap := after.HeapAlloc - min(before.HeapAlloc, after.HeapAlloc)
				b.Run("build", func(b *testing.B) {
					for b.Loop() {
					}
					b.ReportMetric(took.Seconds()*100_000/float64(n), "s/100k-products")
					b.ReportMetric(float64(heap)/(1<<20), "heap-MB")
				})
				b.Run("baseline", func(b *testing.B) {
					concurrently(b, func(i int) error {
						rows, err := db.R.QueryContext(ctx, `SELECT id, title FROM products
							WHERE status = 'on_sale' AND title LIKE $1 ORDER BY id DESC LIMIT 20`, "%"+likeWords[i%len(likeWords)]+"%")
						if err != nil {
							return err
						}
						defer rows.Close()
						for rows.Next() {
							var id platform.ID
							var title string
							if err := rows.Scan(&id, &title); err != nil {
								return err
							}
						}
						return rows.Err()
					})
				})
				b.Run("query", func(b *testing.B) {
					concurrently(b, func(i int) error {
						res, err := engine.Search(ctx, search.Request{Query: searchQueries[i%len(searchQueries)],
							Sort: search.SortRelevance, Page: platform.PageRequest{Limit: 20}})
						if err == nil && res.Total == 0 && searchQueries[i%len(searchQueries)] == "连衣裙" {
							err = fmt.Errorf("连衣裙 found nothing")
						}
						return err
					})
				})
			})
		}
	}
}

// concurrently runs b.N calls of fn over searchClients goroutines and
// reports queries/s with the median and 99th percentile latency.
func concurrently(b *testing.B, fn func(i int) error) {
	b.Helper()
	var (
		mu   sync.Mutex
		lats []time.Duration
		next int
		fail error
	)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range searchClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= b.N {
					break
				}
				t0 := time.Now()
				if err := fn(i); err != nil {
					mu.Lock()
					fail = err
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lats = append(lats, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if fail != nil {
		b.Fatal(fail)
	}
	slices.Sort(lats)
	pct := func(p float64) float64 {
		if len(lats) == 0 {
			return 0
		}
		return float64(lats[min(len(lats)-1, int(p*float64(len(lats))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "queries/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// fillCatalog adds n on-sale products recombined from the demo catalog's
// words: a brand and an item of one sub-category with two of its selling
// points, its attributes and a price in its band.
func fillCatalog(ctx context.Context, db *store.DB, n int) error {
	rows, err := db.R.QueryContext(ctx, `SELECT p.category_id, COALESCE(p.brand_id, 0), p.title, p.attributes, p.price_min
		FROM products p WHERE p.status = 'on_sale' ORDER BY p.id`)
	if err != nil {
		return err
	}
	type sub struct {
		brandNames    []string
		brandIDs      []platform.ID
		items, points []string
		attrs         []string
		lo, hi        int64
	}
	subs := map[platform.ID]*sub{}
	var order []platform.ID
	for rows.Next() {
		var cat, brand platform.ID
		var title, attrs string
		var price int64
		if err := rows.Scan(&cat, &brand, &title, &attrs, &price); err != nil {
			rows.Close()
			return err
		}
		f := strings.Fields(title)
		if len(f) < 3 {
			continue
		}
		s := subs[cat]
		if s == nil {
			s = &sub{lo: price, hi: price}
			subs[cat] = s
			order = append(order, cat)
		}
		if !slices.Contains(s.brandNames, f[0]) {
			s.brandNames = append(s.brandNames, f[0])
			s.brandIDs = append(s.brandIDs, brand)
		}
		s.items = append(s.items, f[1])
		s.points = append(s.points, f[2:]...)
		s.attrs = append(s.attrs, attrs)
		s.lo, s.hi = min(s.lo, price), max(s.hi, price)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	now := store.Time(db.Now())
	r := rand.New(rand.NewPCG(1, 2))
	return db.Load(ctx, func(l *store.Loader) error {
		prods := l.Into("products", "id", "category_id", "brand_id", "title", "subtitle", "description", "attributes", "status",
			"storage_class", "price_min", "price_max", "listed_at", "created_at", "updated_at")
		for range n {
			cat := order[r.IntN(len(order))]
			s := subs[cat]
			i := r.IntN(len(s.brandNames))
			brandName, brand := s.brandNames[i], s.brandIDs[i]
			title := fmt.Sprintf("%s %s %s %s", brandName, s.items[r.IntN(len(s.items))], s.points[r.IntN(len(s.points))], s.points[r.IntN(len(s.points))])
			price := s.lo + r.Int64N(s.hi-s.lo+1)
			var brandV any
			if brand != 0 {
				brandV = int64(brand)
			}
			if err := prods.Add(int64(db.IDs.Next()), int64(cat), brandV, title, "", "", s.attrs[r.IntN(len(s.attrs))], "on_sale",
				"ambient", price, price, now, now, now); err != nil {
				return err
			}
		}
		return nil
	})
}

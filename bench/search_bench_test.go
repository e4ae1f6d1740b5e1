package bench

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store/storetest"
)

// searchQueries are what shoppers type: Chinese words, pinyin and its
// initials, a brand, a model number, a typo. likeWords are the same
// searches as a LIKE pattern can express them (it knows no pinyin or
// typos), for the baseline.
var (
	searchQueries = []string{"连衣裙", "lianyiqun", "lyq", "手机", "蓝牙耳机", "纯棉T恤", "xiaomi", "iphnoe", "羽绒服 男", "牛奶", "三体", "5G手机"}
	likeWords     = []string{"连衣裙", "连衣裙", "连衣裙", "手机", "蓝牙耳机", "T恤", "小米", "iPhone", "羽绒服", "牛奶", "三体", "5G手机"}
)

// BenchmarkSearch measures a search of the demo catalog at scale 1 (a
// tiny shop under bench/run --smoke) through this node's in-memory index:
// segmentation, pinyin and typo expansion, scoring, facets over every
// match and highlighting of a 20-hit page. The baseline is the nearest
// thing the database does alone, a LIKE scan of on-sale titles returning
// 20 rows, on the same database in the same run. "build" is one index
// build from the database. Each reports queries/s (builds/s).
func BenchmarkSearch(b *testing.B) {
	sets, err := app.MigrationSets()
	if err != nil {
		b.Fatal(err)
	}
	scale := 1.0
	if os.Getenv("STOREOPS_BENCH_SMOKE") != "" || testing.Short() {
		scale = 0.02
	}
	asOf := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, d := range storetest.Kinds(b) {
		b.Run(fmt.Sprintf("%s/scale-%g", d, scale), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d, storetest.Config{Sets: sets})
			a, err := app.Build(ctx, app.Config{Dev: true, InsertOnly: true}, db)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := demo.Generate(ctx, db, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: scale, AsOf: asOf}); err != nil {
				b.Fatal(err)
			}
			engine := search.NewEngine(db, search.EngineConfig{})
			if err := engine.Rebuild(ctx); err != nil {
				b.Fatal(err)
			}
			b.Run("baseline", func(b *testing.B) {
				i := 0
				for b.Loop() {
					rows, err := db.R.QueryContext(ctx, `SELECT id, title FROM products
						WHERE status = 'on_sale' AND title LIKE $1 ORDER BY id DESC LIMIT 20`, "%"+likeWords[i%len(likeWords)]+"%")
					if err != nil {
						b.Fatal(err)
					}
					for rows.Next() {
						var id platform.ID
						var title string
						if err := rows.Scan(&id, &title); err != nil {
							b.Fatal(err)
						}
					}
					rows.Close()
					i++
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
			})
			b.Run("query", func(b *testing.B) {
				i, hits := 0, 0
				for b.Loop() {
					res, err := engine.Search(ctx, search.Request{Query: searchQueries[i%len(searchQueries)],
						Sort: search.SortRelevance, Page: platform.PageRequest{Limit: 20}})
					if err != nil {
						b.Fatal(err)
					}
					hits += res.Total
					i++
				}
				if hits == 0 {
					b.Fatal("no query found anything")
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
			})
			b.Run("build", func(b *testing.B) {
				for b.Loop() {
					if err := engine.Rebuild(ctx); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "builds/s")
			})
		})
	}
}

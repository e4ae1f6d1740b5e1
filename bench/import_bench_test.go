package bench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/audit"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// importRows is the file size BenchmarkProductImport imports: 10,000
// rows (5,000 products of two SKUs), 300 under bench/run --smoke.
func importRows() int {
	if os.Getenv("STOREOPS_BENCH_SMOKE") != "" || testing.Short() {
		return 300
	}
	return 10_000
}

// importFile is a CSV of n rows: products of two SKUs (黑色/白色) in one
// category, every column the import reads filled in.
func importFile(n int) string {
	var b strings.Builder
	b.WriteString("商品编号,标题,分类,储存方式,商品属性,标签,商品详情,状态,SKU编码,规格,售价,划线价,成本,重量(克),体积(cm³)\n")
	for i := range n {
		p := i / 2
		color := [2]string{"黑色", "白色"}[i%2]
		if i%2 == 0 {
			fmt.Fprintf(&b, "P%d,纯棉T恤 %d 号,服饰,常温,材质=棉; 产地=新疆,新品,<p>宽松版型 %d</p>,on_sale,", p, p, p)
		} else {
			fmt.Fprintf(&b, "P%d,,,,,,,,", p)
		}
		fmt.Fprintf(&b, "TS-%d-%d,颜色=%s,%d.90,%d.00,20,220,1200\n", p, i%2, color, 59+p%40, 99+p%40)
	}
	return b.String()
}

// BenchmarkProductImport measures importing a 10,000-row CSV (parse,
// check every row against the category template, upsert by SKU code,
// audit and outbox per product, on-sale moves) into an empty catalog,
// and the re-import of the same file (every product unchanged), against
// a baseline that bulk-inserts the same products and SKUs as bare rows
// through the store's multi-row Loader in one transaction. One iteration
// is one file; rows/s is reported.
func BenchmarkProductImport(b *testing.B) {
	sets, err := app.MigrationSets()
	if err != nil {
		b.Fatal(err)
	}
	n := importRows()
	file := importFile(n)
	actor := audit.CLI("bench")
	fresh := func(b *testing.B, d store.Dialect) *store.DB {
		db := storetest.Open(b, d, storetest.Config{Sets: sets})
		catalogtest.New(b, db).Category("服饰", "Apparel", 0)
		return db
	}
	importOnce := func(b *testing.B, db *store.DB) *catalog.ImportReport {
		rows, err := catalog.ParseImport(strings.NewReader(file), catalog.FormatCSV)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := catalog.NewAdmin(db).Import(context.Background(), actor, rows, catalog.ImportOptions{})
		if err != nil || len(rep.Errors) > 0 || !rep.Applied {
			b.Fatalf("import: %v %+v", err, rep)
		}
		return rep
	}
	for _, d := range storetest.Kinds(b) {
		b.Run(fmt.Sprintf("%s/rows-%d/baseline", d, n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := fresh(b, d)
				b.StartTimer()
				if err := rawProducts(db, n); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
		b.Run(fmt.Sprintf("%s/rows-%d/import", d, n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := fresh(b, d)
				b.StartTimer()
				if rep := importOnce(b, db); rep.Created != n/2 {
					b.Fatalf("created %d", rep.Created)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
		b.Run(fmt.Sprintf("%s/rows-%d/reimport", d, n), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := fresh(b, d)
				importOnce(b, db)
				b.StartTimer()
				if rep := importOnce(b, db); rep.Unchanged != n/2 {
					b.Fatalf("unchanged %d", rep.Unchanged)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// rawProducts is the baseline: the same products and SKUs as bare rows,
// multi-row inserts in one transaction.
func rawProducts(db *store.DB, n int) error {
	at := store.Time(time.Date(2026, 11, 11, 12, 0, 0, 0, time.UTC))
	var cat int64
	if err := db.R.QueryRow(`SELECT id FROM categories LIMIT 1`).Scan(&cat); err != nil {
		return err
	}
	return db.Load(context.Background(), func(l *store.Loader) error {
		p := l.Into("products", "id", "category_id", "title", "description", "attributes", "status", "storage_class", "price_min", "price_max", "created_at", "updated_at")
		s := l.Into("skus", "id", "product_id", "code", "spec", "spec_text", "price", "compare_at_price", "cost", "weight_g", "volume_cm3", "status", "position", "created_at", "updated_at")
		price := func(i int) int64 { return int64((59+i/2%40)*100 + 90) }
		for i := 0; i < n; i += 2 {
			if err := p.Add(int64(1_000_000+i/2), cat, fmt.Sprintf("纯棉T恤 %d 号", i/2), "<p>宽松版型</p>", `{"材质":"棉","产地":"新疆"}`, "on_sale", "ambient", price(i), price(i), at, at); err != nil {
				return err
			}
		}
		// Products first: a full SKU batch may be written before the last
		// product batch otherwise.
		if err := p.Flush(); err != nil {
			return err
		}
		for i := range n {
			pid := int64(1_000_000 + i/2)
			if err := s.Add(int64(2_000_000+i), pid, fmt.Sprintf("TS-%d-%d", i/2, i%2), `{"颜色":"黑色"}`, "黑色", price(i), price(i)+4000, int64(2000), 220, 1200, "active", i%2, at, at); err != nil {
				return err
			}
		}
		return s.Flush()
	})
}

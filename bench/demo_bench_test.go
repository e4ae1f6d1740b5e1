package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// demoScales are the shop sizes BenchmarkDemo generates: 1 and 20 in a
// full run (STOREOPS_DEMO_SCALES overrides, e.g. "1"), a tiny shop under
// bench/run --smoke.
func demoScales() []float64 {
	spec := os.Getenv("STOREOPS_DEMO_SCALES")
	if os.Getenv("STOREOPS_BENCH_SMOKE") != "" {
		spec = "0.02"
	}
	if spec == "" {
		spec = "1,20"
	}
	var out []float64
	for _, f := range strings.Split(spec, ",") {
		if v, err := strconv.ParseFloat(strings.TrimSpace(f), 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// BenchmarkDemo generates the demo shop (every step, every row) and
// compares it with a baseline that bulk-inserts the same number of bare
// order rows through the same Loader on the same kind of database. It
// reports orders/s and the peak resident memory of the generation.
func BenchmarkDemo(b *testing.B) {
	sets, err := app.MigrationSets()
	if err != nil {
		b.Fatal(err)
	}
	asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, platform.ShopZone)
	for _, d := range storetest.Kinds(b) {
		for _, scale := range demoScales() {
			orders := int(50_400*scale + 0.5)
			b.Run(fmt.Sprintf("%s/scale-%g/baseline", d, scale), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					db := storetest.Open(b, d, storetest.Config{Sets: sets})
					resetPeakRSS()
					b.StartTimer()
					if err := rawOrders(db, orders); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(orders)*float64(b.N)/b.Elapsed().Seconds(), "orders/s")
				b.ReportMetric(peakRSSMiB(), "peak-MiB")
			})
			b.Run(fmt.Sprintf("%s/scale-%g/generate", d, scale), func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					db := storetest.Open(b, d, storetest.Config{Sets: sets})
					a, err := app.Build(context.Background(), app.Config{Dev: true, InsertOnly: true}, db)
					if err != nil {
						b.Fatal(err)
					}
					steps := demo.Steps(a.Modules)
					resetPeakRSS()
					b.StartTimer()
					if _, err := demo.Generate(context.Background(), db, steps, demo.Options{Seed: 1, Scale: scale, AsOf: asOf}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(orders)*float64(b.N)/b.Elapsed().Seconds(), "orders/s")
				b.ReportMetric(peakRSSMiB(), "peak-MiB")
			})
		}
	}
}

// rawOrders is the baseline: n order rows with fixed values, multi-row
// INSERT or COPY in transactions of 16,000 like the order step's.
func rawOrders(db *store.DB, n int) error {
	at := store.Time(time.Date(2026, 11, 11, 12, 0, 0, 0, time.UTC))
	for done := 0; done < n; {
		err := db.Load(context.Background(), func(l *store.Loader) error {
			o := l.Into("orders", "id", "order_no", "customer_id", "status", "channel", "items_total", "discount_total", "shipping_fee", "total", "cost_total", "item_count", "province_code", "province", "city", "placed_at", "paid_at", "created_at", "updated_at")
			for i := 0; i < 16_000 && done < n; i++ {
				if err := o.Add(int64(done+1), fmt.Sprintf("20261111%08d", done), int64(done%9000+1), "completed", "search", int64(12900), int64(0), int64(0), int64(12900), int64(6000), 1, "310000", "上海市", "上海市", at, at, at, at); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// resetPeakRSS starts a new peak-memory measurement (Linux: writing 5 to
// clear_refs resets VmHWM).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMiB reads VmHWM, the peak resident set since the last reset.
func peakRSSMiB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

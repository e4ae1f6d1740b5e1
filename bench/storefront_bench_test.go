package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
	"storeops/internal/web"
)

// storefrontConns is the number of concurrent keep-alive connections the
// load generator holds open.
const storefrontConns = 64

const shopperUA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"

// BenchmarkStorefrontProduct measures the storefront product page of the
// demo shop at scale 0.1 (catalog read, page rendering, visit tracking,
// gzip) under 64 concurrent shoppers over
// real HTTP on loopback, against a baseline route on the same server and
// middleware stack that writes the same page's bytes from memory. One
// iteration is one request; ns/op is the inverse of throughput, and p99-ms
// the 99th percentile latency.
func BenchmarkStorefrontProduct(b *testing.B) {
	// The access log is the same for both cases and would otherwise
	// measure the terminal.
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	b.Cleanup(func() { slog.SetDefault(prev) })
	for _, d := range storetest.Kinds(b) {
		b.Run(string(d), func(b *testing.B) {
			a := apptest.New(b, d, apptest.Options{})
			ctx := context.Background()
			if err := a.Start(ctx); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() {
				sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				a.Stop(sctx)
			})
			products := storefrontData(b, a)
			base := apptest.Serve(b, a)
			page := fetch(b, newShopper(), base+"/p/"+products[0].String())
			a.Router.Add(web.Route{Method: http.MethodGet, Path: "/bench/static", Surface: web.System,
				Handler: func(w http.ResponseWriter, r *http.Request) error {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					_, err := w.Write(page)
					return err
				}})
			b.Run("baseline", func(b *testing.B) {
				load(b, func(int) string { return base + "/bench/static" })
			})
			b.Run("product", func(b *testing.B) {
				load(b, func(i int) string { return base + "/p/" + products[i%len(products)].String() })
			})
		})
	}
}

// storefrontData builds the demo shop at scale 0.1 and returns its
// on-sale product ids.
func storefrontData(b *testing.B, a *app.App) []platform.ID {
	b.Helper()
	ctx := context.Background()
	asOf := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.1, AsOf: asOf}); err != nil {
		b.Fatal(err)
	}
	rows, err := a.DB.R.QueryContext(ctx, `SELECT id FROM products WHERE status = 'on_sale' ORDER BY id`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var ids []platform.ID
	for rows.Next() {
		var id platform.ID
		if err := rows.Scan(&id); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		b.Fatal("the demo shop has no product on sale")
	}
	return ids
}

// newShopper is a browser-like client: a phone's User-Agent (so visits
// are tracked), its own cookies (one session per shopper), keep-alive,
// gzip accepted.
func newShopper() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: shopperTransport, Timeout: 30 * time.Second}
}

var shopperTransport = &http.Transport{MaxIdleConns: storefrontConns * 2, MaxIdleConnsPerHost: storefrontConns * 2, IdleConnTimeout: time.Minute}

func fetch(b *testing.B, c *http.Client, url string) []byte {
	body, err := get(c, url)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func get(c *http.Client, url string) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("User-Agent", shopperUA)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return body, err
}

// load sends b.N requests from storefrontConns shoppers at once and
// reports requests/s and the 99th percentile latency.
func load(b *testing.B, url func(i int) string) {
	var next atomic.Int64
	lat := make([][]time.Duration, storefrontConns)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range storefrontConns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newShopper()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				t0 := time.Now()
				if _, err := get(c, url(i)); err != nil {
					b.Error(err)
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	if len(all) > 0 {
		b.ReportMetric(float64(all[(len(all)*99)/100])/float64(time.Millisecond), "p99-ms")
	}
}

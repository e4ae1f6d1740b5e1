package bench

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/customer"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// checkoutBaselineClients is the concurrency of the raw ceiling every
// checkout case is divided by; raw-8 and raw-128 show how far the ceiling
// itself moves with the client count.
const checkoutBaselineClients = 32

// checkoutSKUs spreads the throughput run's stock so that buyers rarely
// queue on the same stock row (the flash sale is the contended case).
const checkoutSKUs = 64

// checkoutPrice is every benchmark SKU's price (¥59).
const checkoutPrice = 5900

// BenchmarkCheckout measures orders placed through POST /api/v1/checkout
// on a real server over loopback HTTP (session cookie, Idempotency-Key,
// expected_total, the whole transaction: cart, pricing, promotions,
// reservation, order number, order, lines, payment, cancellation job,
// outbox) against the raw ceiling of the database for the transaction at
// its core: a conditional stock decrement and an order-sized insert,
// straight through store.DB.Write. One iteration is one order, so
// bench/run's ratio is order time ÷ raw transaction time, and its inverse
// the share of the raw ceiling reached.
//
// Group "orders": baseline is the raw transaction at 32 concurrent
// clients, raw-8 and raw-128 the same at 8 and 128, http-N checkout with N
// concurrent clients, stock spread over 64 SKUs. Group "flash": every
// buyer wants the same SKU and only a quarter of them can have it (200
// buyers for 50 units, scaled to the run); baseline is the raw one-row
// transaction under the same odds, http-32 checkout with 32 clients.
// After each flash run nothing is oversold: exactly the stock is
// reserved, as many orders were placed and every other buyer got a 409.
//
// Buyers (customer, session, address, cart with one line) are written to
// the tables before the timer starts. Background workers and outbox
// consumers are not started: the figures are the checkout path alone.
func BenchmarkCheckout(b *testing.B) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	b.Cleanup(func() { slog.SetDefault(prev) })
	for _, d := range storetest.Kinds(b) {
		b.Run(string(d), func(b *testing.B) {
			a := apptest.New(b, d, apptest.Options{})
			s := &checkoutShop{a: a, base: apptest.Serve(b, a), f: catalogtest.New(b, a.DB)}
			s.category = s.f.Category("基准", "Bench", 0)
			b.Run("orders", func(b *testing.B) {
				skus := make([]platform.ID, checkoutSKUs)
				for i := range skus {
					skus[i] = s.sku(b, 100_000_000)
				}
				owner := s.buyers(b, 1, one(skus[0]))[0].customer
				for _, c := range []struct {
					name    string
					clients int
				}{{"baseline", checkoutBaselineClients}, {"raw-8", 8}, {"raw-128", 128}} {
					b.Run(c.name, func(b *testing.B) {
						drive(b, c.clients, func(i int) (bool, error) {
							return rawOrder(a.DB, skus[i%len(skus)], owner)
						})
					})
				}
				for _, clients := range []int{8, 32, 128} {
					b.Run(fmt.Sprintf("http-%d", clients), func(b *testing.B) {
						bs := s.buyers(b, b.N, func(i int) platform.ID { return skus[i%len(skus)] })
						total := s.payable(b, bs[0])
						drive(b, clients, func(i int) (bool, error) {
							return s.place(bs[i], total)
						})
					})
				}
			})
			b.Run("flash", func(b *testing.B) {
				b.Run("baseline", func(b *testing.B) {
					units := flashUnits(b.N)
					sku := s.sku(b, units)
					owner := s.buyers(b, 1, one(sku))[0].customer
					ok := drive(b, checkoutBaselineClients, func(int) (bool, error) { return rawOrder(a.DB, sku, owner) })
					s.noOversell(b, sku, units, ok, int64(b.N)-ok, false)
				})
				b.Run("http-32", func(b *testing.B) {
					units := flashUnits(b.N)
					sku := s.sku(b, units)
					bs := s.buyers(b, b.N, one(sku))
					total := s.payable(b, bs[0])
					ok := drive(b, 32, func(i int) (bool, error) { return s.place(bs[i], total) })
					s.noOversell(b, sku, units, ok, int64(b.N)-ok, true)
				})
			})
		})
	}
}

// flashUnits is the flash sale's stock for n buyers: one unit for every
// four of them (50 for 200), at least one.
func flashUnits(n int) int { return max(1, n/4) }

// drive runs b.N calls of op from clients goroutines at once and reports
// orders/s (successful calls) and the 99th percentile latency of all
// calls. op says whether it placed an order; an error fails the
// benchmark. It returns how many orders were placed.
func drive(b *testing.B, clients int, op func(i int) (bool, error)) int64 {
	var next, placed atomic.Int64
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				t0 := time.Now()
				ok, err := op(i)
				lat[w] = append(lat[w], time.Since(t0))
				if err != nil {
					b.Error(err)
					return
				}
				if ok {
					placed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	b.ReportMetric(float64(placed.Load())/elapsed.Seconds(), "orders/s")
	if len(all) > 0 {
		b.ReportMetric(float64(all[(len(all)*99)/100])/float64(time.Millisecond), "p99-ms")
	}
	return placed.Load()
}

// rawOrder is the raw ceiling's transaction: take one unit of sku if any
// is left and, when it was, insert an order row of the size checkout
// writes. It reports whether the unit was taken.
func rawOrder(db *store.DB, sku, customerID platform.ID) (bool, error) {
	ctx := context.Background()
	var took bool
	err := db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stock_levels SET reserved = reserved + 1, updated_at = $1
			WHERE sku_id = $2 AND warehouse_id = (SELECT MIN(warehouse_id) FROM stock_levels WHERE sku_id = $2) AND on_hand - reserved >= 1`, tx.Now, sku)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			took = false
			return err
		}
		took = true
		id := tx.NewID()
		_, err = tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, channel, session_id,
				items_total, discount_total, shipping_fee, total, cost_total, refunded_total, item_count,
				province_code, province, city, placed_at, created_at, updated_at)
			VALUES ($1, $2, $3, 'pending_payment', 'direct', NULL, $4, 0, 800, $5, $6, 0, 1, '310000', '上海市', '上海市', $7, $7, $7)`,
			id, "RAW"+id.String(), customerID, checkoutPrice, checkoutPrice+800, checkoutPrice/2, tx.Now)
		return err
	})
	return took, err
}

// checkoutShop is a served app with a benchmark category.
type checkoutShop struct {
	a        *app.App
	base     string
	f        *catalogtest.Factory
	category platform.ID
}

// sku makes a ¥59 SKU whose units are all on hand in one warehouse (the
// other warehouse's row holds none), so the flash sale has one hot row.
func (s *checkoutShop) sku(b *testing.B, units int) platform.ID {
	b.Helper()
	_, skus := s.f.Create(catalogtest.Product{Category: s.category, Title: "基准商品", SKUs: []catalogtest.SKU{{Price: checkoutPrice, Stock: units}}})
	ctx := context.Background()
	err := s.a.DB.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE stock_levels SET on_hand = CASE WHEN warehouse_id = (SELECT MIN(warehouse_id) FROM stock_levels WHERE sku_id = $1) THEN $2 ELSE 0 END
			WHERE sku_id = $1`, skus[0], units)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return skus[0]
}

// one is the same SKU for every buyer.
func one(sku platform.ID) func(int) platform.ID { return func(int) platform.ID { return sku } }

// checkoutBuyer is a signed-in customer with one line in their cart.
type checkoutBuyer struct {
	customer, address platform.ID
	token             string
}

var buyerSeq atomic.Int64

// buyers writes n signed-in customers straight to the tables, each with
// an address in 上海 and one unit of sku(i) selected in their cart. The
// session row is what signing in stores: the SHA-256 of the cookie's
// token.
func (s *checkoutShop) buyers(b *testing.B, n int, sku func(i int) platform.ID) []checkoutBuyer {
	b.Helper()
	out := make([]checkoutBuyer, n)
	ctx := context.Background()
	err := s.a.DB.Write(ctx, func(tx *store.Tx) error {
		for i := range out {
			var raw [32]byte
			_, _ = rand.Read(raw[:])
			token := base64.RawURLEncoding.EncodeToString(raw[:])
			sum := sha256.Sum256([]byte(token))
			c, a, k := tx.NewID(), tx.NewID(), tx.NewID()
			out[i] = checkoutBuyer{customer: c, address: a, token: token}
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO customers (id, email, password_hash, created_at, updated_at) VALUES ($1, $2, 'x', $3, $3)`,
					[]any{c, fmt.Sprintf("buyer%d@bench.example", buyerSeq.Add(1)), tx.Now}},
				{`INSERT INTO customer_sessions (token_hash, customer_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
					[]any{hex.EncodeToString(sum[:]), c, tx.Now, tx.Now.Add(24 * time.Hour)}},
				{`INSERT INTO customer_addresses (id, customer_id, recipient, mobile, province, province_code, city, city_code, district, district_code, detail, is_default, created_at, updated_at)
					VALUES ($1, $2, '李四', '13900139000', '上海市', '310000', '上海市', '310100', '徐汇区', '310104', '宜山路 1 号', TRUE, $3, $3)`, []any{a, c, tx.Now}},
				{`INSERT INTO carts (id, customer_id, created_at, updated_at) VALUES ($1, $2, $3, $3)`, []any{k, c, tx.Now}},
				{`INSERT INTO cart_items (cart_id, sku_id, quantity, selected, added_at, updated_at) VALUES ($1, $2, 1, TRUE, $3, $3)`, []any{k, sku(i), tx.Now}},
			} {
				if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// checkoutClient holds enough keep-alive connections for the largest
// client count.
var checkoutClient = &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}}

// post sends a JSON body as buyer from the shop's own pages.
func (s *checkoutShop) post(buyer checkoutBuyer, path, body string, header ...string) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(&http.Cookie{Name: customer.CookieName, Value: buyer.token})
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := checkoutClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res.StatusCode, data, err
}

// payable quotes buyer's cart: the expected_total every buyer sends (all
// carts hold one ¥59 unit to the same city).
func (s *checkoutShop) payable(b *testing.B, buyer checkoutBuyer) platform.Money {
	b.Helper()
	status, body, err := s.post(buyer, "/api/v1/checkout/quote", `{"address_id":"`+buyer.address.String()+`"}`)
	if err != nil || status != http.StatusOK {
		b.Fatalf("quote: %d %s %v", status, body, err)
	}
	var q struct {
		Payable platform.Money `json:"payable"`
	}
	if err := json.Unmarshal(body, &q); err != nil {
		b.Fatal(err)
	}
	return q.Payable
}

// place checks buyer's cart out: true for a new order, false for a 409
// (sold out), an error for anything else.
func (s *checkoutShop) place(buyer checkoutBuyer, total platform.Money) (bool, error) {
	status, body, err := s.post(buyer, "/api/v1/checkout",
		fmt.Sprintf(`{"address_id":"%s","payment_method":"bank_transfer","expected_total":%d}`, buyer.address, total),
		"Idempotency-Key", "bench-"+buyer.customer.String())
	switch {
	case err != nil:
		return false, err
	case status == http.StatusCreated:
		return true, nil
	case status == http.StatusConflict:
		return false, nil
	}
	return false, fmt.Errorf("checkout: %d %s", status, body)
}

// noOversell checks the flash sale's outcome: every unit and no more is
// reserved, one order per unit (with its line when withLines: checkout's
// orders have lines, the raw ones none), everyone else refused.
func (s *checkoutShop) noOversell(b *testing.B, sku platform.ID, units int, placed, refused int64, withLines bool) {
	b.Helper()
	var onHand, reserved int64
	err := s.a.DB.R.QueryRow(`SELECT SUM(on_hand), SUM(reserved) FROM stock_levels WHERE sku_id = $1`, sku).Scan(&onHand, &reserved)
	if err != nil {
		b.Fatal(err)
	}
	lines := storetest.Count(b, s.a.DB, `SELECT COUNT(*) FROM order_lines WHERE sku_id = $1`, sku)
	if reserved > onHand || reserved != int64(units) || placed != int64(units) || placed+refused != int64(b.N) || (withLines && lines != units) {
		b.Errorf("flash sale of %d units to %d buyers: %d placed, %d refused, %d of %d on hand reserved, %d order lines", units, b.N, placed, refused, reserved, onHand, lines)
	}
}

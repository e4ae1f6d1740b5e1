package payment

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/analytics"
	"storeops/internal/audit"
	"storeops/internal/jobs"
	"storeops/internal/order"
	"storeops/internal/outbox"
	"storeops/internal/payment/sandbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
	"storeops/internal/web"
)

func init() { platform.RegisterPermissions(Permissions...) }

// shopConfig is the shop's database: the order tables, the outbox, the
// audit log and the payment tables.
var shopConfig = storetest.Config{Sets: []store.Migrations{order.Migrations(), outbox.Migrations(), audit.Migrations(), analytics.Migrations(), Migrations()}}

const (
	testMerchant = "shop-1"
	testSecret   = "0123456789abcdef0123456789abcdef"
)

var staffActor = audit.Actor{Kind: audit.KindStaff, StaffID: 7, Name: "客服小王", Email: "wang@test.local"}

// shop is the shop under test: its service behind a real HTTP server
// serving the payment routes, which can be taken down.
type shop struct {
	t    *testing.T
	db   *store.DB
	svc  *Service
	url  string
	down atomic.Bool
	// notify is the shop's notification URL for the sandbox provider.
	notify string
}

// newShop starts a shop whose sandbox provider talks to gatewayURL
// (empty: no gateway, for tests that post notifications themselves).
func newShop(t *testing.T, db *store.DB, gatewayURL string) *shop {
	t.Helper()
	s := &shop{t: t, db: db}
	s.svc = New(Config{DB: db, Providers: []Provider{&SandboxProvider{GatewayURL: gatewayURL, Merchant: testMerchant, Secret: testSecret}}})
	rt := web.NewRouter()
	rt.Add((&handlers{s: s.svc}).routes()...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		rt.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	s.notify = srv.URL + "/api/v1/payment-notifications/sandbox"
	return s
}

// gateway is a standalone sandbox gateway on its own database and job
// queue, as a real one would be.
type gateway struct {
	gw  *sandbox.Gateway
	db  *store.DB
	url string
}

func newGateway(t *testing.T, d store.Dialect, chaos sandbox.Chaos) *gateway {
	t.Helper()
	ctx := context.Background()
	gdb := storetest.Open(t, d, storetest.Config{Sets: []store.Migrations{sandbox.Migrations(), jobs.Migrations()}})
	var q *jobs.Queue
	gw := sandbox.New(sandbox.Config{DB: gdb, Jobs: func() *jobs.Queue { return q }, Prefix: "/sandbox-pay", Chaos: chaos,
		Retry: sandbox.Backoff{Base: 100 * time.Millisecond, Max: time.Second}, Seed: 42})
	workers := river.NewWorkers()
	gw.Register(workers)
	var err error
	if q, err = jobs.New(gdb, quietLog(), jobs.Config{Workers: workers}); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(sctx)
	})
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	if err := gw.AddMerchant(ctx, testMerchant, testSecret); err != nil {
		t.Fatal(err)
	}
	return &gateway{gw: gw, db: gdb, url: srv.URL + "/sandbox-pay"}
}

// press presses a button ("pay" or "cancel") on the hosted pay page.
func press(t *testing.T, payURL, action string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := c.Get(payURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK || !strings.Contains(string(body), "支付") || !strings.Contains(string(body), "取消") {
		t.Fatalf("pay page: %d %s", page.StatusCode, body)
	}
	resp, err := c.PostForm(payURL, url.Values{"action": {action}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("press %s: %d", action, resp.StatusCode)
	}
}

// waitFor polls cond until it holds, failing the test after a minute
// (a deadline for asynchronous delivery, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// testOrder is an order made for a test.
type testOrder struct {
	ID    platform.ID
	Lines []platform.ID
	Total platform.Money
}

// mustOrder makes an order in status with lines of the given totals
// (after discount) and a shipping fee.
func mustOrder(t *testing.T, db *store.DB, status string, lineTotals []int64, shipping int64) testOrder {
	t.Helper()
	ctx := context.Background()
	var o testOrder
	err := db.Write(ctx, func(tx *store.Tx) error {
		o.ID = tx.NewID()
		var items int64
		for _, v := range lineTotals {
			items += v
		}
		o.Total = platform.Money(items + shipping)
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, shipping_fee, total, item_count, placed_at, created_at, updated_at)
			VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $8, $8)`, o.ID, "T"+o.ID.String(), status, items, shipping, o.Total, len(lineTotals), tx.Now); err != nil {
			return err
		}
		for i, v := range lineTotals {
			id := tx.NewID()
			o.Lines = append(o.Lines, id)
			if _, err := tx.ExecContext(ctx, `INSERT INTO order_lines (id, order_id, product_id, sku_id, category_id, title, quantity, unit_price, line_total, unit_cost)
				VALUES ($1, $2, $3, $3, 1, $4, 1, $5, $5, 0)`, id, o.ID, i+1, fmt.Sprintf("商品%d", i+1), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// mustPayment adds a pending payment for o.
func mustPayment(t *testing.T, db *store.DB, o testOrder, method Method, provider string) Payment {
	t.Helper()
	ctx := context.Background()
	var p Payment
	err := db.Write(ctx, func(tx *store.Tx) error {
		p = Payment{ID: tx.NewID(), OrderID: o.ID, Method: method, Provider: provider, Amount: o.Total, Currency: DefaultCurrency, Status: Pending}
		_, err := tx.ExecContext(ctx, `INSERT INTO payments (id, order_id, method, provider, amount, currency, status, created_at) VALUES ($1, $2, $3, $4, $5, 'CNY', 'pending', $6)`,
			p.ID, o.ID, method, provider, p.Amount, tx.Now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func count(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.R.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func orderStatus(t *testing.T, db *store.DB, id platform.ID) string {
	t.Helper()
	var s string
	if err := db.R.QueryRowContext(context.Background(), `SELECT status FROM orders WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func paymentStatus(t *testing.T, db *store.DB, id platform.ID) Status {
	t.Helper()
	p, err := getPayment(context.Background(), db.R, id)
	if err != nil {
		t.Fatal(err)
	}
	return p.Status
}

func wantCode(t *testing.T, err error, code platform.Code) {
	t.Helper()
	if platform.ErrorCode(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
}

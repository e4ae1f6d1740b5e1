package payment_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/payment"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

type client struct {
	t     *testing.T
	base  string
	http  *http.Client
	token string
}

func (c *client) do(method, path, ctype string, body []byte) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (c *client) json(method, path string, in, out any) int {
	c.t.Helper()
	b, _ := json.Marshal(in)
	st, body := c.do(method, path, "application/json", b)
	if out != nil && st < 300 {
		if err := json.Unmarshal(body, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, body)
		}
	}
	if st >= 300 {
		c.t.Logf("%s %s: %d %s", method, path, st, body)
	}
	return st
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The payment module in the whole app: a shopper pays an order on the
// sandbox gateway mounted in the shop's own server, the notification comes
// back to the shop over HTTP, staff refund through the admin API and
// reconcile and export in the console.
func TestAppSandboxPayment(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			a := apptest.New(t, d, apptest.Options{})
			if err := a.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				a.Stop(sctx)
			})
			base := apptest.Serve(t, a)
			shopper := newClient(t, base)
			var me struct {
				ID platform.ID `json:"id"`
			}
			if st := shopper.json("POST", "/api/v1/customers/signup", map[string]string{"email": "pay@example.com", "password": "secret-pass"}, &me); st != http.StatusCreated {
				t.Fatalf("signup: %d", st)
			}
			orderID, lineID := placeOrder(t, a.DB, me.ID, 15800)

			// Someone else cannot pay it; the owner can.
			other := newClient(t, base)
			other.json("POST", "/api/v1/customers/signup", map[string]string{"email": "other@example.com", "password": "secret-pass"}, nil)
			if st := other.json("POST", "/api/v1/payments", map[string]any{"order_id": orderID.String(), "provider": "sandbox"}, nil); st != http.StatusNotFound {
				t.Fatalf("another shopper starts a payment: %d", st)
			}
			var started payment.Started
			if st := shopper.json("POST", "/api/v1/payments", map[string]any{"order_id": orderID.String(), "provider": "sandbox", "return_url": base + "/"}, &started); st != http.StatusCreated {
				t.Fatalf("start: %d", st)
			}
			if !strings.HasPrefix(started.RedirectURL, base+payment.SandboxPrefix+"/pay/") {
				t.Fatalf("redirect %q", started.RedirectURL)
			}
			st, page := shopper.do("GET", strings.TrimPrefix(started.RedirectURL, base), "", nil)
			if st != http.StatusOK || !strings.Contains(string(page), "¥158.00") {
				t.Fatalf("pay page %d %s", st, page)
			}
			st, _ = shopper.do("POST", strings.TrimPrefix(started.RedirectURL, base), "application/x-www-form-urlencoded", []byte("action=pay"))
			if st != http.StatusSeeOther {
				t.Fatalf("pay: %d", st)
			}
			eventually(t, "the notification", func() bool {
				var s string
				_ = a.DB.R.QueryRow(`SELECT status FROM orders WHERE id = $1`, orderID).Scan(&s)
				return s == "paid"
			})

			// Staff refund part of it; the gateway confirms asynchronously.
			staff := newClient(t, base)
			staff.token = apptest.StaffToken(t, a, platform.RoleService)
			var ref payment.Refund
			if st := staff.json("POST", "/api/v1/admin/refunds", map[string]any{"order_id": orderID.String(), "request_key": "k1", "amount": 5800, "reason": "少发一件"}, &ref); st != http.StatusCreated {
				t.Fatalf("refund: %d", st)
			}
			eventually(t, "the refund", func() bool {
				var got payment.Refund
				staff.json("GET", "/api/v1/admin/refunds/"+ref.ID.String(), nil, &got)
				return got.Status == payment.RefundRefunded
			})
			var lineRefunded int64
			if err := a.DB.R.QueryRow(`SELECT refunded FROM order_lines WHERE id = $1`, lineID).Scan(&lineRefunded); err != nil || lineRefunded != 5800 {
				t.Fatalf("line refunded %d (%v)", lineRefunded, err)
			}

			// Reconcile today in the console and export it.
			today := payment.ShopDay(a.DB.Now())
			form := url.Values{"from": {today}, "to": {today}}.Encode()
			if st, body := staff.do("POST", "/console/payments/reconciliation", "application/x-www-form-urlencoded", []byte(form)); st != http.StatusSeeOther {
				t.Fatalf("reconcile: %d %s", st, body)
			}
			st, body := staff.do("GET", "/console/payments/reconciliation?"+form, "", nil)
			if st != http.StatusOK || !strings.Contains(string(body), "¥158.00") || !strings.Contains(string(body), "¥58.00") {
				t.Fatalf("reconciliation page: %d %s", st, body)
			}
			var rec payment.ReconciliationBody
			if st := staff.json("GET", "/api/v1/admin/payments/reconciliation?"+form, nil, &rec); st != http.StatusOK || len(rec.Days) != 1 || rec.Days[0].Mismatch() {
				t.Fatalf("reconciliation API: %d %+v", st, rec)
			}
			if st, _ := staff.do("GET", "/console/payments/reconciliation?"+form+"&format=xlsx&table=reconciliation-days", "", nil); st != http.StatusOK {
				t.Fatalf("export: %d", st)
			}
			// An analyst reads but cannot confirm money.
			analyst := newClient(t, base)
			analyst.token = apptest.StaffToken(t, a, platform.RoleAnalyst)
			if st, _ := analyst.do("GET", "/console/payments", "", nil); st != http.StatusOK {
				t.Fatalf("analyst payments page: %d", st)
			}
			if st, _ := analyst.do("POST", "/console/payments/"+started.Payment.ID.String()+"/confirm", "application/x-www-form-urlencoded", []byte("amount=158")); st != http.StatusForbidden {
				t.Fatalf("analyst confirms: %d", st)
			}
		})
	}
}

// placeOrder makes an order waiting for payment with one line.
func placeOrder(t *testing.T, db *store.DB, customer platform.ID, total int64) (platform.ID, platform.ID) {
	t.Helper()
	ctx := context.Background()
	var id, line platform.ID
	err := db.Write(ctx, func(tx *store.Tx) error {
		id, line = tx.NewID(), tx.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, item_count, placed_at, created_at, updated_at)
			VALUES ($1, $2, $3, 'pending_payment', $4, $4, 1, $5, $5, $5)`, id, "P"+id.String(), customer, total, tx.Now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO order_lines (id, order_id, product_id, sku_id, category_id, title, quantity, unit_price, line_total, unit_cost)
			VALUES ($1, $2, 1, 1, 1, '测试商品', 1, $3, $3, 0)`, line, id, total)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, line
}

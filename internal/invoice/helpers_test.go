package invoice_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// shopper is a signed-up customer with their HTTP client.
type shopper struct {
	c  *apptest.Client
	id platform.ID
}

func signUp(t *testing.T, base, name string) shopper {
	t.Helper()
	c := apptest.NewClient(t, base)
	res, body := c.JSON("POST", "/api/v1/customers/signup", `{"email":"`+name+`@example.com","password":"a long enough password"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("sign up: %d %s", res.StatusCode, body)
	}
	return shopper{c: c, id: apptest.Decode[struct {
		ID platform.ID `json:"id"`
	}](t, body).ID}
}

// seedOrder inserts an order of customerID in status st: total ¥196,
// ¥6 of it refunded.
func seedOrder(t *testing.T, db *store.DB, customerID platform.ID, st order.Status) (platform.ID, string) {
	t.Helper()
	ctx := context.Background()
	var id platform.ID
	var no string
	err := db.Write(ctx, func(tx *store.Tx) error {
		placed := store.Time(tx.Now.Add(-time.Hour))
		var err error
		if no, err = order.NewOrderNo(ctx, tx, placed); err != nil {
			return err
		}
		id = tx.NewID()
		var paid any
		if st != order.PendingPayment && st != order.Cancelled {
			paid = placed.Add(time.Minute)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, refunded_total, item_count,
			placed_at, paid_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 19600, 19600, 600, 1, $5, $6, $5, $5)`,
			id, no, customerID, st, placed, paid)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, no
}

// staffDo is one console call as a staff user of role, the principal put
// in the context as the sign-in middleware would.
func staffDo(t *testing.T, a *app.App, role platform.Role, method, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	p := &web.Principal{StaffID: 42, Role: role, Name: "测试" + string(role), Email: string(role) + "@example.com", Via: "session"}
	req = req.WithContext(web.WithPrincipal(req.Context(), p))
	w := httptest.NewRecorder()
	a.Handler.ServeHTTP(w, req)
	return w
}

func count(t *testing.T, a *app.App, q string, args ...any) int {
	t.Helper()
	var n int
	if err := a.DB.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func invoicePath(orderID platform.ID) string {
	return "/api/v1/customers/me/orders/" + orderID.String() + "/invoice"
}

// A company title with a valid unified social credit code.
const companyBody = `{"title_type":"company","title":"深圳市腾讯计算机系统有限公司","tax_no":"9144030071526726xg","email":"ap@example.com"}`

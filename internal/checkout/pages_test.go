package checkout_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/checkout"
	"storeops/internal/platform"
)

// The storefront path: sign in when asked, the checkout page shows the
// price, the form places the order once however often it is sent, the
// order page shows it and cancels it.
func TestStorefrontCheckout(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		anon := apptest.NewClient(t, s.base)
		res, _ := anon.Do("GET", "/checkout", "", "")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin?next=%2Fcheckout" {
			t.Fatalf("anonymous checkout: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res, page := anon.Do("GET", "/signin?next=%2Fcheckout", "", ""); res.StatusCode != 200 || !strings.Contains(page, `name="next" value="/checkout"`) {
			t.Fatalf("sign-in page: %d", res.StatusCode)
		}
		c, _ := s.shopper("web")
		// An empty cart sends the shopper back to it.
		if res, _ := c.Do("GET", "/checkout", "", ""); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/cart" {
			t.Errorf("checkout with an empty cart: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		s.add(c, s.fish, 1)
		res, page := c.Do("GET", "/checkout", "", "")
		if res.StatusCode != 200 || !strings.Contains(page, "智利三文鱼") || !strings.Contains(page, "¥146.00") {
			t.Fatalf("checkout page: %d\n%s", res.StatusCode, page)
		}
		form := url.Values{}
		for _, name := range []string{"address", "expected_total", "key"} {
			m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
			if m == nil {
				t.Fatalf("no %s field on the checkout page", name)
			}
			form.Set(name, m[1])
		}
		if form.Get("expected_total") != "14600" {
			t.Errorf("expected_total %s, want 14600 fen (¥128 + ¥18 cold chain)", form.Get("expected_total"))
		}
		form.Set("payment_method", "online")
		var orderURL string
		for range 2 { // a double click
			res, _ = c.Form("/checkout", form)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/orders/") {
				t.Fatalf("place: %d %s", res.StatusCode, res.Header.Get("Location"))
			}
			if orderURL != "" && res.Header.Get("Location") != orderURL {
				t.Errorf("the second submit made another order: %s", res.Header.Get("Location"))
			}
			orderURL = res.Header.Get("Location")
		}
		if n := s.count(`SELECT COUNT(*) FROM orders`); n != 1 {
			t.Errorf("%d orders after a double submit", n)
		}
		res, page = c.Do("GET", orderURL, "", "")
		if res.StatusCode != 200 || !strings.Contains(page, `id="pay-now"`) || !strings.Contains(page, `id="cancel-order"`) {
			t.Fatalf("order page: %d\n%s", res.StatusCode, page)
		}
		path := strings.TrimSuffix(strings.SplitN(orderURL, "?", 2)[0], "/")
		if res, _ := c.Form(path+"/cancel", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("cancel form: %d", res.StatusCode)
		}
		if _, page = c.Do("GET", path, "", ""); strings.Contains(page, `id="cancel-order"`) {
			t.Errorf("a cancelled order still offers cancelling")
		}
		if res, page := c.Do("GET", "/orders", "", ""); res.StatusCode != 200 || !strings.Contains(page, "智利三文鱼") {
			t.Errorf("orders page: %d", res.StatusCode)
		}
	})
}

func TestUnpaidOrderIsCancelledAtTheDeadline(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("late")
		place := func(key, method string, qty int) checkout.Placed {
			t.Helper()
			s.add(c, s.tee, qty)
			q := s.quote(c, addr)
			res, body := place(c, key, addr, method, q.Payable)
			if res.StatusCode != 201 {
				t.Fatalf("place: %d %s", res.StatusCode, body)
			}
			return apptest.Decode[checkout.Placed](t, body)
		}
		online := place("late-1", checkout.MethodOnline, 3)
		transfer := place("late-2", checkout.MethodBankTransfer, 1)
		paid := place("late-3", checkout.MethodOnline, 1)
		if _, err := a.DB.W.Exec(`UPDATE orders SET status = 'paid' WHERE id = $1`, paid.OrderID); err != nil {
			t.Fatal(err)
		}
		sweep := func(after time.Duration) int {
			t.Helper()
			n, err := checkout.CancelOverdue(t.Context(), a.DB, time.Now().Add(after), checkout.Config{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		status := func(id platform.ID) string {
			t.Helper()
			var st string
			if err := a.DB.R.QueryRow(`SELECT status FROM orders WHERE id = $1`, id).Scan(&st); err != nil {
				t.Fatal(err)
			}
			return st
		}
		if n := sweep(29 * time.Minute); n != 0 {
			t.Errorf("%d orders cancelled before their deadline", n)
		}
		if n := sweep(31 * time.Minute); n != 1 || status(online.OrderID) != "cancelled" || status(transfer.OrderID) != "pending_payment" {
			t.Errorf("after 31 minutes: %d cancelled; online %s, transfer %s", n, status(online.OrderID), status(transfer.OrderID))
		}
		if n := s.count(`SELECT COUNT(*) FROM order_transitions WHERE order_id = $1 AND to_status = 'cancelled' AND actor = 'system'`, online.OrderID); n != 1 {
			t.Errorf("the cancellation is not recorded as the system's")
		}
		if n := s.count(`SELECT COUNT(*) FROM payments WHERE order_id = $1 AND status = 'cancelled'`, online.OrderID); n != 1 {
			t.Errorf("the cancelled order's payment is still open")
		}
		if n := sweep(73 * time.Hour); n != 1 || status(transfer.OrderID) != "cancelled" || status(paid.OrderID) != "paid" {
			t.Errorf("after 73 hours: %d cancelled; transfer %s, paid %s", n, status(transfer.OrderID), status(paid.OrderID))
		}
		if n := s.count(`SELECT COALESCE(SUM(reserved), 0) FROM stock_levels`); n != 1 {
			t.Errorf("%d units reserved, want the paid order's 1", n)
		}
		if err := checkout.CancelUnpaid(t.Context(), a.DB, platform.ID(12345)); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Errorf("unknown order: %v", err)
		}
	})
}

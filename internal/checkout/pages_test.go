package checkout_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

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
		s.add(c, s.tee, 3)
		q := s.quote(c, addr)
		_, body := place(c, "late-1", addr, checkout.MethodOnline, q.Payable)
		p := apptest.Decode[checkout.Placed](t, body)
		if err := checkout.CancelUnpaid(t.Context(), a.DB, p.OrderID); err != nil {
			t.Fatal(err)
		}
		if n := s.count(`SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'cancelled'`, p.OrderID); n != 1 {
			t.Errorf("the unpaid order is not cancelled")
		}
		if n := s.count(`SELECT COUNT(*) FROM order_transitions WHERE order_id = $1 AND to_status = 'cancelled' AND actor = 'system'`, p.OrderID); n != 1 {
			t.Errorf("the cancellation is not recorded as the system's")
		}
		if n := s.count(`SELECT COALESCE(SUM(reserved), 0) FROM stock_levels`); n != 0 {
			t.Errorf("%d units still reserved", n)
		}
		// A paid order is left alone by its deadline job.
		s.add(c, s.tee, 1)
		q = s.quote(c, addr)
		_, body = place(c, "late-2", addr, checkout.MethodOnline, q.Payable)
		paid := apptest.Decode[checkout.Placed](t, body)
		if _, err := a.DB.W.Exec(`UPDATE orders SET status = 'paid' WHERE id = $1`, paid.OrderID); err != nil {
			t.Fatal(err)
		}
		if err := checkout.CancelUnpaid(t.Context(), a.DB, paid.OrderID); err != nil {
			t.Fatal(err)
		}
		if n := s.count(`SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'paid'`, paid.OrderID); n != 1 {
			t.Errorf("the deadline cancelled a paid order")
		}
		if err := checkout.CancelUnpaid(t.Context(), a.DB, platform.ID(12345)); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Errorf("unknown order: %v", err)
		}
	})
}

package checkout_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/cart"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/checkout"
	"storeops/internal/inventory"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store/storetest"
)

// shop is a served app with a small catalog.
type shop struct {
	t          *testing.T
	a          *app.App
	base       string
	tee, fish  platform.ID // ¥59 with 10 in stock, ¥128 chilled with 1
	teeProduct platform.ID
}

func newShop(t *testing.T, a *app.App) *shop {
	f := catalogtest.New(t, a.DB)
	s := &shop{t: t, a: a, base: apptest.Serve(t, a)}
	var skus []platform.ID
	s.teeProduct, skus = f.Create(catalogtest.Product{Category: f.Category("服饰", "Clothing", 0), Title: "纯棉短袖T恤",
		SKUs: []catalogtest.SKU{{SpecText: "白色 M", Price: 5900, Stock: 10}}})
	s.tee = skus[0]
	_, skus = f.Create(catalogtest.Product{Category: f.Category("生鲜", "Fresh", 0), Title: "智利三文鱼",
		SKUs: []catalogtest.SKU{{Price: 12800, Stock: 1}}})
	s.fish = skus[0]
	// Chilled goods ship only from cold-chain warehouses.
	if _, err := a.DB.W.Exec(`UPDATE products SET storage_class = 'chilled' WHERE id = (SELECT product_id FROM skus WHERE id = $1)`, s.fish); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DB.W.Exec(`UPDATE warehouses SET cold_chain = TRUE`); err != nil {
		t.Fatal(err)
	}
	return s
}

// shopper signs up a new customer with an address in 上海 and returns
// the client and the address id.
func (s *shop) shopper(name string) (*apptest.Client, string) {
	c := apptest.NewClient(s.t, s.base)
	res, body := c.JSON("POST", "/api/v1/customers/signup", `{"email":"`+name+`@example.com","password":"a long enough password"}`)
	if res.StatusCode != http.StatusCreated {
		s.t.Fatalf("sign up: %d %s", res.StatusCode, body)
	}
	res, body = c.JSON("POST", "/api/v1/customers/me/addresses", `{"recipient":"张三","mobile":"13800138000",
		"province_code":"310000","city_code":"310100","district_code":"310104","detail":"漕溪北路 88 号","is_default":true}`)
	if res.StatusCode != http.StatusCreated {
		s.t.Fatalf("address: %d %s", res.StatusCode, body)
	}
	return c, apptest.Decode[struct {
		ID string `json:"id"`
	}](s.t, body).ID
}

func (s *shop) add(c *apptest.Client, sku platform.ID, qty int) {
	s.t.Helper()
	if res, body := c.JSON("POST", "/api/v1/cart/items", fmt.Sprintf(`{"sku_id":"%s","quantity":%d}`, sku, qty)); res.StatusCode != 200 {
		s.t.Fatalf("add to cart: %d %s", res.StatusCode, body)
	}
}

func (s *shop) quote(c *apptest.Client, address string) checkout.Quote {
	s.t.Helper()
	res, body := c.JSON("POST", "/api/v1/checkout/quote", `{"address_id":"`+address+`"}`)
	if res.StatusCode != 200 {
		s.t.Fatalf("quote: %d %s", res.StatusCode, body)
	}
	return apptest.Decode[checkout.Quote](s.t, body)
}

func place(c *apptest.Client, key, address, method string, total platform.Money) (*http.Response, string) {
	return c.JSON("POST", "/api/v1/checkout", fmt.Sprintf(`{"address_id":"%s","payment_method":"%s","expected_total":%d}`, address, method, total),
		"Idempotency-Key", key)
}

func (s *shop) count(q string, args ...any) int {
	s.t.Helper()
	return storetest.Count(s.t, s.a.DB, q, args...)
}

func TestPlaceOrder(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("buyer")
		s.add(c, s.tee, 2)
		q := s.quote(c, addr)
		if q.Payable != 2*5900 || q.Shipping.Fee != 0 || q.Address.Province != "上海市" {
			t.Fatalf("quote: payable %d shipping %d address %+v", q.Payable, q.Shipping.Fee, q.Address)
		}
		res, body := place(c, "order-1", addr, checkout.MethodOnline, q.Payable)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("place: %d %s", res.StatusCode, body)
		}
		p := apptest.Decode[checkout.Placed](t, body)
		if p.Status != "pending_payment" || p.Total != 11800 || !strings.HasPrefix(p.OrderNo, "20") || p.PayBy.IsZero() || p.Provider != "sandbox" {
			t.Errorf("placed: %+v", p)
		}
		if n := s.count(`SELECT COUNT(*) FROM orders WHERE id = $1 AND items_total = 11800 AND total = 11800 AND item_count = 2 AND province_code = '310000' AND cost_total = 5900`, p.OrderID); n != 1 {
			t.Errorf("order row not as placed")
		}
		if n := s.count(`SELECT COUNT(*) FROM order_lines WHERE order_id = $1 AND sku_id = $2 AND quantity = 2 AND line_total = 11800 AND title = '纯棉短袖T恤'`, p.OrderID, s.tee); n != 1 {
			t.Errorf("order line not as placed")
		}
		if n := s.count(`SELECT COUNT(*) FROM order_transitions WHERE order_id = $1 AND to_status = 'pending_payment' AND actor = 'customer'`, p.OrderID); n != 1 {
			t.Errorf("first status step missing")
		}
		if n := s.count(`SELECT COUNT(*) FROM payments WHERE order_id = $1 AND status = 'pending' AND amount = 11800`, p.OrderID); n != 1 {
			t.Errorf("pending payment missing")
		}
		if n := s.count(`SELECT COALESCE(SUM(reserved), 0) FROM stock_levels WHERE sku_id = $1`, s.tee); n != 2 {
			t.Errorf("reserved %d, want 2", n)
		}
		if _, body := c.JSON("GET", "/api/v1/cart", ""); len(apptest.Decode[cart.Cart](t, body).Lines) != 0 {
			t.Errorf("the bought lines are still in the cart: %s", body)
		}

		// The same key again is the same order, even once the stored
		// response is gone (the key is recorded with the order).
		if _, err := a.DB.W.Exec(`DELETE FROM idempotency_keys`); err != nil {
			t.Fatal(err)
		}
		s.add(c, s.tee, 1)
		res, body = place(c, "order-1", addr, checkout.MethodOnline, q.Payable)
		if again := apptest.Decode[checkout.Placed](t, body); res.StatusCode != http.StatusCreated || again.OrderID != p.OrderID || !again.Replayed {
			t.Errorf("replay: %d %s", res.StatusCode, body)
		}
		if n := s.count(`SELECT COUNT(*) FROM orders`); n != 1 {
			t.Errorf("%d orders after a replay", n)
		}

		// The shopper sees the order; another shopper does not.
		if res, body := c.JSON("GET", "/api/v1/customers/me/orders/"+p.OrderID.String(), ""); res.StatusCode != 200 ||
			!strings.Contains(body, `"cancellable":true`) || strings.Contains(body, "cost") {
			t.Errorf("own order: %d %s", res.StatusCode, body)
		}
		other, _ := s.shopper("other")
		if res, body := other.JSON("GET", "/api/v1/customers/me/orders/"+p.OrderID.String(), ""); res.StatusCode != 404 {
			t.Errorf("someone else's order: %d %s", res.StatusCode, body)
		}
		if _, body := c.JSON("GET", "/api/v1/customers/me/orders", ""); !strings.Contains(body, p.OrderNo) {
			t.Errorf("order list: %s", body)
		}

		// Cancelling gives the stock back; a second cancel is harmless.
		for range 2 {
			if res, body := c.JSON("POST", "/api/v1/customers/me/orders/"+p.OrderID.String()+"/cancel", ""); res.StatusCode != 200 ||
				!strings.Contains(body, `"status":"cancelled"`) {
				t.Fatalf("cancel: %d %s", res.StatusCode, body)
			}
		}
		if n := s.count(`SELECT COALESCE(SUM(reserved), 0) FROM stock_levels WHERE sku_id = $1`, s.tee); n != 0 {
			t.Errorf("reserved %d after cancel", n)
		}
		if n := s.count(`SELECT COUNT(*) FROM payments WHERE order_id = $1 AND status = 'cancelled'`, p.OrderID); n != 1 {
			t.Errorf("the pending payment was not cancelled")
		}
	})
}

func TestPriceChangedAndBadInput(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("picky")
		s.add(c, s.tee, 1)
		q := s.quote(c, addr)
		if _, err := a.DB.W.Exec(`UPDATE skus SET price = 6900 WHERE id = $1`, s.tee); err != nil {
			t.Fatal(err)
		}
		res, body := place(c, "k1", addr, checkout.MethodOnline, q.Payable)
		apptest.Problem(t, res, body, http.StatusConflict, pricing.CodePriceChanged)
		if !strings.Contains(body, `"payable":7700`) {
			t.Errorf("the 409 does not carry the new price: %s", body)
		}
		if n := s.count(`SELECT COUNT(*) FROM orders`) + s.count(`SELECT COALESCE(SUM(reserved), 0) FROM stock_levels`); n != 0 {
			t.Errorf("a refused checkout left %d orders or reservations", n)
		}
		other, otherAddr := s.shopper("someone")
		for _, tc := range []struct {
			name, body string
			key        string
			status     int
			code       platform.Code
		}{
			{"no key", `{"address_id":"` + addr + `","payment_method":"online","expected_total":7700}`, "", 400, checkout.CodeKeyRequired},
			{"bad method", `{"address_id":"` + addr + `","payment_method":"credit","expected_total":7700}`, "k2", 422, platform.CodeInvalid},
			{"no total", `{"address_id":"` + addr + `","payment_method":"online"}`, "k3", 422, platform.CodeInvalid},
			{"no address", `{"payment_method":"online","expected_total":7700}`, "k4", 422, platform.CodeInvalid},
			{"someone else's address", `{"address_id":"` + otherAddr + `","payment_method":"online","expected_total":7700}`, "k5", 404, platform.CodeNotFound},
			{"unknown coupon", `{"address_id":"` + addr + `","payment_method":"online","expected_total":7700,"coupon_codes":["NOPE"]}`, "k6", 422, platform.Code("coupon_unknown")},
			{"more points than the balance", `{"address_id":"` + addr + `","payment_method":"online","expected_total":7700,"points":100}`, "k7", 422, checkout.CodeNotEnoughPoints},
			{"malformed", `{"address_id":`, "k8", 400, platform.CodeMalformedJSON},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var h []string
				if tc.key != "" {
					h = []string{"Idempotency-Key", tc.key}
				}
				res, body := c.JSON("POST", "/api/v1/checkout", tc.body, h...)
				apptest.Problem(t, res, body, tc.status, tc.code)
			})
		}
		res, body = place(other, "k9", otherAddr, checkout.MethodOnline, 100)
		apptest.Problem(t, res, body, 422, checkout.CodeEmptyCart)
		anon := apptest.NewClient(t, s.base)
		res, body = place(anon, "k10", addr, checkout.MethodOnline, 100)
		apptest.Problem(t, res, body, 401, platform.CodeUnauthenticated)
		if res, body := c.JSON("POST", "/api/v1/customers/me/orders/abc/cancel", ""); res.StatusCode != 404 {
			t.Errorf("bad order id: %d %s", res.StatusCode, body)
		}
		if n := s.count(`SELECT COUNT(*) FROM orders`); n != 0 {
			t.Errorf("bad requests made %d orders", n)
		}
	})
}

// Two shoppers race for the last salmon: one order, one 409, and the
// stock never goes below zero.
func TestLastUnitGoesOnce(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		type buyer struct {
			c    *apptest.Client
			addr string
			q    checkout.Quote
		}
		var buyers []buyer
		for i := range 4 {
			c, addr := s.shopper(fmt.Sprintf("racer%d", i))
			s.add(c, s.fish, 1)
			buyers = append(buyers, buyer{c, addr, s.quote(c, addr)})
		}
		var wg sync.WaitGroup
		codes := make(chan string, len(buyers))
		for i, b := range buyers {
			wg.Go(func() {
				res, body := place(b.c, fmt.Sprintf("race-%d", i), b.addr, checkout.MethodOnline, b.q.Payable)
				codes <- fmt.Sprintf("%d %s", res.StatusCode, body)
			})
		}
		wg.Wait()
		close(codes)
		won := 0
		for c := range codes {
			switch {
			case strings.HasPrefix(c, "201"):
				won++
			case strings.HasPrefix(c, "409") && (strings.Contains(c, `"code":"`+string(inventory.CodeOutOfStock)+`"`) ||
				strings.Contains(c, `"code":"`+string(checkout.CodeLinesChanged)+`"`)):
				// Out of stock at reservation, or already seen short in
				// the cart when the winner committed first.
			default:
				t.Errorf("unexpected answer: %s", c)
			}
		}
		if won != 1 {
			t.Errorf("%d orders for the last unit", won)
		}
		if n := s.count(`SELECT COUNT(*) FROM stock_levels WHERE reserved > on_hand OR reserved < 0`); n != 0 {
			t.Errorf("%d oversold stock levels", n)
		}
	})
}

func TestCashOnDeliveryIsConfirmedAtOnce(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("cod")
		s.add(c, s.tee, 1)
		q := s.quote(c, addr)
		if q.Shipping.Fee != 800 || q.Payable != 6700 {
			t.Errorf("one tee pays shipping: %+v", q.Shipping)
		}
		res, body := place(c, "cod-1", addr, checkout.MethodCOD, q.Payable)
		p := apptest.Decode[checkout.Placed](t, body)
		if res.StatusCode != 201 || p.Status != "allocated" || !p.PayBy.IsZero() || p.Provider != "cod" {
			t.Fatalf("cod order: %d %s", res.StatusCode, body)
		}
		if n, err := checkout.CancelOverdue(t.Context(), a.DB, time.Now().Add(1000*time.Hour), checkout.Config{}); err != nil || n != 0 {
			t.Errorf("the deadline sweep cancelled %d cash-on-delivery orders (%v)", n, err)
		}
		res, body = c.JSON("POST", "/api/v1/customers/me/orders/"+p.OrderID.String()+"/cancel", "")
		apptest.Problem(t, res, body, http.StatusConflict, checkout.CodeNotCancellable)
	})
}

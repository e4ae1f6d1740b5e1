package cart_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/cart"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
)

func TestCartAPIGuestThenSignIn(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		f := catalogtest.New(t, a.DB)
		_, skus := f.Create(catalogtest.Product{Category: f.Category("服饰", "Clothing", 0), Title: "连衣裙",
			SKUs: []catalogtest.SKU{{SpecText: "红色 S", Price: 19900, Stock: 6}, {SpecText: "蓝色 M", Price: 9900, Stock: 6}}})
		b := apptest.NewClient(t, apptest.Serve(t, a))

		res, body := b.JSON("GET", "/api/v1/cart", "")
		if res.StatusCode != 200 || len(apptest.Decode[cart.Cart](t, body).Lines) != 0 || b.Cookie(cart.GuestCookie) != nil {
			t.Fatalf("empty guest cart: %d %s", res.StatusCode, body)
		}
		res, body = b.JSON("POST", "/api/v1/cart/items?province=650000", `{"sku_id":"`+skus[1].String()+`","quantity":1}`, "Idempotency-Key", "add-1")
		if res.StatusCode != 200 {
			t.Fatalf("add: %d %s", res.StatusCode, body)
		}
		if c := apptest.Decode[cart.Cart](t, body); c.Items != 9900 || c.Shipping.Fee != 0 || c.ProvinceCode != "650000" {
			t.Errorf("added: %+v", c)
		}
		if res.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
		}
		var set *http.Cookie
		for _, c := range res.Cookies() {
			if c.Name == cart.GuestCookie {
				set = c
			}
		}
		if set == nil || !set.HttpOnly || set.SameSite != http.SameSiteLaxMode || len(set.Value) != 43 {
			t.Fatalf("guest cookie: %+v", set)
		}
		// The same Idempotency-Key again is a replay, not a second add.
		b.JSON("POST", "/api/v1/cart/items", `{"sku_id":"`+skus[1].String()+`","quantity":1}`, "Idempotency-Key", "add-1")
		_, body = b.JSON("PUT", "/api/v1/cart/items/"+skus[0].String(), `{"quantity":2}`)
		c := apptest.Decode[cart.Cart](t, body)
		if len(c.Lines) != 2 || c.Items != 2*19900+9900 {
			t.Fatalf("after the replay and a PUT: %s", body)
		}

		// Signing up carries the guest cart over and drops its cookie.
		res, body = b.JSON("POST", "/api/v1/customers/signup", `{"email":"shopper@example.com","password":"a long enough password"}`)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("sign up: %d %s", res.StatusCode, body)
		}
		_, body = b.JSON("GET", "/api/v1/cart", "")
		if c := apptest.Decode[cart.Cart](t, body); len(c.Lines) != 2 || c.Count != 3 {
			t.Errorf("customer cart after sign-up: %s", body)
		}
		if b.Cookie(cart.GuestCookie) != nil {
			t.Errorf("guest cookie still set after the merge")
		}
		if res, _ := b.JSON("DELETE", "/api/v1/cart/items/"+skus[1].String(), ""); res.StatusCode != 200 {
			t.Errorf("remove: %d", res.StatusCode)
		}
		if res, _ := b.JSON("DELETE", "/api/v1/cart", ""); res.StatusCode != http.StatusNoContent {
			t.Errorf("clear: %d", res.StatusCode)
		}
		if _, body = b.JSON("GET", "/api/v1/cart", ""); len(apptest.Decode[cart.Cart](t, body).Lines) != 0 {
			t.Errorf("cleared cart: %s", body)
		}
	})
}

func TestCartAPIBadInput(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		f := catalogtest.New(t, a.DB)
		_, skus := f.Create(catalogtest.Product{Category: f.Category("数码", "Digital", 0), Title: "手机壳"})
		b := apptest.NewClient(t, apptest.Serve(t, a))
		sku := skus[0].String()
		for _, c := range []struct {
			name, method, path, body string
			status                   int
			code                     platform.Code
		}{
			{"malformed JSON", "POST", "/api/v1/cart/items", `{"sku_id":`, 400, platform.CodeMalformedJSON},
			{"quantity not a number", "POST", "/api/v1/cart/items", `{"sku_id":"` + sku + `","quantity":"two"}`, 422, platform.CodeInvalid},
			{"no sku", "POST", "/api/v1/cart/items", `{"quantity":1}`, 422, platform.CodeInvalid},
			{"zero quantity", "POST", "/api/v1/cart/items", `{"sku_id":"` + sku + `","quantity":0}`, 422, platform.CodeInvalid},
			{"huge quantity", "POST", "/api/v1/cart/items", `{"sku_id":"` + sku + `","quantity":100000}`, 422, platform.CodeInvalid},
			{"unknown sku", "POST", "/api/v1/cart/items", `{"sku_id":"9999999","quantity":1}`, 404, platform.CodeNotFound},
			{"unknown field", "POST", "/api/v1/cart/items", `{"sku_id":"` + sku + `","quantity":1,"price":1}`, 422, platform.CodeInvalid},
			{"bad province", "GET", "/api/v1/cart?province=999999", ``, 422, platform.CodeInvalid},
			{"bad path id", "PUT", "/api/v1/cart/items/abc", `{"quantity":1}`, 404, platform.CodeNotFound},
			{"negative set", "PUT", "/api/v1/cart/items/" + sku, `{"quantity":-1}`, 422, platform.CodeInvalid},
		} {
			t.Run(c.name, func(t *testing.T) {
				res, body := b.JSON(c.method, c.path, c.body)
				apptest.Problem(t, res, body, c.status, c.code)
			})
		}
		// A forged cookie is ignored, not trusted or echoed.
		u, _ := url.Parse(b.Base)
		b.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: cart.GuestCookie, Value: "<script>"}})
		if res, body := b.JSON("GET", "/api/v1/cart", ""); res.StatusCode != 200 || len(apptest.Decode[cart.Cart](t, body).Lines) != 0 {
			t.Errorf("forged cookie: %d %s", res.StatusCode, body)
		}
		if n := countRows(t, a, `SELECT COUNT(*) FROM cart_items`); n != 0 {
			t.Errorf("bad requests left %d cart items", n)
		}
	})
}

func TestStorefrontCartPage(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		f := catalogtest.New(t, a.DB)
		product, skus := f.Create(catalogtest.Product{Category: f.Category("家居", "Home", 0), Title: "<b>香薰</b>蜡烛", Images: 1,
			SKUs: []catalogtest.SKU{{SpecText: "雪松", Price: 4900, Stock: 3}}})
		b := apptest.NewClient(t, apptest.Serve(t, a))
		_, page := b.Do("GET", "/p/"+product.String(), "", "")
		if !strings.Contains(page, `action="/cart/items"`) || !strings.Contains(page, `id="add-to-cart"`) {
			t.Fatalf("product page has no add-to-cart form")
		}
		res, _ := b.Do("POST", "/cart/items", "application/x-www-form-urlencoded", "sku="+skus[0].String()+"&quantity=2")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/cart" {
			t.Fatalf("form add: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res, page = b.Do("GET", "/cart?province=540000", "", "")
		if res.StatusCode != 200 || !strings.Contains(page, "&lt;b&gt;香薰&lt;/b&gt;蜡烛") || !strings.Contains(page, "¥98.00") ||
			!strings.Contains(page, "¥15.00") || !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("cart page: %d %s\n%s", res.StatusCode, res.Header.Get("Cache-Control"), page)
		}
		res, _ = b.Do("POST", "/cart/items/"+skus[0].String(), "application/x-www-form-urlencoded", "quantity=0&province=540000")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/cart?province=540000" {
			t.Fatalf("form remove: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if _, page = b.Do("GET", "/cart", "", ""); !strings.Contains(page, "购物车是空的") {
			t.Errorf("emptied cart page does not say so")
		}
		// A cross-site form post is refused.
		res, _ = b.Do("POST", "/cart/items", "application/x-www-form-urlencoded", "sku="+skus[0].String(), "Sec-Fetch-Site", "cross-site")
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site add: %d", res.StatusCode)
		}
	})
}

func countRows(t *testing.T, a *app.App, q string) int {
	t.Helper()
	var n int
	if err := a.DB.R.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

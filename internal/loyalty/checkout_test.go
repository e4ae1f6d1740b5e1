package loyalty_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/checkout"
	"storeops/internal/loyalty"
)

// A gold member checks out a ¥59 T-shirt: the member price takes 5% off,
// gold's free-shipping threshold waives the fee, and 2,800 of the 3,000
// points offered pay ¥28 (the cap is half the items). The points leave
// the ledger in the checkout's transaction and come back when the unpaid
// order is cancelled; spent, they cannot pay for another order.
func TestCheckoutRedeemsAndCancelRestores(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		f := catalogtest.New(t, a.DB)
		_, skus := f.Create(catalogtest.Product{Category: f.Category("服饰", "Clothing", 0), Title: "纯棉短袖T恤",
			SKUs: []catalogtest.SKU{{SpecText: "白色 M", Price: 5900, Stock: 10}}})
		tee := skus[0]
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "gold")
		res, body := buyer.C.JSON("POST", "/api/v1/customers/me/addresses", `{"recipient":"张三","mobile":"13800138000",
			"province_code":"310000","city_code":"310100","district_code":"310104","detail":"漕溪北路 88 号","is_default":true}`)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("address: %d %s", res.StatusCode, body)
		}
		addr := apptest.Decode[struct {
			ID string `json:"id"`
		}](t, body).ID
		s := loyalty.NewService(a.DB, loyalty.Rules{})
		if _, err := s.Adjust(ctx, audit.System, buyer.ID, loyalty.AdjustInput{Points: 3000, Reason: "测试"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.W.Exec(`UPDATE loyalty_accounts SET tier_code = 'gold' WHERE customer_id = $1`, buyer.ID); err != nil {
			t.Fatal(err)
		}
		addToCart := func() {
			t.Helper()
			if res, body := buyer.C.JSON("POST", "/api/v1/cart/items", fmt.Sprintf(`{"sku_id":"%s","quantity":1}`, tee)); res.StatusCode != 200 {
				t.Fatalf("add to cart: %d %s", res.StatusCode, body)
			}
		}
		addToCart()
		res, body = buyer.C.JSON("POST", "/api/v1/checkout/quote", `{"address_id":"`+addr+`","points":3000}`)
		q := apptest.Decode[checkout.Quote](t, body)
		if res.StatusCode != 200 || q.Priced.Totals.MemberAdjustment != 295 || q.Shipping.Fee != 0 || q.Shipping.Rule != "member" ||
			q.Priced.Totals.PointsUsed != 2800 || q.Payable != 5605-2800 {
			t.Fatalf("quote: %d %s", res.StatusCode, body)
		}
		res, body = buyer.C.JSON("POST", "/api/v1/checkout/quote", `{"address_id":"`+addr+`","points":3001}`)
		apptest.Problem(t, res, body, 422, checkout.CodeNotEnoughPoints)

		// The storefront's checkout page prices the same.
		res, body = buyer.C.Do("GET", "/checkout?address="+addr+"&points=3000", "", "")
		if res.StatusCode != 200 || !strings.Contains(body, `id="co-points">-¥28.00<`) || !strings.Contains(body, `name="points" value="3000"`) {
			t.Errorf("checkout page with points: %d", res.StatusCode)
		}
		res, body = buyer.C.JSON("POST", "/api/v1/checkout", fmt.Sprintf(`{"address_id":"%s","payment_method":"bank_transfer","expected_total":%d,"points":3000}`,
			addr, q.Payable), "Idempotency-Key", "pts-1")
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("place: %d %s", res.StatusCode, body)
		}
		p := apptest.Decode[checkout.Placed](t, body)
		if got := balance(t, a, buyer.ID); got != 200 {
			t.Errorf("balance after checkout %d, want 200", got)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM loyalty_entries WHERE kind = 'redeem' AND order_id = $1 AND points = -2800`, p.OrderID); n != 1 {
			t.Errorf("no redemption entry for the order")
		}
		if n := count(t, a, `SELECT COUNT(*) FROM orders WHERE id = $1 AND discount_total = 3095 AND shipping_fee = 0 AND total = 2805`, p.OrderID); n != 1 {
			t.Errorf("the order does not carry the member price and points")
		}
		if err := checkout.CancelUnpaid(ctx, a.DB, p.OrderID); err != nil {
			t.Fatal(err)
		}
		if got := balance(t, a, buyer.ID); got != 3000 {
			t.Errorf("balance after the cancellation %d, want 3000", got)
		}

		// Spent once, the points cannot pay for a second order.
		if _, err := a.DB.W.Exec(`UPDATE loyalty_accounts SET tier_code = 'regular' WHERE customer_id = $1`, buyer.ID); err != nil {
			t.Fatal(err)
		}
		addToCart()
		// A regular member pays list price plus ¥8 shipping below ¥99; 29
		// units of points is the cap on ¥59.
		res, body = buyer.C.JSON("POST", "/api/v1/checkout", fmt.Sprintf(`{"address_id":"%s","payment_method":"bank_transfer","expected_total":%d,"points":3000}`,
			addr, 5900+800-2900), "Idempotency-Key", "pts-2")
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("second order: %d %s", res.StatusCode, body)
		}
		addToCart()
		res, body = buyer.C.JSON("POST", "/api/v1/checkout", fmt.Sprintf(`{"address_id":"%s","payment_method":"bank_transfer","expected_total":%d,"points":3000}`,
			addr, 5900+800-2900), "Idempotency-Key", "pts-3")
		apptest.Problem(t, res, body, 422, checkout.CodeNotEnoughPoints)
		if got := balance(t, a, buyer.ID); got != 100 {
			t.Errorf("balance after the second order %d, want 100", got)
		}
		checkLedger(t, a)
	})
}

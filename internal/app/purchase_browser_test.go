package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/browsertest"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/promotion"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// A shopper buys a dress with a coupon through the storefront: adds it to
// the cart, signs up when checkout asks, adds an address, applies the
// coupon, places the order and pays on the sandbox gateway's page; the
// gateway's signed notification marks the order paid. Then staff refund
// part of it from the console, and the gateway's refund notification
// completes the refund.
func TestBrowserBuyWithCouponAndRefund(t *testing.T) {
	ctx := context.Background()
	a := apptest.New(t, store.SQLite, apptest.Options{})
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.Stop(sctx)
	})
	base := apptest.Serve(t, a)
	f := catalogtest.New(t, a.DB)
	product, _ := f.Create(catalogtest.Product{Category: f.Category("服饰", "Clothing", 0), Title: "真丝印花连衣裙", Images: 2,
		SKUs: []catalogtest.SKU{{SpecText: "藏青 M", Price: 29900, Stock: 6}}})
	promos := promotion.NewService(a.DB)
	batch, err := promos.CreateBatch(ctx, audit.System, pricing.Batch{Name: "春装满200减30", Kind: pricing.CouponAmount, Amount: 3000, MinSpend: 20000, Total: 100})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := promos.SetBatchStatus(ctx, audit.System, batch.ID, promotion.Active); err != nil {
		t.Fatal(err)
	}
	if _, err := promos.AddPublicCode(ctx, audit.System, batch.ID, promotion.PublicCode{Code: "SPRING30"}); err != nil {
		t.Fatal(err)
	}
	email, password := firstOwner(t, a)

	b := browsertest.New(t)
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	step("add to cart",
		chromedp.Navigate(base+"/p/"+product.String()),
		chromedp.Click(chromedp.ID("add-to-cart")),
		chromedp.WaitVisible(chromedp.CSS(".cart-lines")),
	)
	browsertest.Screenshot(t, b, "storefront-cart")
	step("sign up on the way to checkout",
		chromedp.Navigate(base+"/checkout"),
		chromedp.WaitVisible(chromedp.ID("signin-submit")),
		chromedp.Click(chromedp.CSS(`a[href^="/signup"]`)),
		chromedp.WaitVisible(chromedp.ID("signup-submit")),
		chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), "silk@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "a long enough password"),
		chromedp.Click(chromedp.ID("signup-submit")),
		chromedp.WaitVisible(chromedp.ID("address-form")),
	)
	// Choose in a picker once its options have come, as a person would.
	pick := func(id, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.WaitReady(chromedp.CSS("#"+id+` option[value="`+value+`"]`)),
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := chromedp.Evaluate[bool](`(function () { var s = document.getElementById("`+id+`"); s.value = "`+value+`";
					s.dispatchEvent(new Event("change")); return true; })()`)(ctx, t)
				return err
			}),
		)
	}
	step("add an address",
		chromedp.SendKeys(chromedp.ID("addr-recipient"), "王芳"),
		chromedp.SendKeys(chromedp.ID("addr-mobile"), "13912345678"),
		pick("addr-province", "310000"),
		pick("addr-city", "310100"),
		pick("addr-district", "310104"),
		chromedp.SendKeys(chromedp.ID("addr-detail"), "漕溪北路 88 号 1201 室"),
		chromedp.Click(chromedp.ID("address-save")),
		chromedp.WaitVisible(chromedp.ID("place-order")),
	)
	step("apply the coupon",
		chromedp.SendKeys(chromedp.CSS(`.co-address input[name="coupon"]`), "spring30"),
		chromedp.Submit(chromedp.CSS(`.co-address input[name="coupon"]`)),
		chromedp.WaitVisible(chromedp.CSS(".co-discount")),
	)
	payable, err := chromedp.Run(b, chromedp.Text(chromedp.ID("payable")))
	if err != nil || payable != "¥269.00" {
		t.Fatalf("payable %q (%v), want ¥269.00: ¥299 less the ¥30 coupon, free shipping", payable, err)
	}
	browsertest.Screenshot(t, b, "storefront-checkout")
	step("place the order and go to the pay page",
		chromedp.Click(chromedp.ID("place-order")),
		chromedp.WaitVisible(chromedp.ID("pay-now")),
		chromedp.Click(chromedp.ID("pay-now")),
		chromedp.WaitVisible(chromedp.ID("pay")),
	)
	browsertest.Screenshot(t, b, "sandbox-pay")
	// The gateway takes the shopper back to the order; the page looks
	// again by itself until the signed notification has marked it paid.
	step("pay and come back",
		chromedp.Click(chromedp.ID("pay")),
		chromedp.WaitVisible(chromedp.ID("order-status")),
	)
	var orderID platform.ID
	deadline := time.Now().Add(30 * time.Second)
	for {
		var status string
		if err := a.DB.R.QueryRow(`SELECT id, status FROM orders`).Scan(&orderID, &status); err != nil {
			t.Fatal(err)
		}
		if status == "paid" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the order is still %s: the gateway's notification did not mark it paid", status)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The page looks again by itself until the notification has come.
	step("see it paid", chromedp.WaitVisible(chromedp.CSS(".status-paid")))
	browsertest.Screenshot(t, b, "storefront-order-paid")
	if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM orders WHERE id = $1 AND total = 26900 AND discount_total = 3000`, orderID); n != 1 {
		t.Errorf("the order is not ¥269.00 with the ¥30 coupon")
	}

	// Staff refund ¥50 of it in the console.
	signIn(t, b, base, email, password)
	step("refund part of it",
		chromedp.Navigate(base+"/console/orders/"+orderID.String()),
		chromedp.WaitVisible(chromedp.ID("refund-form")),
		chromedp.SendKeys(chromedp.ID("amount"), "50.00"),
		chromedp.SendKeys(chromedp.ID("refund-reason"), "色差，协商部分退款"),
		chromedp.Click(chromedp.ID("refund-submit")),
		chromedp.WaitVisible(chromedp.CSS("#order-refunds tbody tr")),
	)
	deadline = time.Now().Add(30 * time.Second)
	for storetest.Count(t, a.DB, `SELECT COUNT(*) FROM orders WHERE id = $1 AND refunded_total = 5000`, orderID) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the partial refund did not complete")
		}
		time.Sleep(100 * time.Millisecond)
	}
	step("see the refund", chromedp.Navigate(base+"/console/orders/"+orderID.String()), chromedp.WaitVisible(chromedp.ID("order-refunds")))
	text, err := chromedp.Run(b, chromedp.Text(chromedp.ID("order-refunds")))
	if err != nil || !strings.Contains(text, "50.00") {
		t.Errorf("refunds table %q (%v)", text, err)
	}
	browsertest.Screenshot(t, b, "console-order-refund")
}

package review_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"storeops/internal/app/apptest"
	"storeops/internal/browsertest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/review"
	"storeops/internal/store"
)

// Customer service sign in to the console, find a shopper's negative
// review on the reply to-do list, answer it, and the answer shows under
// the review on the storefront's product page, in a real headless
// Chromium against a real server.
func TestBrowserReplyToReview(t *testing.T) {
	a := apptest.New(t, store.SQLite, apptest.Options{})
	base := apptest.Serve(t, a)
	buyer := apptest.SignUp(t, base, "lihua")
	p := newProduct(t, a, "真丝睡衣套装")
	line := seedLine(t, a.DB, buyer.ID, p, order.Delivered)
	res, body := buyer.C.JSON("POST", "/api/v1/reviews", fmt.Sprintf(`{"order_line_id":"%d","rating":2,"body":"物流太慢了，包装也破了"}`, line))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("review: %d %s", res.StatusCode, body)
	}
	v := apptest.Decode[review.Review](t, body)
	apptest.StaffToken(t, a, platform.RoleService)
	ctx := browsertest.New(t)

	row := "#review-" + v.ID.String()
	const answer = "非常抱歉，已为您安排顺丰补发，包装会加固。"
	text := func(sel string) string {
		t.Helper()
		out, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(out)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/console"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "service@test.local"),
		chromedp.SendKeys(chromedp.ID("password"), apptest.TestPassword),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.CSS("nav.sidenav")),
		chromedp.Navigate(base+"/console/reviews"),
		chromedp.Click(chromedp.ID("tab-todo")),
		chromedp.WaitVisible(chromedp.CSS(row+" textarea")),
	)
	if err != nil {
		t.Fatalf("open the to-do list: %v", err)
	}
	browsertest.Screenshot(t, ctx, "console-review-todo")
	if n := text("#todo-count"); n != "1" {
		t.Errorf("to-do count %q, want 1", n)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(row+" textarea"), answer),
		chromedp.Click(chromedp.CSS(row+" .reply-form button")),
		chromedp.WaitVisible(chromedp.ID("flash")),
	)
	if err != nil {
		t.Fatalf("reply: %v", err)
	}
	if flash, n := text("#flash"), text("#todo-count"); !strings.Contains(flash, "回复已发布") || n != "0" {
		t.Errorf("after replying: flash %q, to-do count %q", flash, n)
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/p/"+p.String()),
		chromedp.WaitVisible(chromedp.CSS(row+" .reply-text")),
	)
	if err != nil {
		t.Fatalf("product page: %v", err)
	}
	if shown := text(row); !strings.Contains(shown, answer) || !strings.Contains(shown, "物流太慢了") {
		t.Errorf("the product page's review reads %q, want the review and the reply", shown)
	}
	browsertest.Screenshot(t, ctx, "shop-review-reply")
}

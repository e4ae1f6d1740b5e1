package review_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/review"
	"storeops/internal/store/storetest"
)

// Only a customer whose order line was delivered may review it, once;
// someone else's line is not found; bad input is a field error.
func TestVerifiedPurchase(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer, other := apptest.SignUp(t, base, "buyer"), apptest.SignUp(t, base, "other")
		p := newProduct(t, a, "有机纯棉T恤")
		delivered := seedLine(t, a.DB, buyer.ID, p, order.Delivered)
		completed := seedLine(t, a.DB, buyer.ID, p, order.Completed)
		shipped := seedLine(t, a.DB, buyer.ID, p, order.Shipped)
		cancelled := seedLine(t, a.DB, buyer.ID, p, order.Cancelled)

		post := func(s apptest.Shopper, line platform.ID, rating int, body string) (*http.Response, string) {
			return s.C.JSON("POST", "/api/v1/reviews", fmt.Sprintf(`{"order_line_id":"%d","rating":%d,"body":%q}`, line, rating, body))
		}
		anon := apptest.NewClient(t, base)
		res, body := anon.JSON("POST", "/api/v1/reviews", fmt.Sprintf(`{"order_line_id":"%d","rating":5}`, delivered))
		apptest.Problem(t, res, body, http.StatusUnauthorized, platform.CodeUnauthenticated)

		res, body = post(other, delivered, 5, "不是我买的")
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		for _, line := range []platform.ID{shipped, cancelled} {
			res, body = post(buyer, line, 5, "还没收到")
			apptest.Problem(t, res, body, http.StatusConflict, review.CodeNotEligible)
		}
		for _, bad := range []string{`{"order_line_id":"1","rating":0}`, `{"order_line_id":"1","rating":6}`, `{"rating":5}`,
			`{"order_line_id":"1","rating":5,"body":"` + strings.Repeat("好", 1001) + `"}`} {
			res, body = buyer.C.JSON("POST", "/api/v1/reviews", bad)
			apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		}
		res, body = buyer.C.JSON("POST", "/api/v1/reviews", `{"order_line_id":`)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("malformed JSON: %d %s", res.StatusCode, body)
		}

		// The lines left to review are the delivered and completed ones.
		res, body = buyer.C.JSON("GET", "/api/v1/customers/me/reviews/pending", "")
		todo := apptest.Decode[[]review.ReviewableLine](t, body)
		if res.StatusCode != http.StatusOK || len(todo) != 2 {
			t.Fatalf("lines to review: %d %s", res.StatusCode, body)
		}

		res, body = post(buyer, delivered, 5, "质量很好，物流很快，<script>alert(1)</script>")
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("review: %d %s", res.StatusCode, body)
		}
		v := apptest.Decode[review.Review](t, body)
		if v.Status != review.Published || v.ProductID != p || v.Author != "b**" || len(v.Topics) != 2 {
			t.Errorf("review: %+v", v)
		}
		res, body = post(buyer, delivered, 1, "再评一次")
		apptest.Problem(t, res, body, http.StatusConflict, review.CodeExists)
		if res, body = post(buyer, completed, 2, "尺码偏小"); res.StatusCode != http.StatusCreated {
			t.Fatalf("second line: %d %s", res.StatusCode, body)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM outbox_events WHERE topic = $1`, review.TopicPosted); n != 2 {
			t.Errorf("review.posted events: %d, want 2", n)
		}
		_, body = buyer.C.JSON("GET", "/api/v1/customers/me/reviews/pending", "")
		if todo := apptest.Decode[[]review.ReviewableLine](t, body); len(todo) != 0 {
			t.Errorf("lines to review after reviewing: %v", todo)
		}
		_, body = buyer.C.JSON("GET", "/api/v1/customers/me/reviews", "")
		if mine := apptest.Decode[platform.Page[review.Review]](t, body); len(mine.Items) != 2 {
			t.Errorf("own reviews: %s", body)
		}
		_, body = other.C.JSON("GET", "/api/v1/customers/me/reviews", "")
		if theirs := apptest.Decode[platform.Page[review.Review]](t, body); len(theirs.Items) != 0 {
			t.Errorf("another shopper sees reviews: %s", body)
		}

		// The public list: both reviews, the summary, the topics; the
		// script is data in JSON and escaped on the storefront.
		res, body = anon.JSON("GET", "/api/v1/products/"+p.String()+"/reviews", "")
		pr := apptest.Decode[review.ProductReviews](t, body)
		if res.StatusCode != http.StatusOK || pr.Summary.Count != 2 || pr.Summary.Average != 3.5 || pr.Summary.Distribution != [5]int{0, 1, 0, 0, 1} ||
			len(pr.Items) != 2 || pr.Items[0].Rating != 2 {
			t.Errorf("public reviews: %d %s", res.StatusCode, body)
		}
		if strings.Contains(body, `"order_id"`) || strings.Contains(body, `"customer_id"`) {
			t.Errorf("public reviews show order or customer ids: %s", body)
		}
		_, body = anon.JSON("GET", "/api/v1/products/"+p.String()+"/reviews?rating=5&limit=1", "")
		if pr := apptest.Decode[review.ProductReviews](t, body); len(pr.Items) != 1 || pr.Items[0].Rating != 5 || pr.NextCursor != "" {
			t.Errorf("rating filter: %s", body)
		}
		res, body = anon.JSON("GET", "/api/v1/products/"+p.String()+"/reviews?rating=9", "")
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, body = anon.JSON("GET", "/api/v1/products/1/reviews", "")
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		res, body = anon.JSON("GET", "/api/v1/products/"+p.String()+"/reviews?cursor=zz", "")
		apptest.Problem(t, res, body, http.StatusBadRequest, platform.CodeBadCursor)

		res, body = anon.Do("GET", "/p/"+p.String()+"/reviews", "", "")
		if res.StatusCode != http.StatusOK || strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("storefront reviews: %d, script not escaped", res.StatusCode)
		}
	})
}

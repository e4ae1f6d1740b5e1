package review_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/review"
	"storeops/internal/store/storetest"
)

// A flagged review waits hidden in the queue; staff approve or reject it
// (audited), and only moderators may.
func TestModeration(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "buyer")
		p := newProduct(t, a, "蓝牙耳机")
		write := func(rating int, body string) review.Review {
			t.Helper()
			line := seedLine(t, a.DB, buyer.ID, p, order.Delivered)
			res, out := buyer.C.JSON("POST", "/api/v1/reviews", fmt.Sprintf(`{"order_line_id":"%d","rating":%d,"body":%q}`, line, rating, body))
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("review: %d %s", res.StatusCode, out)
			}
			return apptest.Decode[review.Review](t, out)
		}
		clean := write(5, "音质很好")
		ad := write(5, "同款更便宜，加我微信 shop_deal88")
		rude := write(1, "傻逼商家，东西是坏的")
		if ad.Status != review.Pending || strings.Join([]string{string(ad.Flags[0]), string(ad.Flags[1])}, ",") != "ad,contact" ||
			rude.Status != review.Pending || rude.Flags[0] != review.FlagProfanity || clean.Status != review.Published {
			t.Fatalf("flags: %+v / %+v / %+v", clean, ad, rude)
		}

		public := func() []platform.ID {
			_, body := apptest.NewClient(t, base).JSON("GET", "/api/v1/products/"+p.String()+"/reviews", "")
			var ids []platform.ID
			for _, v := range apptest.Decode[review.ProductReviews](t, body).Items {
				ids = append(ids, v.ID)
			}
			return ids
		}
		if got := public(); len(got) != 1 || got[0] != clean.ID {
			t.Fatalf("flagged reviews are shown: %v", got)
		}

		service := staff(t, a, base, platform.RoleService)
		analyst := staff(t, a, base, platform.RoleAnalyst)
		res, body := service("GET", "/api/v1/admin/reviews?status=pending", "")
		if q := apptest.Decode[platform.Page[review.Review]](t, body); res.StatusCode != http.StatusOK || len(q.Items) != 2 || q.Items[0].ID != rude.ID {
			t.Fatalf("queue: %d %s", res.StatusCode, body)
		}
		_, body = service("GET", "/api/v1/admin/reviews?flag=contact", "")
		if q := apptest.Decode[platform.Page[review.Review]](t, body); len(q.Items) != 1 || q.Items[0].ID != ad.ID {
			t.Errorf("flag filter: %s", body)
		}
		res, body = analyst("POST", "/api/v1/admin/reviews/"+ad.ID.String()+"/approve", "")
		apptest.Problem(t, res, body, http.StatusForbidden, platform.CodeForbidden)

		res, body = service("POST", "/api/v1/admin/reviews/"+ad.ID.String()+"/approve", "")
		if v := apptest.Decode[review.Review](t, body); res.StatusCode != http.StatusOK || v.Status != review.Published {
			t.Fatalf("approve: %d %s", res.StatusCode, body)
		}
		res, body = service("POST", "/api/v1/admin/reviews/"+ad.ID.String()+"/approve", "")
		apptest.Problem(t, res, body, http.StatusConflict, review.CodeNotPending)
		res, body = service("POST", "/api/v1/admin/reviews/"+rude.ID.String()+"/reject", `{"reason":" "}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, body = service("POST", "/api/v1/admin/reviews/"+rude.ID.String()+"/reject", `{"reason":"含不文明用语"}`)
		if v := apptest.Decode[review.Review](t, body); res.StatusCode != http.StatusOK || v.Status != review.Rejected || v.RejectReason != "含不文明用语" {
			t.Fatalf("reject: %d %s", res.StatusCode, body)
		}
		res, body = service("POST", "/api/v1/admin/reviews/"+rude.ID.String()+"/reject", `{"reason":"再驳回"}`)
		apptest.Problem(t, res, body, http.StatusConflict, review.CodeRejected)
		res, body = service("POST", "/api/v1/admin/reviews/"+rude.ID.String()+"/approve", "")
		apptest.Problem(t, res, body, http.StatusConflict, review.CodeNotPending)
		res, body = service("POST", "/api/v1/admin/reviews/12345/approve", "")
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)

		if got := public(); len(got) != 2 || got[0] != ad.ID || got[1] != clean.ID {
			t.Errorf("after moderation the public list is %v, want the approved and the clean review", got)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE entity_type = 'review' AND action IN ('review.approve', 'review.reject') AND actor_kind = 'staff'`); n != 2 {
			t.Errorf("audit rows: %d, want 2", n)
		}
		// The author sees the rejection and its reason.
		_, body = buyer.C.JSON("GET", "/api/v1/customers/me/reviews", "")
		if !strings.Contains(body, "含不文明用语") {
			t.Errorf("own list lacks the reason: %s", body)
		}

		// The console queue: a moderator gets the forms, an analyst reads.
		w := consoleGet(t, a, platform.RoleCatalog, "/console/reviews?status=pending")
		if w.Code != http.StatusOK {
			t.Fatalf("console queue: %d", w.Code)
		}
		form := url.Values{"back": {"/console/reviews?status=pending"}}
		if w := consolePost(t, a, platform.RoleAnalyst, "/console/reviews/"+clean.ID.String()+"/reject", form); w.Code != http.StatusForbidden {
			t.Errorf("analyst reject form: %d", w.Code)
		}
		form.Set("reason", "测试")
		if w := consolePost(t, a, platform.RoleCatalog, "/console/reviews/"+clean.ID.String()+"/reject", form); w.Code != http.StatusSeeOther ||
			!strings.HasPrefix(w.Header().Get("Location"), "/console/reviews?done=rejected&status=pending#review-") {
			t.Errorf("console reject: %d %s", w.Code, w.Header().Get("Location"))
		}
		if w := consolePost(t, a, platform.RoleCatalog, "/console/reviews/"+clean.ID.String()+"/reject", form); w.Code != http.StatusConflict ||
			!strings.Contains(w.Body.String(), "该评价已被驳回") {
			t.Errorf("second console reject: %d", w.Code)
		}
	})
}

// The shop replies once per review and may edit it; the 24-hour target
// counts from the review to the first reply; the to-do list holds the
// unanswered negative reviews.
func TestRepliesAndTarget(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "buyer")
		p := newProduct(t, a, "保温杯")
		write := func(rating int, body string) review.Review {
			t.Helper()
			line := seedLine(t, a.DB, buyer.ID, p, order.Delivered)
			res, out := buyer.C.JSON("POST", "/api/v1/reviews", fmt.Sprintf(`{"order_line_id":"%d","rating":%d,"body":%q}`, line, rating, body))
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("review: %d %s", res.StatusCode, out)
			}
			return apptest.Decode[review.Review](t, out)
		}
		service := staff(t, a, base, platform.RoleService)
		catalogStaff := staff(t, a, base, platform.RoleCatalog)
		inTime, late, never := write(1, "包装破损"), write(2, "保温效果一般"), write(1, "漏水")
		good := write(5, "很好")
		reply := func(id platform.ID, text string) review.Review {
			t.Helper()
			res, body := service("PUT", "/api/v1/admin/reviews/"+id.String()+"/reply", `{"body":`+fmt.Sprintf("%q", text)+`}`)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("reply: %d %s", res.StatusCode, body)
			}
			return apptest.Decode[review.Review](t, body)
		}
		res, body := catalogStaff("PUT", "/api/v1/admin/reviews/"+inTime.ID.String()+"/reply", `{"body":"抱歉"}`)
		apptest.Problem(t, res, body, http.StatusForbidden, platform.CodeForbidden)
		res, body = service("PUT", "/api/v1/admin/reviews/"+inTime.ID.String()+"/reply", `{"body":"  "}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)

		clock.Advance(2 * time.Hour)
		first := reply(inTime.ID, "非常抱歉，已为您补发")
		clock.Advance(3 * time.Hour)
		edited := reply(inTime.ID, "非常抱歉，已为您补发，顺丰单号已短信发送")
		if !first.RepliedAt.Equal(*edited.RepliedAt) || !edited.ReplyUpdatedAt.After(*edited.RepliedAt) || edited.Reply != "非常抱歉，已为您补发，顺丰单号已短信发送" {
			t.Errorf("edit moved the first reply time or lost the text: %+v → %+v", first, edited)
		}
		reply(good.ID, "谢谢支持")
		clock.Advance(25 * time.Hour)
		reply(late.ID, "抱歉回复晚了")

		res, body = service("GET", "/api/v1/admin/reviews/reply-metric?days=7", "")
		m := apptest.Decode[review.ReplyMetric](t, body)
		if res.StatusCode != http.StatusOK || m.Negative != 3 || m.InTime != 1 || m.Late != 1 || m.Overdue != 1 || m.Waiting != 0 || m.InTimePercent() != 33 {
			t.Errorf("metric: %d %s", res.StatusCode, body)
		}
		res, body = service("GET", "/api/v1/admin/reviews/reply-metric?days=0", "")
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)

		_, body = service("GET", "/api/v1/admin/reviews?negative=1&needs_reply=1&oldest=1", "")
		if todo := apptest.Decode[platform.Page[review.Review]](t, body); len(todo.Items) != 1 || todo.Items[0].ID != never.ID {
			t.Errorf("to-do: %s", body)
		}
		// A rejected review takes no reply.
		service("POST", "/api/v1/admin/reviews/"+never.ID.String()+"/reject", `{"reason":"重复"}`)
		res, body = service("PUT", "/api/v1/admin/reviews/"+never.ID.String()+"/reply", `{"body":"抱歉"}`)
		apptest.Problem(t, res, body, http.StatusConflict, review.CodeRejected)
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action = 'review.reply'`); n != 4 {
			t.Errorf("reply audit rows: %d, want 4", n)
		}

		// The console page shows the metric and the to-do list.
		w := consoleGet(t, a, platform.RoleService, "/console/reviews?negative=1&needs_reply=1&oldest=1&days=7")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="metric-rate">50%`) {
			t.Errorf("console metric: %d\n%s", w.Code, w.Body.String())
		}
		// The storefront shows the reply under its review.
		res, body = apptest.NewClient(t, base).Do("GET", "/p/"+p.String()+"/reviews", "", "", "HX-Request", "true")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "顺丰单号已短信发送") || strings.Contains(body, "<html") {
			t.Errorf("storefront fragment: %d %s", res.StatusCode, body)
		}
	})
}

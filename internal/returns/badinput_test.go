package returns_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/returns"
)

// Each refusal is a clear problem, never a 500: not delivered, outside
// the window, above the quantity left, malformed or unknown input.
func TestRequestRefusals(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("picky")
		paid := s.buy(c, addr, map[platform.ID]int{s.m: 1}, false)
		one := func(line platform.ID, qty int) string {
			return fmt.Sprintf(`{"kind":"return","reason":"unwanted","lines":[{"order_line_id":"%s","qty":%d}]}`, line, qty)
		}
		res, body := c.JSON("POST", requestPath(paid.id), one(paid.lines[s.m], 1))
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeNotDelivered)

		late := s.buy(c, addr, map[platform.ID]int{s.m: 1}, false)
		s.ship(late.id)
		s.deliver(late.id, 16*24*time.Hour)
		res, body = c.JSON("POST", requestPath(late.id), one(late.lines[s.m], 1))
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeWindowClosed)
		if !strings.Contains(body, "15") {
			t.Errorf("the window's days are not named: %s", body)
		}

		b := s.buy(c, addr, map[platform.ID]int{s.m: 2, s.l: 1}, true)
		line := b.lines[s.m]
		res, body = c.JSON("POST", requestPath(b.id), one(line, 3))
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeQtyExceeds)
		for name, bad := range map[string]string{
			"unknown kind":             fmt.Sprintf(`{"kind":"steal","reason":"unwanted","lines":[{"order_line_id":"%s","qty":1}]}`, line),
			"unknown reason":           fmt.Sprintf(`{"kind":"return","reason":"bored","lines":[{"order_line_id":"%s","qty":1}]}`, line),
			"no lines":                 `{"kind":"return","reason":"unwanted","lines":[]}`,
			"zero qty":                 one(line, 0),
			"negative qty":             one(line, -1),
			"line of other order":      one(paid.lines[s.m], 1),
			"duplicate line":           fmt.Sprintf(`{"kind":"return","reason":"unwanted","lines":[{"order_line_id":"%s","qty":1},{"order_line_id":"%s","qty":1}]}`, line, line),
			"exchange sku on a return": fmt.Sprintf(`{"kind":"return","reason":"size","lines":[{"order_line_id":"%s","qty":1,"exchange_sku_id":"%s"}]}`, line, s.l),
			"long description":         fmt.Sprintf(`{"kind":"return","reason":"unwanted","description":"%s","lines":[{"order_line_id":"%s","qty":1}]}`, strings.Repeat("长", 501), line),
		} {
			res, body := c.JSON("POST", requestPath(b.id), bad)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"code":"invalid"`) {
				t.Errorf("%s: %d %s", name, res.StatusCode, body)
			}
		}
		for name, bad := range map[string]string{"not JSON": `{"kind":`, "string qty": `{"kind":"return","reason":"unwanted","lines":[{"order_line_id":"1","qty":"x"}]}`} {
			if res, body := c.JSON("POST", requestPath(b.id), bad); res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", name, res.StatusCode, body)
			}
		}
		if res, body := c.JSON("POST", "/api/v1/customers/me/orders/not-a-number/returns", one(line, 1)); res.StatusCode >= 500 {
			t.Errorf("bad id: %d %s", res.StatusCode, body)
		}

		// Two units asked for in one request, one more is too many; a
		// rejection or a withdrawal frees them.
		r := request(t, c, b.id, one(line, 2))
		res, body = c.JSON("POST", requestPath(b.id), one(line, 1))
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeQtyExceeds)
		admin := "/api/v1/admin/returns/" + r.ID.String()
		res, body = s.staff.JSON("POST", admin+"/reject", `{"reason":"  "}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		if r = s.staffPost(admin+"/reject", `{"reason":"吊牌已剪，影响二次销售"}`); r.Status != returns.Rejected || r.RejectReason == "" {
			t.Fatalf("rejected: %+v", r)
		}
		if n := s.count(`SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'completed'`, b.id); n != 1 {
			t.Errorf("a rejected request left the order in after-sale")
		}
		res, body = s.staff.JSON("POST", admin+"/approve", "")
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeStatus)
		r = request(t, c, b.id, one(line, 2))
		if res, body := c.JSON("POST", "/api/v1/customers/me/returns/"+r.ID.String()+"/cancel", ""); res.StatusCode != 200 || !strings.Contains(body, `"status":"cancelled"`) {
			t.Fatalf("cancel: %d %s", res.StatusCode, body)
		}
		request(t, c, b.id, one(line, 2))

		// Staff input: unknown warehouse, a line not in the request, bad
		// tracking numbers.
		r = request(t, c, b.id, fmt.Sprintf(`{"kind":"return","reason":"quality","lines":[{"order_line_id":"%s","qty":1}]}`, b.lines[s.l]))
		admin = "/api/v1/admin/returns/" + r.ID.String()
		s.staffPost(admin+"/approve", "")
		for name, bad := range map[string]string{
			"unknown warehouse": fmt.Sprintf(`{"warehouse_id":"1","lines":[{"order_line_id":"%s","accepted_qty":1,"condition":"resaleable"}]}`, b.lines[s.l]),
			"other line":        fmt.Sprintf(`{"warehouse_id":"%s","lines":[{"order_line_id":"%s","accepted_qty":1,"condition":"resaleable"}]}`, s.warehouse, line),
			"bad condition":     fmt.Sprintf(`{"warehouse_id":"%s","lines":[{"order_line_id":"%s","accepted_qty":1,"condition":"meh"}]}`, s.warehouse, b.lines[s.l]),
		} {
			res, body := s.staff.JSON("POST", admin+"/receive", bad)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", name, res.StatusCode, body)
			}
		}
		res, body = c.JSON("POST", "/api/v1/customers/me/returns/"+r.ID.String()+"/ship", `{"carrier":"中通快递","tracking_no":"<b>x</b>"}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		// Nothing accepted: nothing to refund.
		s.staffPost(admin+"/receive", fmt.Sprintf(`{"warehouse_id":"%s","lines":[{"order_line_id":"%s","accepted_qty":0,"condition":"damaged"}]}`, s.warehouse, b.lines[s.l]))
		res, body = s.staff.JSON("POST", admin+"/refund", "")
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeNothingAccepted)
	})
}

// A customer reads and acts only on their own orders' requests: another
// customer's ids are 404 on every customer endpoint and page.
func TestOnlyOwnReturns(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("owner")
		b := s.buy(c, addr, map[platform.ID]int{s.m: 1}, true)
		body := fmt.Sprintf(`{"kind":"return","reason":"unwanted","lines":[{"order_line_id":"%s","qty":1}]}`, b.lines[s.m])
		r := request(t, c, b.id, body)
		other, _ := s.shopper("other")
		rid, oid := r.ID.String(), b.id.String()
		for _, call := range []struct{ method, path, body string }{
			{"GET", "/api/v1/customers/me/returns/" + rid, ""},
			{"POST", "/api/v1/customers/me/returns/" + rid + "/ship", `{"carrier":"中通快递","tracking_no":"ZT20261128001"}`},
			{"POST", "/api/v1/customers/me/returns/" + rid + "/cancel", ""},
			{"GET", requestPath(b.id), ""},
			{"POST", requestPath(b.id), body},
		} {
			res, out := other.JSON(call.method, call.path, call.body)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s as another customer: %d %s", call.method, call.path, res.StatusCode, out)
			}
		}
		for _, path := range []string{"/orders/" + oid + "/returns"} {
			if res, _ := other.Do("GET", path, "", ""); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s as another customer: %d", path, res.StatusCode)
			}
		}
		for _, path := range []string{"/orders/" + oid + "/returns", "/orders/" + oid + "/returns/" + rid + "/cancel"} {
			if res, _ := other.Form(path, url.Values{"kind": {"return"}}); res.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s as another customer: %d", path, res.StatusCode)
			}
		}
		// A visitor is sent to sign in; the API wants a session.
		visitor := apptest.NewClient(t, s.base)
		if res, _ := visitor.Do("GET", "/orders/"+oid+"/returns", "", ""); res.StatusCode != http.StatusSeeOther {
			t.Errorf("visitor page: %d", res.StatusCode)
		}
		if res, _ := visitor.JSON("GET", "/api/v1/customers/me/returns/"+rid, ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("visitor API: %d", res.StatusCode)
		}
		// Nothing changed.
		if n := s.count(`SELECT COUNT(*) FROM returns WHERE status = 'requested'`); n != 1 {
			t.Errorf("another customer changed the request")
		}
	})
}

package returns_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/returns"
	"storeops/internal/web"
)

// staffDo is one console call as a staff user of role, the principal put
// in the context as the sign-in middleware would.
func staffDo(t *testing.T, a *app.App, role platform.Role, method, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	p := &web.Principal{StaffID: 42, Role: role, Name: "测试" + string(role), Email: string(role) + "@example.com", Via: "session"}
	req = req.WithContext(web.WithPrincipal(req.Context(), p))
	w := httptest.NewRecorder()
	a.Handler.ServeHTTP(w, req)
	return w
}

// The whole case through the pages: the shopper's forms on the
// storefront, staff's in the console, the list, its export and the
// reasons report.
func TestPagesEndToEnd(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("pages")
		b := s.buy(c, addr, map[platform.ID]int{s.m: 2}, true)
		oid, line := b.id.String(), b.lines[s.m].String()
		page := "/orders/" + oid + "/returns"

		res, body := c.Do("GET", "/orders/"+oid, "", "")
		if res.StatusCode != 200 || !strings.Contains(body, `href="`+page+`"`) {
			t.Errorf("the order page does not link its returns: %d", res.StatusCode)
		}
		res, body = c.Form(page, url.Values{"kind": {"return"}, "reason": {"quality"}, "qty_" + line: {"3"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, `id="returns-error"`) {
			t.Errorf("too many: %d", res.StatusCode)
		}
		res, _ = c.Form(page, url.Values{"kind": {"return"}, "reason": {"quality"}, "description": {"<img src=x onerror=alert(1)>"}, "qty_" + line: {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("request form: %d", res.StatusCode)
		}
		var id platform.ID
		if err := a.DB.R.QueryRow(`SELECT id FROM returns WHERE order_id = $1`, b.id).Scan(&id); err != nil {
			t.Fatal(err)
		}
		rid := id.String()

		for _, role := range platform.StaffRoles {
			w := staffDo(t, a, role, "GET", "/console/returns", nil)
			want := http.StatusForbidden
			if platform.Can(role, returns.PermView) {
				want = http.StatusOK
			}
			if w.Code != want {
				t.Errorf("%s: GET /console/returns = %d, want %d", role, w.Code, want)
			}
		}
		w := staffDo(t, a, platform.RoleService, "GET", "/console/returns?status=requested&reason=quality", nil)
		if !strings.Contains(w.Body.String(), `data-id="`+rid+`"`) {
			t.Errorf("the filtered list lacks the request")
		}
		if w := staffDo(t, a, platform.RoleService, "GET", "/console/returns?status=refunded", nil); strings.Contains(w.Body.String(), `data-id="`+rid+`"`) {
			t.Errorf("the status filter does not filter")
		}
		if w := staffDo(t, a, platform.RoleService, "GET", "/console/returns?kind=nope", nil); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad filter: %d", w.Code)
		}
		w = staffDo(t, a, platform.RoleService, "GET", "/console/returns/"+rid, nil)
		if w.Code != 200 || strings.Contains(w.Body.String(), "<img src=x") || !strings.Contains(w.Body.String(), `id="approve-form"`) {
			t.Errorf("detail: %d", w.Code)
		}
		if w := staffDo(t, a, platform.RoleAnalyst, "POST", "/console/returns/"+rid+"/approve", url.Values{}); w.Code != http.StatusForbidden {
			t.Errorf("analyst approved: %d", w.Code)
		}
		if w := staffDo(t, a, platform.RoleService, "POST", "/console/returns/"+rid+"/approve", url.Values{}); w.Code != http.StatusSeeOther {
			t.Fatalf("approve: %d %s", w.Code, w.Body)
		}
		res, _ = c.Form(page+"/"+rid+"/ship", url.Values{"carrier": {"中通快递"}, "tracking_no": {"ZT20261128009"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("ship form: %d", res.StatusCode)
		}
		// The warehouse (supply) receives; a bad count shows on the page.
		bad := url.Values{"warehouse_id": {s.warehouse.String()}, "accepted_" + line: {"x"}, "condition_" + line: {"resaleable"}}
		if w := staffDo(t, a, platform.RoleSupply, "POST", "/console/returns/"+rid+"/receive", bad); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="form-error"`) {
			t.Errorf("bad inspection: %d", w.Code)
		}
		good := url.Values{"warehouse_id": {s.warehouse.String()}, "accepted_" + line: {"1"}, "condition_" + line: {"resaleable"}}
		if w := staffDo(t, a, platform.RoleSupply, "POST", "/console/returns/"+rid+"/receive", good); w.Code != http.StatusSeeOther {
			t.Fatalf("receive: %d %s", w.Code, w.Body)
		}
		if w := staffDo(t, a, platform.RoleSupply, "POST", "/console/returns/"+rid+"/refund", url.Values{}); w.Code != http.StatusForbidden {
			t.Errorf("the warehouse refunded: %d", w.Code)
		}
		if w := staffDo(t, a, platform.RoleService, "POST", "/console/returns/"+rid+"/refund", url.Values{}); w.Code != http.StatusSeeOther {
			t.Fatalf("refund: %d %s", w.Code, w.Body)
		}
		w = staffDo(t, a, platform.RoleService, "GET", "/console/returns/"+rid+"?done=refunded", nil)
		if !strings.Contains(w.Body.String(), `data-status="refunded"`) || !strings.Contains(w.Body.String(), `id="flash"`) {
			t.Errorf("detail after refund")
		}
		if n := s.count(`SELECT refunded_total FROM orders WHERE id = $1`, b.id); n != 5900 {
			t.Errorf("refunded %d", n)
		}
		res, body = c.Do("GET", page, "", "")
		if res.StatusCode != 200 || !strings.Contains(body, "已退款") || !strings.Contains(body, "ZT20261128009") || strings.Contains(body, "<img src=x") {
			t.Errorf("shop page after refund: %d", res.StatusCode)
		}

		w = staffDo(t, a, platform.RoleService, "GET", "/console/returns?format=xlsx&table=returns-table", nil)
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatalf("export: %v", err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0][1] != "售后单号" || !strings.HasPrefix(rows[1][1], "R") || rows[1][5] != "质量问题" || rows[1][10] != "59.00" {
			t.Errorf("export rows: %q", rows)
		}

		w = staffDo(t, a, platform.RoleAnalyst, "GET", "/console/returns/report", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `data-reason="quality"`) || !strings.Contains(w.Body.String(), "纯棉短袖T恤") {
			t.Errorf("report page: %d", w.Code)
		}
		if w := staffDo(t, a, platform.RoleAnalyst, "GET", "/console/returns/report?from=2026-13-01", nil); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad report range: %d", w.Code)
		}
		res, body = s.staff.JSON("GET", "/api/v1/admin/returns/report", "")
		rep := apptest.Decode[returns.Report](t, body)
		if res.StatusCode != 200 || rep.Total != 1 || len(rep.ByReason) != 1 || rep.ByReason[0].Reason != returns.ReasonQuality ||
			len(rep.Products) != 1 || rep.Products[0].Top != returns.ReasonQuality || len(rep.Weeks) != 1 {
			t.Errorf("report: %d %s", res.StatusCode, body)
		}
		res, body = s.staff.JSON("GET", "/api/v1/admin/returns?status=refunded", "")
		if page := apptest.Decode[platform.Page[returns.Return]](t, body); res.StatusCode != 200 || len(page.Items) != 1 || page.Items[0].ID != id {
			t.Errorf("admin list: %d %s", res.StatusCode, body)
		}
	})
}

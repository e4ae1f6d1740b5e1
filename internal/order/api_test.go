package order_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// The staff API lists, reads, cancels, ships and notes; every bad input
// is a 4xx problem with a stable code.
func TestStaffAPI(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		o := seedOrder(t, a.DB, orderSpec{Status: order.Allocated})
		base := "/api/v1/admin/orders/" + o.ID.String()

		w := get(t, a, platform.RoleAnalyst, "/api/v1/admin/orders?status=allocated")
		var page platform.Page[order.Order]
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &page) != nil || len(page.Items) != 1 || page.Items[0].OrderNo != o.No ||
			page.Items[0].PaymentMethod != "online" || page.Items[0].Total != 19600 {
			t.Fatalf("list: %d %s", w.Code, w.Body.String())
		}
		if w := get(t, a, platform.RoleCatalog, "/api/v1/admin/orders"); w.Code != http.StatusForbidden {
			t.Errorf("catalog lists orders: %d", w.Code)
		}
		if w := get(t, a, "", "/api/v1/admin/orders"); w.Code != http.StatusUnauthorized {
			t.Errorf("anonymous lists orders: %d", w.Code)
		}

		// Ship, then read it back with its timeline.
		w = postJSON(t, a, platform.RoleSupply, base+"/ship", `{"carrier":"中通快递","tracking_no":"ZT7788990011"}`)
		var sh order.Shipment
		if w.Code != http.StatusCreated || json.Unmarshal(w.Body.Bytes(), &sh) != nil || sh.TrackingNo != "ZT7788990011" || len(sh.Lines) != 2 {
			t.Fatalf("ship: %d %s", w.Code, w.Body.String())
		}
		w = postJSON(t, a, platform.RoleService, base+"/notes", `{"body":"已电话确认地址"}`)
		if w.Code != http.StatusCreated {
			t.Fatalf("note: %d %s", w.Code, w.Body.String())
		}
		w = get(t, a, platform.RoleAnalyst, base)
		var d order.Detail
		if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &d) != nil {
			t.Fatalf("get: %d %s", w.Code, w.Body.String())
		}
		if d.Status != order.Shipped || len(d.Lines) != 2 || d.Lines[1].ShippedQty != 2 || len(d.Shipments) != 1 || len(d.Notes) != 1 ||
			len(d.Timeline) != 1 || d.Timeline[0].Actor.ID != 42 || d.Timeline[0].To != order.Shipped {
			t.Errorf("detail: %s", w.Body.String())
		}

		// Cancelling a shipped order: 409 naming both statuses, in the
		// caller's language.
		w = do(t, a, request{role: platform.RoleService, method: http.MethodPost, target: base + "/cancel",
			body: strings.NewReader(`{"reason":"缺货"}`), ctype: "application/json", lang: "en"})
		p := problem(t, w)
		if w.Code != http.StatusConflict || p.Code != order.CodeIllegalTransition || p.Title != "An order cannot go from shipped to cancelled" {
			t.Errorf("cancel shipped: %d %s", w.Code, w.Body.String())
		}

		// A retried ship with the same Idempotency-Key gets the stored
		// answer instead of a 409.
		o3 := seedOrder(t, a.DB, orderSpec{Status: order.Allocated})
		var answers []string
		for range 2 {
			rq := request{role: platform.RoleSupply, method: http.MethodPost, target: "/api/v1/admin/orders/" + o3.ID.String() + "/ship",
				body: strings.NewReader(`{"carrier":"EMS","tracking_no":"EE123456789CN"}`), ctype: "application/json"}
			req := httptest.NewRequest(rq.method, rq.target, rq.body)
			req.Header.Set("Content-Type", rq.ctype)
			req.Header.Set("Idempotency-Key", "ship-"+o3.ID.String())
			req = req.WithContext(web.WithPrincipal(req.Context(), &web.Principal{StaffID: 42, Role: rq.role, Name: "测试", Via: "session"}))
			w := httptest.NewRecorder()
			a.Handler.ServeHTTP(w, req)
			if w.Code != http.StatusCreated {
				t.Fatalf("idempotent ship: %d %s", w.Code, w.Body.String())
			}
			answers = append(answers, w.Body.String())
		}
		if answers[0] != answers[1] || count(t, a.DB, `SELECT COUNT(*) FROM order_shipments WHERE order_id = $1`, o3.ID) != 1 {
			t.Errorf("retried ship: %q then %q", answers[0], answers[1])
		}

		o2 := seedOrder(t, a.DB, orderSpec{Status: order.PendingPayment})
		if w := postJSON(t, a, platform.RoleService, "/api/v1/admin/orders/"+o2.ID.String()+"/cancel", `{"reason":"买家要求取消"}`); w.Code != http.StatusOK {
			t.Errorf("cancel: %d %s", w.Code, w.Body.String())
		}

		for _, c := range []struct {
			name        string
			role        platform.Role
			target      string
			body, ctype string
			status      int
			code        platform.Code
		}{
			{"bad status filter", platform.RoleAnalyst, "/api/v1/admin/orders?status=x", "", "", 422, platform.CodeInvalid},
			{"bad date", platform.RoleAnalyst, "/api/v1/admin/orders?from=yesterday", "", "", 422, platform.CodeInvalid},
			{"bad cursor", platform.RoleAnalyst, "/api/v1/admin/orders?cursor=@@@", "", "", 400, platform.CodeBadCursor},
			{"cursor with a bad key", platform.RoleAnalyst, "/api/v1/admin/orders?cursor=" + platform.Cursor{Key: "x", ID: 1}.Encode(), "", "", 400, platform.CodeBadCursor},
			{"missing order", platform.RoleAnalyst, "/api/v1/admin/orders/123", "", "", 404, platform.CodeNotFound},
			{"malformed id", platform.RoleAnalyst, "/api/v1/admin/orders/x1", "", "", 404, platform.CodeNotFound},
			{"malformed json", platform.RoleService, base + "/notes", `{"body":`, "application/json", 400, platform.CodeMalformedJSON},
			{"wrong type", platform.RoleService, base + "/notes", `{"body":1}`, "application/json", 422, platform.CodeInvalid},
			{"unknown field", platform.RoleService, base + "/cancel", `{"why":"x"}`, "application/json", 422, platform.CodeInvalid},
			{"not json", platform.RoleService, base + "/cancel", `reason=x`, "text/plain", 415, platform.CodeUnsupportedMedia},
			{"empty note", platform.RoleService, base + "/notes", `{"body":""}`, "application/json", 422, platform.CodeInvalid},
			{"note on a missing order", platform.RoleService, "/api/v1/admin/orders/123/notes", `{"body":"x"}`, "application/json", 404, platform.CodeNotFound},
			{"bad tracking number", platform.RoleSupply, base + "/ship", `{"carrier":"EMS","tracking_no":"<script>"}`, "application/json", 422, platform.CodeInvalid},
			{"ship twice", platform.RoleSupply, base + "/ship", `{"carrier":"EMS","tracking_no":"EE123456789CN"}`, "application/json", 409, order.CodeIllegalTransition},
			{"analyst cancels", platform.RoleAnalyst, base + "/cancel", `{"reason":"x"}`, "application/json", 403, platform.CodeForbidden},
		} {
			method := http.MethodGet
			if c.body != "" {
				method = http.MethodPost
			}
			w := do(t, a, request{role: c.role, method: method, target: c.target, body: strings.NewReader(c.body), ctype: c.ctype})
			if p := problem(t, w); w.Code != c.status || p.Code != c.code {
				t.Errorf("%s: %d %s, want %d %s", c.name, w.Code, p.Code, c.status, c.code)
			}
		}
	})
}

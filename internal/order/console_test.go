package order_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
)

var rowIDs = regexp.MustCompile(`<tr data-id="(\d+)" data-status="`)

// The list renders for every role that may view orders and refuses the
// others; each filter narrows it; pages follow the cursor without gaps or
// repeats; the export holds the filtered rows.
func TestConsoleList(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		now := time.Now().UTC()
		paid := seedOrder(t, a.DB, orderSpec{Status: order.Paid, PlacedAt: now.Add(-5 * time.Hour)})
		cod := seedOrder(t, a.DB, orderSpec{Status: order.Allocated, Method: "cod", Channel: "wechat", PlacedAt: now.Add(-4 * time.Hour)})
		gd := seedOrder(t, a.DB, orderSpec{Status: order.Shipped, Province: "440000", PlacedAt: now.Add(-3 * time.Hour)})
		old := seedOrder(t, a.DB, orderSpec{Status: order.Completed, PlacedAt: now.Add(-40 * 24 * time.Hour)})
		gone := seedOrder(t, a.DB, orderSpec{Status: order.Cancelled, PlacedAt: now.Add(-2 * time.Hour)})
		newestFirst := []string{gone.ID.String(), gd.ID.String(), cod.ID.String(), paid.ID.String(), old.ID.String()}

		for _, role := range platform.StaffRoles {
			w := get(t, a, role, "/console/orders")
			want := http.StatusForbidden
			if platform.Can(role, order.PermView) {
				want = http.StatusOK
			}
			if w.Code != want {
				t.Errorf("%s: GET /console/orders = %d, want %d", role, w.Code, want)
			}
		}
		if !platform.Can(platform.RoleAnalyst, order.PermView) || platform.Can(platform.RoleCatalog, order.PermView) {
			t.Error("analysts must read orders, catalog staff must not")
		}

		ids := func(target string) []string {
			t.Helper()
			w := get(t, a, platform.RoleAnalyst, target)
			if w.Code != http.StatusOK {
				t.Fatalf("%s: %d\n%s", target, w.Code, w.Body.String())
			}
			var out []string
			for _, m := range rowIDs.FindAllStringSubmatch(w.Body.String(), -1) {
				out = append(out, m[1])
			}
			return out
		}
		today := now.In(platform.ShopZone).Format(time.DateOnly)
		for _, c := range []struct {
			query string
			want  []string
		}{
			{"", newestFirst},
			{"?status=allocated", []string{cod.ID.String()}},
			{"?payment_method=cod", []string{cod.ID.String()}},
			{"?channel=wechat", []string{cod.ID.String()}},
			{"?province=440000", []string{gd.ID.String()}},
			{"?order_no=" + old.No, []string{old.ID.String()}},
			{"?to=" + now.Add(-30*24*time.Hour).In(platform.ShopZone).Format(time.DateOnly), []string{old.ID.String()}},
			{"?from=" + now.Add(-24*time.Hour).In(platform.ShopZone).Format(time.DateOnly) + "&to=" + today + "&status=shipped", []string{gd.ID.String()}},
		} {
			if got := ids("/console/orders" + c.query); strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("list%s: %v, want %v", c.query, got, c.want)
			}
		}

		// Two at a time, following the next link.
		var paged []string
		next := "/console/orders?limit=2"
		for range 5 {
			w := get(t, a, platform.RoleAnalyst, next)
			for _, m := range rowIDs.FindAllStringSubmatch(w.Body.String(), -1) {
				paged = append(paged, m[1])
			}
			m := regexp.MustCompile(`href="([^"]+)" id="orders-next"`).FindStringSubmatch(w.Body.String())
			if m == nil {
				break
			}
			next = strings.ReplaceAll(m[1], "&amp;", "&")
		}
		if strings.Join(paged, ",") != strings.Join(newestFirst, ",") {
			t.Errorf("paged: %v, want %v", paged, newestFirst)
		}

		for _, bad := range []struct {
			query string
			want  int
		}{
			{"?status=lost", http.StatusUnprocessableEntity},
			{"?from=2026-13-01", http.StatusUnprocessableEntity},
			{"?from=2026-11-02&to=2026-11-01", http.StatusUnprocessableEntity},
			{"?cursor=@@@", http.StatusBadRequest},
			{"?limit=0", http.StatusUnprocessableEntity},
		} {
			if w := get(t, a, platform.RoleAnalyst, "/console/orders"+bad.query); w.Code != bad.want || !strings.Contains(w.Body.String(), `id="form-error"`) {
				t.Errorf("list%s: %d, want %d with the error shown", bad.query, w.Code, bad.want)
			}
		}

		// The export holds the filtered orders, newest first.
		w := get(t, a, platform.RoleAnalyst, "/console/orders?status=paid&format=xlsx&table=orders-table")
		if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0][0] != "订单号" || rows[1][0] != paid.No || rows[1][2] != "已付款" {
			t.Errorf("export rows: %v", rows)
		}
	})
}

// The order page shows lines, payments and the timeline; the actions
// cancel, ship and note through forms (audited), and an illegal action
// is a 409 on the page, not a 500.
func TestConsoleDetailAndActions(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		o := seedOrder(t, a.DB, orderSpec{Status: order.Paid})
		page := "/console/orders/" + o.ID.String()
		for _, role := range platform.StaffRoles {
			w := get(t, a, role, page)
			want := http.StatusForbidden
			if platform.Can(role, order.PermView) {
				want = http.StatusOK
			}
			if w.Code != want {
				t.Errorf("%s: GET %s = %d, want %d", role, page, w.Code, want)
			}
		}
		if w := get(t, a, platform.RoleService, "/console/orders/999"); w.Code != http.StatusNotFound {
			t.Errorf("missing order: %d", w.Code)
		}
		if w := get(t, a, platform.RoleService, "/console/orders/abc"); w.Code != http.StatusNotFound {
			t.Errorf("malformed id: %d", w.Code)
		}
		// The analyst reads but sees no action forms.
		body := get(t, a, platform.RoleAnalyst, page).Body.String()
		for _, want := range []string{o.No, "龙井茶", "alipay", `id="order-timeline"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(body, `id="cancel-form"`) || strings.Contains(body, `id="ship-form"`) {
			t.Error("analyst sees action forms")
		}
		if !strings.Contains(get(t, a, platform.RoleService, page).Body.String(), `id="cancel-form"`) {
			t.Error("service does not see the cancel form")
		}

		// A warehouse user ships; service may not.
		ship := url.Values{"carrier": {"顺丰速运"}, "tracking_no": {"SF1234567890"}}
		if w := postForm(t, a, platform.RoleService, page+"/ship", ship); w.Code != http.StatusForbidden {
			t.Errorf("service ships: %d", w.Code)
		}
		if w := postForm(t, a, platform.RoleSupply, page+"/ship", url.Values{"carrier": {""}, "tracking_no": {"x"}}); w.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(w.Body.String(), `class="field-error"`) {
			t.Errorf("ship without carrier: %d", w.Code)
		}
		w := postForm(t, a, platform.RoleSupply, page+"/ship", ship)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != page+"?done=shipped" {
			t.Fatalf("ship: %d %s\n%s", w.Code, w.Header().Get("Location"), w.Body.String())
		}
		if s := statusOf(t, a.DB, o.ID); s != order.Shipped {
			t.Fatalf("after ship: %s", s)
		}
		// Paid went through allocated: two steps, each audited ship once.
		if n := count(t, a.DB, `SELECT COUNT(*) FROM order_transitions WHERE order_id = $1 AND actor = 'staff' AND actor_id = 42`, o.ID); n != 2 {
			t.Errorf("%d steps by the staff user, want 2 (allocate, ship)", n)
		}
		if n := count(t, a.DB, `SELECT COUNT(*) FROM order_shipment_lines sl JOIN order_shipments s ON s.id = sl.shipment_id WHERE s.order_id = $1 AND s.tracking_no = 'SF1234567890'`, o.ID); n != 2 {
			t.Errorf("shipment holds %d lines, want 2", n)
		}

		// Cancelling a shipped order is refused with the page, 409.
		w = postForm(t, a, platform.RoleService, page+"/cancel", url.Values{"reason": {"买家不要了"}})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "订单状态不能从「已发货」变为「已取消」") {
			t.Errorf("cancel shipped: %d", w.Code)
		}

		// Notes.
		if w := postForm(t, a, platform.RoleService, page+"/notes", url.Values{"body": {" "}}); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("empty note: %d", w.Code)
		}
		if w := postForm(t, a, platform.RoleService, page+"/notes", url.Values{"body": {"买家来电要求周末送达"}}); w.Code != http.StatusSeeOther {
			t.Errorf("note: %d", w.Code)
		}
		body = get(t, a, platform.RoleService, page+"?done=noted").Body.String()
		for _, want := range []string{"买家来电要求周末送达", "SF1234567890", `data-kind="shipment"`, `data-kind="note"`, `data-kind="transition"`, `id="flash"`} {
			if !strings.Contains(body, want) {
				t.Errorf("page after actions lacks %q", want)
			}
		}

		// A cancel of another, paid order, in English.
		o2 := seedOrder(t, a.DB, orderSpec{Status: order.Paid})
		if w := postForm(t, a, platform.RoleService, "/console/orders/"+o2.ID.String()+"/cancel", url.Values{"reason": {""}}); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("cancel without reason: %d", w.Code)
		}
		if w := postForm(t, a, platform.RoleService, "/console/orders/"+o2.ID.String()+"/cancel", url.Values{"reason": {"缺货"}}); w.Code != http.StatusSeeOther {
			t.Errorf("cancel: %d %s", w.Code, w.Body.String())
		}
		if s := statusOf(t, a.DB, o2.ID); s != order.Cancelled {
			t.Errorf("after cancel: %s", s)
		}
		for _, action := range []string{"order.cancel", "order.ship", "order.note"} {
			if n := count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND actor_id = 42`, action); n != 1 {
				t.Errorf("%d audit entries for %s, want 1", n, action)
			}
		}

		// Refunds wait for the payment domain's hook.
		order.SetRefunder(nil)
		if w := postForm(t, a, platform.RoleService, page+"/refund", url.Values{"amount": {"10.00"}, "reason": {"破损"}}); w.Code != http.StatusNotImplemented ||
			!strings.Contains(w.Body.String(), "退款功能尚未启用") {
			t.Errorf("refund without a refunder: %d", w.Code)
		}
		if w := postForm(t, a, platform.RoleService, page+"/refund", url.Values{"amount": {"ten"}, "reason": {"破损"}}); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("refund of a bad amount: %d", w.Code)
		}
	})
}

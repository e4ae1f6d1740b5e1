package order_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
)

// sheet makes an XLSX file of rows.
func sheet(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var reportRow = regexp.MustCompile(`<tr data-row="(\d+)" data-ok="(true|false)">`)

// The template downloads with the three headers; filled in and uploaded,
// the good rows ship and every bad one is reported with its reason while
// the others still go through.
func TestBulkShipRoundTrip(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		w := get(t, a, platform.RoleSupply, "/console/orders/bulk-ship?format=xlsx&table=bulk-ship-template")
		if w.Code != http.StatusOK {
			t.Fatalf("template: %d", w.Code)
		}
		tpl, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		head, _ := tpl.GetRows(tpl.GetSheetList()[0])
		if len(head) != 1 || strings.Join(head[0], ",") != "订单号,快递公司,快递单号" {
			t.Fatalf("template header: %v", head)
		}

		allocated := seedOrder(t, a.DB, orderSpec{Status: order.Allocated})
		paid := seedOrder(t, a.DB, orderSpec{Status: order.Paid})
		cancelled := seedOrder(t, a.DB, orderSpec{Status: order.Cancelled})
		rows := [][]any{
			{"订单号", "快递公司", "快递单号"},
			{allocated.No, "顺丰速运", "SF0000000001"},
			{cancelled.No, "顺丰速运", "SF0000000002"}, // cannot ship
			{"2026010199999999", "顺丰速运", "SF0000000003"},
			{}, // blank rows are skipped
			{paid.No, "京东物流", "JD0000000004"},
			{paid.No, "京东物流", "JD0000000005"}, // repeats row 6
			{"", "EMS", "EE0000000006"},
			{allocated.No, "EMS", "no spaces allowed"},
		}
		w = postFile(t, a, platform.RoleSupply, "/console/orders/bulk-ship", sheet(t, rows))
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `data-shipped="2" data-failed="5"`) {
			t.Fatalf("upload: %d\n%s", w.Code, body)
		}
		outcome := map[string]string{}
		for _, m := range reportRow.FindAllStringSubmatch(body, -1) {
			outcome[m[1]] = m[2]
		}
		want := map[string]string{"2": "true", "3": "false", "4": "false", "6": "true", "7": "false", "8": "false", "9": "false"}
		for row, ok := range want {
			if outcome[row] != ok {
				t.Errorf("row %s: ok=%q, want %s (report %v)", row, outcome[row], ok, outcome)
			}
		}
		for _, msg := range []string{"订单状态不能从「已取消」变为「已发货」", "未找到该订单", "订单号与第 6 行重复"} {
			if !strings.Contains(body, msg) {
				t.Errorf("report lacks %q", msg)
			}
		}
		for o, want := range map[string]order.Status{allocated.No: order.Shipped, paid.No: order.Shipped, cancelled.No: order.Cancelled} {
			id, err := order.IDByNo(t.Context(), a.DB.R, o)
			if err != nil {
				t.Fatal(err)
			}
			if got := statusOf(t, a.DB, id); got != want {
				t.Errorf("%s: %s, want %s", o, got, want)
			}
		}

		// Files that cannot be read are refused whole, with a 4xx.
		for name, file := range map[string][]byte{
			"not xlsx":       []byte("order_no,carrier\n1,2\n"),
			"missing column": sheet(t, [][]any{{"订单号", "快递公司"}, {allocated.No, "EMS"}}),
			"no rows":        sheet(t, [][]any{{"order_no", "carrier", "tracking_no"}}),
		} {
			if w := postFile(t, a, platform.RoleSupply, "/console/orders/bulk-ship", file); w.Code != http.StatusUnprocessableEntity ||
				!strings.Contains(w.Body.String(), `id="form-error"`) {
				t.Errorf("%s: %d", name, w.Code)
			}
		}
		if w := do(t, a, request{role: platform.RoleSupply, method: http.MethodPost, target: "/console/orders/bulk-ship",
			body: strings.NewReader("x=1"), ctype: "application/x-www-form-urlencoded"}); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("no file: %d", w.Code)
		}
		if w := postFile(t, a, platform.RoleService, "/console/orders/bulk-ship", sheet(t, rows)); w.Code != http.StatusForbidden {
			t.Errorf("service bulk-ships: %d", w.Code)
		}
	})
}

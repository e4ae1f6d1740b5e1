package review_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
)

// The insights page sums praise and complaints per topic, shop-wide and
// per product; the list exports to XLSX with text cells; roles without
// the view permission are refused; script in a review stays text.
func TestConsoleInsightsAndExport(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "buyer")
		cup, shirt := newProduct(t, a, "陶瓷马克杯"), newProduct(t, a, "亚麻衬衫")
		for _, c := range []struct {
			p      platform.ID
			rating int
			body   string
		}{
			{cup, 1, "包装破损，杯子碎了"}, {cup, 2, "物流太慢，包装很差"}, {cup, 5, "物流很快，包装很严实"},
			{shirt, 5, "尺码正好，质量很好"}, {shirt, 2, "=HYPERLINK(\"x\") <script>alert(1)</script> 尺码偏小"},
		} {
			line := seedLine(t, a.DB, buyer.ID, c.p, order.Delivered)
			res, body := buyer.C.JSON("POST", "/api/v1/reviews", fmt.Sprintf(`{"order_line_id":"%d","rating":%d,"body":%q}`, line, c.rating, c.body))
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("review: %d %s", res.StatusCode, body)
			}
		}
		for _, role := range platform.StaffRoles {
			want := http.StatusForbidden
			if platform.Can(role, "review.view") {
				want = http.StatusOK
			}
			if w := consoleGet(t, a, role, "/console/review-topics"); w.Code != want {
				t.Errorf("%s: insights %d, want %d", role, w.Code, want)
			}
		}
		w := consoleGet(t, a, platform.RoleAnalyst, "/console/review-topics")
		body := w.Body.String()
		for _, want := range []string{`data-topic="packaging"><td>包装</td><td class="num">1</td><td class="num">2</td>`, `id="summary-count">5<`, "陶瓷马克杯"} {
			if !strings.Contains(body, want) {
				t.Errorf("shop-wide insights lack %q", want)
			}
		}
		w = consoleGet(t, a, platform.RoleAnalyst, "/console/review-topics?product_id="+shirt.String())
		body = w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `data-topic="size"><td>尺码</td><td class="num">1</td><td class="num">1</td>`) ||
			strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("product insights: %d\n%s", w.Code, body)
		}
		if w := consoleGet(t, a, platform.RoleAnalyst, "/console/review-topics?product_id=x"); w.Code != http.StatusNotFound {
			t.Errorf("bad product: %d", w.Code)
		}
		if w := consoleGet(t, a, platform.RoleAnalyst, "/console/reviews?rating=7"); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad rating filter: %d", w.Code)
		}
		if w := consoleGet(t, a, platform.RoleAnalyst, "/console/reviews"); strings.Contains(w.Body.String(), "/reply\"") || strings.Contains(w.Body.String(), "/approve\"") {
			t.Error("an analyst gets reply or moderation forms")
		}

		w = consoleGet(t, a, platform.RoleService, "/console/reviews?product_id="+shirt.String()+"&format=xlsx&table=reviews-table")
		if w.Code != http.StatusOK {
			t.Fatalf("export: %d %s", w.Code, w.Body.String())
		}
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0][1] != "商品" || rows[1][1] != "亚麻衬衫" || !strings.HasPrefix(rows[1][4], "=HYPERLINK") || rows[1][3] != "2" {
			t.Errorf("export rows: %q", rows)
		}
		if formula, _ := f.GetCellFormula(f.GetSheetName(0), "E2"); formula != "" {
			t.Errorf("a review became a formula: %q", formula)
		}
	})
}

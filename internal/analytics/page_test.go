package analytics_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"storeops/internal/analytics"
	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// as sends a request to the app as a staff user of role (the principal is
// put in the request's context, as the sign-in middleware would).
func as(t *testing.T, a *app.App, role platform.Role, method, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	if role != "" {
		p := &web.Principal{StaffID: 42, Role: role, Name: "测试" + string(role), Email: string(role) + "@example.com", Via: "session"}
		req = req.WithContext(web.WithPrincipal(req.Context(), p))
	}
	w := httptest.NewRecorder()
	a.Handler.ServeHTTP(w, req)
	return w
}

var (
	jsonBlock = regexp.MustCompile(`(?s)<script type="application/json" id="overview-data">(.*?)</script>`)
	exportRef = regexp.MustCompile(`href="([^"]*)" id="export-top-products"`)
	tableRe   = regexp.MustCompile(`(?s)<table id="top-products">(.*?)</table>`)
	rowRe     = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRe    = regexp.MustCompile(`(?s)<t[dh][^>]*>(.*?)</t[dh]>`)
)

func TestOverviewPage(t *testing.T) {
	clock := platform.NewFixedClock(fixedNow)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		seed(t, a.DB, clock.Now(), 2, 400)

		t.Run("ConsoleLandsOnOverview", func(t *testing.T) {
			for _, role := range platform.StaffRoles {
				w := as(t, a, role, "GET", "/console", nil)
				if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/overview" {
					t.Errorf("%s: GET /console = %d → %q", role, w.Code, w.Header().Get("Location"))
				}
			}
		})

		t.Run("Anonymous", func(t *testing.T) {
			if w := as(t, a, "", "GET", "/console/overview", nil); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/console/login") {
				t.Errorf("anonymous: %d %q", w.Code, w.Header().Get("Location"))
			}
		})

		w := as(t, a, platform.RoleAnalyst, "GET", "/console/overview?range=30d", nil)
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("overview: %d\n%s", w.Code, body)
		}
		for _, id := range []string{`id="overview-kpis"`, `id="chart-gmv"`, `id="target-progress"`, `<table id="top-products">`, `id="export-top-products"`, `id="kpi-gmv"`} {
			if !strings.Contains(body, id) {
				t.Errorf("page lacks %s", id)
			}
		}
		if !strings.Contains(body, "/static/vendor/echarts.") {
			t.Error("page does not load echarts")
		}

		t.Run("ChartJSON", func(t *testing.T) {
			m := jsonBlock.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no chart data block")
			}
			if strings.Contains(m[1], "<") {
				t.Errorf("chart JSON not escaped for a script element: %s", m[1])
			}
			var c analytics.Chart
			if err := json.Unmarshal([]byte(m[1]), &c); err != nil {
				t.Fatalf("chart JSON: %v\n%s", err, m[1])
			}
			if len(c.Days) != 30 || len(c.GMV) != 3 || len(c.Orders) != 3 || len(c.GMV[0].Data) != 30 || len(c.GMV[2].Dates) != 30 {
				t.Fatalf("chart shape: %d days, %d series", len(c.Days), len(c.GMV))
			}
			if c.GMV[2].Dates[0] != "2025-10-27" || c.Days[0] != "2026-10-27" || c.GMV[1].Dates[29] != "2026-10-26" {
				t.Errorf("series dates: cur %s, yoy %s, prev last %s", c.Days[0], c.GMV[2].Dates[0], c.GMV[1].Dates[29])
			}
			var orders float64
			for _, v := range c.Orders[0].Data {
				orders += v
			}
			if !strings.Contains(body, `<div class="value">`+strconv.Itoa(int(orders))+`</div>`) {
				t.Errorf("orders KPI does not equal the chart's sum %v", orders)
			}
		})

		t.Run("ExportMatchesTable", func(t *testing.T) {
			m := exportRef.FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no export link")
			}
			var want [][]string
			for _, tr := range rowRe.FindAllStringSubmatch(tableRe.FindStringSubmatch(body)[1], -1) {
				var row []string
				for _, td := range cellRe.FindAllStringSubmatch(tr[1], -1) {
					row = append(row, html.UnescapeString(td[1]))
				}
				want = append(want, row)
			}
			if len(want) < 2 {
				t.Fatalf("top products table has no rows")
			}
			x := as(t, a, platform.RoleAnalyst, "GET", html.UnescapeString(m[1]), nil)
			if x.Code != http.StatusOK || !strings.Contains(x.Header().Get("Content-Disposition"), "attachment") {
				t.Fatalf("export: %d %v", x.Code, x.Header())
			}
			f, err := excelize.OpenReader(x.Body)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sheet := f.GetSheetName(0)
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(want) {
				t.Fatalf("xlsx has %d rows, html %d", len(rows), len(want))
			}
			for i := range want {
				for j := range want[i] {
					got := rows[i][j]
					cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
					if i > 0 && j == 4 { // sales: ¥1,234.56 in HTML, 1,234.56 formatted in the sheet
						got = "¥" + got
						if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
							t.Errorf("%s is not a number", cell)
						}
					}
					if got != want[i][j] {
						t.Errorf("%s: xlsx %q, html %q", cell, got, want[i][j])
					}
				}
			}
			if rows[0][1] != "商品" || rows[0][4] != "销售额" {
				t.Errorf("headers %v", rows[0])
			}
		})

		t.Run("BadRange", func(t *testing.T) {
			w := as(t, a, platform.RoleAnalyst, "GET", "/console/overview?range=custom&from=2026-11-20&to=2026-11-01", nil)
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="range-error"`) {
				t.Errorf("reversed range: %d", w.Code)
			}
		})
	})
}

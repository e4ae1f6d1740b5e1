package invoice_test

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
	"storeops/internal/invoice"
	"storeops/internal/order"
	"storeops/internal/platform"
)

var rowIDs = regexp.MustCompile(`<tr data-id="(\d+)" data-status="`)

// The list renders for the roles that may view invoices and refuses the
// others; filters narrow it; pages follow the cursor; the export holds
// the filtered rows; only issuers see the forms and full emails.
func TestConsoleList(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "buyer")
		var ids []string // oldest first
		var nos []string
		var orders []platform.ID
		for i, body := range []string{companyBody, `{"title_type":"personal","title":"张三"}`, `{"title_type":"personal","title":"=SUM(A1)","email":"zs@example.com"}`} {
			o, no := seedOrder(t, a.DB, buyer.ID, order.Delivered)
			res, out := buyer.C.JSON("POST", invoicePath(o), body, "Idempotency-Key", "k"+o.String())
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("request %d: %d %s", i, res.StatusCode, out)
			}
			ids = append(ids, apptest.Decode[invoice.Invoice](t, out).ID.String())
			nos = append(nos, no)
			orders = append(orders, o)
		}
		if w := apptest.Console(t, a, platform.RoleService, "POST", "/console/invoices/"+ids[1]+"/issue", url.Values{"invoice_no": {"N-1"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("issue: %d", w.Code)
		}

		for _, role := range platform.StaffRoles {
			w := apptest.Console(t, a, role, "GET", "/console/invoices", nil)
			want := http.StatusForbidden
			if platform.Can(role, invoice.PermView) {
				want = http.StatusOK
			}
			if w.Code != want {
				t.Errorf("%s: GET /console/invoices = %d, want %d", role, w.Code, want)
			}
		}
		if !platform.Can(platform.RoleService, invoice.PermIssue) || platform.Can(platform.RoleAnalyst, invoice.PermIssue) || platform.Can(platform.RoleCatalog, invoice.PermView) {
			t.Error("service issues, analysts only read, catalog staff see nothing")
		}

		list := func(role platform.Role, target string) (string, []string) {
			t.Helper()
			w := apptest.Console(t, a, role, "GET", target, nil)
			if w.Code != http.StatusOK {
				t.Fatalf("%s: %d\n%s", target, w.Code, w.Body.String())
			}
			var out []string
			for _, m := range rowIDs.FindAllStringSubmatch(w.Body.String(), -1) {
				out = append(out, m[1])
			}
			return w.Body.String(), out
		}
		today := time.Now().In(platform.ShopZone).Format(time.DateOnly)
		for _, c := range []struct {
			query string
			want  []string
		}{
			{"", []string{ids[2], ids[1], ids[0]}},
			{"?status=issued", []string{ids[1]}},
			{"?status=requested", []string{ids[2], ids[0]}},
			{"?title_type=company", []string{ids[0]}},
			{"?order_no=" + nos[2], []string{ids[2]}},
			{"?from=" + today + "&to=" + today, []string{ids[2], ids[1], ids[0]}},
			{"?to=2020-01-01", nil},
		} {
			if _, got := list(platform.RoleAnalyst, "/console/invoices"+c.query); strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("list%s: %v, want %v", c.query, got, c.want)
			}
		}
		for _, bad := range []string{"?status=lost", "?title_type=x", "?from=yesterday"} {
			if w := apptest.Console(t, a, platform.RoleAnalyst, "GET", "/console/invoices"+bad, nil); w.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d", bad, w.Code)
			}
		}
		if w := apptest.Console(t, a, platform.RoleAnalyst, "GET", "/console/invoices?cursor=zzz", nil); w.Code != http.StatusBadRequest {
			t.Errorf("bad cursor: %d", w.Code)
		}

		// One at a time, following the next link.
		var paged []string
		next := "/console/invoices?limit=1"
		for i := 0; next != "" && i < 10; i++ {
			body, got := list(platform.RoleAnalyst, next)
			paged = append(paged, got...)
			next = ""
			if m := regexp.MustCompile(`href="([^"]+)" id="invoices-next"`).FindStringSubmatch(body); m != nil {
				next = strings.ReplaceAll(m[1], "&amp;", "&")
			}
		}
		if strings.Join(paged, ",") != strings.Join([]string{ids[2], ids[1], ids[0]}, ",") {
			t.Errorf("paged: %v", paged)
		}

		body, _ := list(platform.RoleAnalyst, "/console/invoices")
		if strings.Contains(body, "/issue") || strings.Contains(body, "zs@example.com") {
			t.Error("an analyst sees the issue forms or a full email")
		}
		body, _ = list(platform.RoleService, "/console/invoices")
		if !strings.Contains(body, `action="/console/invoices/`+ids[0]+`/issue"`) || strings.Contains(body, `action="/console/invoices/`+ids[1]+`/issue"`) ||
			!strings.Contains(body, "zs@example.com") {
			t.Error("service staff get a form for each waiting request, none for an issued one, and full emails")
		}

		// The order's console page links to its invoices.
		w := apptest.Console(t, a, platform.RoleService, "GET", "/console/orders/"+orders[0].String(), nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `href="/console/invoices?order_no=`+nos[0]+`"`) {
			t.Errorf("order page: %d, no link to its invoices", w.Code)
		}
		if w := apptest.Console(t, a, platform.RoleSupply, "GET", "/console/orders/"+orders[0].String(), nil); strings.Contains(w.Body.String(), "/console/invoices") {
			t.Error("the warehouse sees a link it cannot open")
		}

		w = apptest.Console(t, a, platform.RoleService, "GET", "/console/invoices?status=requested&format=xlsx&table=invoices-table", nil)
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
		if len(rows) != 3 || rows[0][1] != "订单号" || rows[1][1] != nos[2] || rows[1][4] != "=SUM(A1)" || rows[2][5] != "9144030071526726XG" || rows[2][7] != "190.00" {
			t.Errorf("export rows: %q", rows)
		}
		if formula, _ := f.GetCellFormula(f.GetSheetName(0), "E2"); formula != "" {
			t.Errorf("a title became a formula: %q", formula)
		}
	})
}

package search_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/search"
)

// The title suggestion of the keyword report applies with one click: the
// checked products get the query in their titles, audited and published
// for the index; a second click changes nothing; an analyst may read the
// report and export its tables but not apply.
func TestKeywordTitleApply(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		s := newShop(t, a.DB)
		ctx := context.Background()
		g := &logger{t: t, db: a.DB, e: search.NewEngine(a.DB, search.EngineConfig{}), l: search.NewLog(a.DB, search.LogConfig{}), clock: clock}
		for i := range 6 {
			g.search(visitor(i), "上衣")
		}
		g.search(visitor(0), "T恤", s.tee)
		g.search(visitor(1), "T恤", s.tee)
		g.l.Flush(ctx)

		base := apptest.Serve(t, a)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		do := func(token, method, path string, form url.Values) (*http.Response, string) {
			t.Helper()
			req, err := http.NewRequest(method, base+path, strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			if method == http.MethodPost {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp, string(body)
		}
		analyst := apptest.StaffToken(t, a, platform.RoleAnalyst)
		manager := apptest.StaffToken(t, a, platform.RoleCatalog)
		teeBox := `name="product" value="` + s.tee.String() + `"`

		resp, body := do(analyst, http.MethodGet, "/console/search/keywords?days=7", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-kind="title" data-query="上衣"`) || strings.Contains(body, "apply-title") || strings.Contains(body, teeBox) {
			t.Fatalf("analyst's report: %d", resp.StatusCode)
		}
		apply := url.Values{"days": {"7"}, "query": {"上衣"}, "product": {s.tee.String()}}
		if resp, _ := do(analyst, http.MethodPost, "/console/search/keywords/title", apply); resp.StatusCode != http.StatusForbidden {
			t.Errorf("analyst applied a title keyword: %d", resp.StatusCode)
		}
		resp, body = do(manager, http.MethodGet, "/console/search/keywords?days=7", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "apply-title") || !strings.Contains(body, teeBox+` form="kw-title-`) {
			t.Fatalf("manager's report: %d", resp.StatusCode)
		}
		if resp, body := do(manager, http.MethodPost, "/console/search/keywords/title", url.Values{"days": {"7"}, "query": {"上衣"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "form-error") {
			t.Errorf("apply with no product checked: %d", resp.StatusCode)
		}

		title := func() string {
			t.Helper()
			var v string
			if err := a.DB.R.QueryRow(`SELECT title FROM products WHERE id = $1`, s.tee).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := a.DB.R.QueryRow(q, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		events := func() int {
			return count(`SELECT COUNT(*) FROM outbox_events WHERE topic = 'catalog.product_changed' AND key = $1`, s.tee.String())
		}
		before := events()
		for range 2 { // the second click changes nothing
			resp, _ = do(manager, http.MethodPost, "/console/search/keywords/title", apply)
			if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "done=title") {
				t.Fatalf("apply: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			if got := title(); got != "纯棉圆领短袖T恤 上衣" {
				t.Errorf("title %q", got)
			}
			if n := count(`SELECT COUNT(*) FROM audit_log WHERE action = 'product.title_keyword' AND entity_id = $1`, s.tee.String()); n != 1 {
				t.Errorf("audited %d times, want 1", n)
			}
			if n := events() - before; n != 1 {
				t.Errorf("%d product_changed events, want 1", n)
			}
		}

		resp, body = do(manager, http.MethodGet, "/console/search/keywords?days=7&done=title", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-query="上衣" data-applied="true"`) || !strings.Contains(body, "title-done") || strings.Contains(body, teeBox) {
			t.Errorf("the report does not show the fix done: %d", resp.StatusCode)
		}

		// Exports: the same rows as the page, as a workbook.
		resp, body = do(analyst, http.MethodGet, "/console/search/keywords?days=7&format=xlsx&table=kw-low-ctr-table", nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		rows := sheetRows(t, body)
		if len(rows) != 2 || rows[1][0] != "上衣" || rows[1][1] != "6" {
			t.Errorf("low click-through export %v", rows)
		}
		resp, body = do(analyst, http.MethodGet, "/console/search/keywords?days=7&format=xlsx&table=kw-fixes-table", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("fixes export: %d", resp.StatusCode)
		}
		found := false
		for _, row := range sheetRows(t, body) {
			found = found || len(row) > 2 && row[0] == "上衣" && row[2] == "纯棉圆领短袖T恤 上衣"
		}
		if !found {
			t.Errorf("fixes export lacks the retitled product: %v", sheetRows(t, body))
		}
		if resp, _ := do(analyst, http.MethodGet, "/console/search/keywords?format=xlsx&table=nope", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("export of an unknown table: %d", resp.StatusCode)
		}
	})
}

func sheetRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

package search_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
)

// logSearch logs one search of q by visitor through the real engine and
// log, with clicks on the products given, and moves the clock on.
type logger struct {
	t     *testing.T
	db    *store.DB
	e     *search.Engine
	l     *search.Log
	clock *platform.FixedClock
}

func (g *logger) search(visitor, q string, clicks ...platform.ID) {
	g.t.Helper()
	req := search.Request{Query: q, Sort: search.SortRelevance, Page: platform.PageRequest{Limit: 20}}
	res, err := g.e.Search(context.Background(), req)
	if err != nil {
		g.t.Fatal(err)
	}
	res.SearchID = g.db.IDs.Next()
	g.l.Search(req, res, search.Visitor{VisitorID: visitor})
	for _, p := range clicks {
		g.l.Feedback(res.SearchID, p, search.FeedbackClick)
	}
	g.clock.Advance(time.Minute)
}

func visitor(n int) string { return strings.Repeat(string(rune('a'+n)), 32) }

// The keyword report finds top, zero-result and low click-through
// queries in the log, suggests a synonym from how shoppers rephrased a
// failed search, a title keyword for the products they then chose, and
// stocking what nobody found; the operator applies them from the console,
// audited.
func TestKeywordReport(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		s := newShop(t, a.DB)
		ctx := context.Background()
		g := &logger{t: t, db: a.DB, e: search.NewEngine(a.DB, search.EngineConfig{}), l: search.NewLog(a.DB, search.LogConfig{}), clock: clock}
		// 手机壳 finds nothing; three shoppers rephrase it as 保护壳 and click.
		for i := range 3 {
			g.search(visitor(i), "手机壳")
			g.search(visitor(i), "保护壳", s.caseP)
		}
		// 羽绒服 finds nothing and nobody finds it another way.
		g.search(visitor(3), "羽绒服")
		g.search(visitor(4), "羽绒服")
		// 上衣 finds a product nobody clicks; two shoppers then find the
		// T-shirt as T恤.
		for i := range 6 {
			g.search(visitor(5+i), "上衣")
		}
		g.search(visitor(5), "T恤", s.tee)
		g.search(visitor(6), "T恤", s.tee)
		// Popular and clicked.
		for i := range 8 {
			g.search(visitor(12+i), "连衣裙", s.dress)
		}
		g.l.Flush(ctx)

		rep, err := search.BuildReport(ctx, a.DB, clock.Now().Add(-24*time.Hour), clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if rep.Searches != 24 || len(rep.Top) == 0 || rep.Top[0].Query != "连衣裙" || rep.Top[0].Searches != 8 || rep.Top[0].CTR() != 1 {
			t.Errorf("top: %d searches, %+v", rep.Searches, rep.Top)
		}
		zero := map[string]int{}
		for _, z := range rep.Zero {
			zero[z.Query] = z.Searches
		}
		if zero["手机壳"] != 3 || zero["羽绒服"] != 2 || len(zero) != 2 {
			t.Errorf("zero-result queries %v", zero)
		}
		if len(rep.LowCTR) != 1 || rep.LowCTR[0].Query != "上衣" || rep.LowCTR[0].Searches != 6 {
			t.Errorf("low click-through %+v", rep.LowCTR)
		}
		fixes := map[string]search.Fix{}
		for _, f := range rep.Fixes {
			fixes[f.Kind+":"+f.Query] = f
		}
		if f := fixes["synonym:手机壳"]; f.Target != "保护壳" || f.Evidence != 3 {
			t.Errorf("synonym fix %+v (all %+v)", f, rep.Fixes)
		}
		if f := fixes["stock:羽绒服"]; f.Evidence != 2 {
			t.Errorf("stock fix %+v", f)
		}
		if f := fixes["title:上衣"]; f.Target != "t恤" || len(f.Products) != 1 || f.Products[0].ID != s.tee {
			t.Errorf("title fix %+v", f)
		}
		if _, ok := fixes["stock:手机壳"]; ok {
			t.Errorf("手机壳 was rephrased successfully, yet stocking is suggested")
		}

		// The console: an analyst reads, a catalog manager applies.
		base := apptest.Serve(t, a)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		do := func(token, method, path string, form url.Values) (int, string) {
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
			return resp.StatusCode, string(body)
		}
		analyst := apptest.StaffToken(t, a, platform.RoleAnalyst)
		manager := apptest.StaffToken(t, a, platform.RoleCatalog)
		code, body := do(analyst, http.MethodGet, "/console/search/keywords?days=7", nil)
		if code != http.StatusOK || !strings.Contains(body, `data-kind="synonym" data-query="手机壳"`) || strings.Contains(body, "apply-synonym") {
			t.Fatalf("analyst's report: %d", code)
		}
		if code, _ := do(analyst, http.MethodPost, "/console/search/keywords/synonym", url.Values{"query": {"手机壳"}, "target": {"保护壳"}}); code != http.StatusForbidden {
			t.Errorf("analyst applied a synonym: %d", code)
		}
		if code, body := do(manager, http.MethodGet, "/console/search/keywords?days=7", nil); code != http.StatusOK || !strings.Contains(body, "apply-synonym") {
			t.Fatalf("manager's report: %d", code)
		}
		code, _ = do(manager, http.MethodPost, "/console/search/keywords/synonym", url.Values{"days": {"7"}, "query": {"手机壳"}, "target": {"保护壳"}})
		if code != http.StatusSeeOther {
			t.Fatalf("apply synonym: %d", code)
		}
		code, _ = do(manager, http.MethodPost, "/console/search/keywords/todo", url.Values{"days": {"7"}, "query": {"羽绒服"}, "searches": {"2"}})
		if code != http.StatusSeeOther {
			t.Fatalf("add to-do: %d", code)
		}
		if code, body := do(manager, http.MethodPost, "/console/search/keywords/todo", url.Values{"query": {"羽绒服"}, "searches": {"2"}}); code != http.StatusConflict || !strings.Contains(body, "form-error") {
			t.Errorf("second to-do for the same query: %d", code)
		}
		var audited int
		if err := a.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action IN ('search.synonym_create', 'search.todo_create')`).Scan(&audited); err != nil || audited != 2 {
			t.Errorf("audited %d (%v), want 2", audited, err)
		}
		// The applied synonym now makes 手机壳 find the case, and the
		// report stops suggesting it.
		if ids := find(t, search.EngineFor(a.DB), "手机壳"); !contains(ids, s.caseP) {
			t.Errorf("手机壳 after the synonym found %v", ids)
		}
		rep, err = search.BuildReport(ctx, a.DB, clock.Now().Add(-24*time.Hour), clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Fixes {
			if f.Kind == search.SuggestSynonym && f.Query == "手机壳" {
				t.Errorf("the applied synonym is still suggested")
			}
		}
		todos, err := search.NewTodos(a.DB).Open(ctx)
		if err != nil || len(todos) != 1 || todos[0].Query != "羽绒服" || !strings.Contains(todos[0].Note, "羽绒服") {
			t.Fatalf("to-dos %+v %v", todos, err)
		}
		if code, _ := do(manager, http.MethodPost, "/console/search/keywords/todo/"+todos[0].ID.String()+"/done", url.Values{}); code != http.StatusSeeOther {
			t.Errorf("close to-do: %d", code)
		}
		if code, _ := do(manager, http.MethodPost, "/console/search/keywords/todo/"+todos[0].ID.String()+"/done", url.Values{}); code != http.StatusNotFound {
			t.Errorf("close a closed to-do: %d", code)
		}
	})
}

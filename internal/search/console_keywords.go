package search

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// PermReport lets staff read the keyword report.
const PermReport platform.Permission = "search.report"

// KeywordsData is the keyword report page's view data.
type KeywordsData struct {
	Days      int
	Report    KeywordReport
	Todos     []Todo
	CanManage bool
	Done      string
	Error     string
	Tables    keywordTables
	// Export is each table's XLSX link by table id.
	Export map[string]string
}

// keywordsPage serves GET /console/search/keywords: the report over the
// last days (30 unless ?days= says 1–400).
func (h *handlers) keywordsPage(w http.ResponseWriter, r *http.Request) error {
	days := 30
	if n, err := strconv.Atoi(r.URL.Query().Get("days")); err == nil && n >= 1 && n <= 400 {
		days = n
	}
	if r.URL.Query().Get("format") == "xlsx" {
		rep, err := h.keywordReport(r, days)
		if err != nil {
			return err
		}
		_, err = web.Export(w, r, newKeywordTables(rep, web.LangOf(r)).all()...)
		return err
	}
	return h.renderKeywords(w, r, http.StatusOK, days, r.URL.Query().Get("done"), "")
}

// keywordReport builds the report over the last days.
func (h *handlers) keywordReport(r *http.Request, days int) (KeywordReport, error) {
	now := h.engine.db.Now()
	return BuildReport(r.Context(), h.engine.db, now.Add(-time.Duration(days)*24*time.Hour), now.Add(time.Second))
}

func (h *handlers) renderKeywords(w http.ResponseWriter, r *http.Request, status, days int, done, msg string) error {
	rep, err := h.keywordReport(r, days)
	if err != nil {
		return err
	}
	todos, err := h.todos.Open(r.Context())
	if err != nil {
		return err
	}
	p := web.PrincipalFrom(r.Context())
	data := KeywordsData{Days: days, Report: rep, Todos: todos, CanManage: p.Can(PermManage), Done: done, Error: msg,
		Tables: newKeywordTables(rep, web.LangOf(r)), Export: map[string]string{}}
	// Links export the same window whether the page was reached by GET or
	// re-rendered after a failed POST.
	page := &http.Request{URL: &url.URL{Path: "/console/search/keywords", RawQuery: url.Values{"days": {strconv.Itoa(days)}}.Encode()}}
	for _, t := range data.Tables.all() {
		data.Export[t.ID] = t.ExportURL(page)
	}
	return h.rd.Render(w, r, status, "search/keywords", data)
}

// keywordsBack is where an applied suggestion returns to.
func keywordsBack(r *http.Request, done string) string {
	days := r.PostForm.Get("days")
	if n, err := strconv.Atoi(days); err != nil || n < 1 || n > 400 {
		days = "30"
	}
	return "/console/search/keywords?" + url.Values{"days": {days}, "done": {done}}.Encode()
}

// keywordFail re-renders the report with a write's message when it is
// the operator's to fix (a duplicate, a bad word); other errors go up.
func (h *handlers) keywordFail(w http.ResponseWriter, r *http.Request, err error) error {
	e := platform.AsError(err)
	if e.Code != platform.CodeInvalid && e.Code != platform.CodeConflict {
		return err
	}
	msg := e.Message(web.LangOf(r))
	for _, f := range e.Fields {
		msg = platform.T(web.LangOf(r), f.Key, f.Args...)
	}
	days, _ := strconv.Atoi(r.PostForm.Get("days"))
	if days < 1 || days > 400 {
		days = 30
	}
	return h.renderKeywords(w, r, e.Code.Status(), days, "", msg)
}

// keywordSynonym applies a synonym suggestion: query = target.
func (h *handlers) keywordSynonym(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	terms := r.PostForm.Get("query") + "," + r.PostForm.Get("target")
	if _, err := h.synonyms.Add(r.Context(), actorOf(r), terms); err != nil {
		return h.keywordFail(w, r, err)
	}
	http.Redirect(w, r, keywordsBack(r, "synonym"), http.StatusSeeOther)
	return nil
}

// keywordTodo applies a stock suggestion: a note for the catalog team.
func (h *handlers) keywordTodo(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	q := r.PostForm.Get("query")
	searches, _ := strconv.Atoi(r.PostForm.Get("searches"))
	note := platform.T(web.LangOf(r), "search.kw.stock_note", normalizeString(q), searches)
	if _, err := h.todos.Add(r.Context(), actorOf(r), q, note, searches); err != nil {
		return h.keywordFail(w, r, err)
	}
	http.Redirect(w, r, keywordsBack(r, "todo"), http.StatusSeeOther)
	return nil
}

// keywordTodoDone closes a note.
func (h *handlers) keywordTodoDone(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "search_todo")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	if err := h.todos.Done(r.Context(), actorOf(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, keywordsBack(r, "todo_done"), http.StatusSeeOther)
	return nil
}

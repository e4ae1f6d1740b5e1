package review

import (
	"net/http"
	"net/url"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// ListData is the console list's view data. One page serves three views
// (tabs): every review, the moderation queue (status=pending) and the
// reply to-do list (negative=1&needs_reply=1&oldest=1), with the reply
// metric on top.
type ListData struct {
	Tab       string
	Filter    FilterForm
	Statuses  []Option
	Flags     []Option
	Ratings   []Option
	Rows      []Row
	Error     string
	Done      string
	NextURL   string
	ExportURL string
	// Back is this page's URL, where a row's forms return.
	Back        string
	CanModerate bool
	CanReply    bool
	Metric      ReplyMetric
	Days        int
	QueueCount  int
	TodoCount   int
}

// Row is one review as the list shows it.
type Row struct {
	Review
	StatusLabel string
	Overdue     bool
	Due         string
}

// Option is one choice of a filter's select.
type Option struct {
	Value, Label string
	Selected     bool
}

func options[T ~string](lang platform.Lang, all []T, label func(T) string, selected string) []Option {
	out := []Option{{Value: "", Label: platform.T(lang, "review.all"), Selected: selected == ""}}
	for _, v := range all {
		out = append(out, Option{Value: string(v), Label: platform.T(lang, label(v)), Selected: string(v) == selected})
	}
	return out
}

// The console tabs.
const (
	tabAll   = "all"
	tabQueue = "queue"
	tabTodo  = "todo"
)

// tabOf names the view a filter shows.
func tabOf(ff FilterForm) string {
	switch {
	case ff.Status == string(Pending):
		return tabQueue
	case ff.Negative && ff.NeedsReply:
		return tabTodo
	}
	return tabAll
}

func (h *handlers) listPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderList(w, r, http.StatusOK, "")
}

// renderList shows the filtered list, with errMsg above it when a row's
// form failed (status is then the failure's).
func (h *handlers) renderList(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	lang := web.LangOf(r)
	ctx := r.Context()
	p := web.PrincipalFrom(ctx)
	f, ff, ferr := filterOf(r)
	data := ListData{Filter: ff, Tab: tabOf(ff), Error: errMsg, Done: r.URL.Query().Get("done"), Back: r.URL.RequestURI(),
		Statuses:    options(lang, Statuses, Status.Label, ff.Status),
		Flags:       options(lang, Flags, Flag.Label, ff.Flag),
		CanModerate: p.Can(PermModerate), CanReply: p.Can(PermReply)}
	data.Ratings = []Option{{Value: "", Label: platform.T(lang, "review.all"), Selected: ff.Rating == ""}}
	for n := 5; n >= 1; n-- {
		v := string(rune('0' + n))
		data.Ratings = append(data.Ratings, Option{Value: v, Label: Stars(n), Selected: ff.Rating == v})
	}
	switch data.Done {
	case "approved", "rejected", "replied":
	default:
		data.Done = ""
	}
	days, derr := daysOf(r)
	if derr != nil {
		days = 30
	}
	data.Days = days
	now := h.clock.Now()
	from, to := Period(now, days)
	var err error
	if data.Metric, err = MeasureReplies(ctx, h.db.R, from, to, now); err != nil {
		return err
	}
	if err := h.db.R.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN rating <= $1 AND replied_at IS NULL AND status <> 'rejected' THEN 1 ELSE 0 END), 0)
		FROM reviews WHERE status = 'pending' OR (rating <= $1 AND replied_at IS NULL)`, Negative).Scan(&data.QueueCount, &data.TodoCount); err != nil {
		return err
	}
	if ferr != nil {
		msg, status, ok := web.FilterProblem(lang, ferr)
		if !ok {
			return ferr
		}
		data.Error = msg
		return h.rd.Render(w, r, status, "review/list", data)
	}
	if web.WantsXLSX(r, exportTable) {
		return h.export(w, r, f)
	}
	page, err := List(ctx, h.db.R, f)
	if err != nil {
		return err
	}
	for _, v := range page.Items {
		row := Row{Review: v, StatusLabel: platform.T(lang, v.Status.Label()), Overdue: v.Overdue(now)}
		if v.IsNegative() && v.RepliedAt == nil {
			row.Due = shopTime(v.ReplyDue())
		}
		data.Rows = append(data.Rows, row)
	}
	data.ExportURL = (&web.Table{ID: exportTable}).ExportURL(r)
	if page.NextCursor != "" {
		q := ff.query()
		if l := r.URL.Query().Get("limit"); l != "" {
			q.Set("limit", l)
		}
		q.Set("cursor", page.NextCursor)
		data.NextURL = "/console/reviews?" + q.Encode()
	}
	return h.rd.Render(w, r, status, "review/list", data)
}

// exportTable names the list's export; exportLimit bounds its rows.
const (
	exportTable = "reviews-table"
	exportLimit = 10000
)

// export writes the filtered reviews as XLSX (text cells, so a review
// that starts with "=" never becomes a formula).
func (h *handlers) export(w http.ResponseWriter, r *http.Request, f Filter) error {
	lang := web.LangOf(r)
	t := &web.Table{ID: exportTable, Name: "reviews", Title: "review.list_title", Columns: []web.Column{
		{Key: "review.written_at"}, {Key: "review.product"}, {Key: "review.author"}, {Key: "review.rating", Kind: web.ColInt},
		{Key: "review.body"}, {Key: "review.status"}, {Key: "review.flags"}, {Key: "review.topics"}, {Key: "review.reply"}, {Key: "review.replied_at"},
	}}
	f.Page = platform.PageRequest{Limit: platform.MaxPageSize}
	for rows := 0; rows < exportLimit; {
		page, err := List(r.Context(), h.db.R, f)
		if err != nil {
			return err
		}
		for _, v := range page.Items {
			var flags, topics string
			for i, fl := range v.Flags {
				if i > 0 {
					flags += "、"
				}
				flags += platform.T(lang, fl.Label())
			}
			for i, tp := range v.Topics {
				if i > 0 {
					topics += "、"
				}
				sign := "+"
				if !tp.Positive() {
					sign = "-"
				}
				topics += platform.T(lang, tp.Topic.Label()) + sign
			}
			replied := web.NullCell
			if v.RepliedAt != nil {
				replied = web.TextCell(shopTime(*v.RepliedAt))
			}
			t.Append(web.TextCell(shopTime(v.CreatedAt)), web.TextCell(v.ProductTitle), web.TextCell(v.Author), web.NumCell(int64(v.Rating)),
				web.TextCell(v.Body), web.TextCell(platform.T(lang, v.Status.Label())), web.TextCell(flags), web.TextCell(topics),
				web.TextCell(v.Reply), replied)
			rows++
		}
		if page.NextCursor == "" {
			break
		}
		next, err := platform.ParseCursor(page.NextCursor)
		if err != nil {
			return err
		}
		f.Page.After = next
	}
	_, err := web.Export(w, r, t)
	return err
}

func (h *handlers) approveForm(w http.ResponseWriter, r *http.Request) error {
	id, back, err := actionOf(r)
	if err != nil {
		return err
	}
	_, err = h.s.Approve(r.Context(), audit.ActorFrom(r), id)
	return h.afterAction(w, r, id, back, "approved", err)
}

func (h *handlers) rejectForm(w http.ResponseWriter, r *http.Request) error {
	id, back, err := actionOf(r)
	if err != nil {
		return err
	}
	_, err = h.s.Reject(r.Context(), audit.ActorFrom(r), id, r.PostForm.Get("reason"))
	return h.afterAction(w, r, id, back, "rejected", err)
}

func (h *handlers) replyForm(w http.ResponseWriter, r *http.Request) error {
	id, back, err := actionOf(r)
	if err != nil {
		return err
	}
	_, err = h.s.Reply(r.Context(), audit.ActorFrom(r), id, ReplyInput{Body: r.PostForm.Get("body")})
	return h.afterAction(w, r, id, back, "replied", err)
}

// actionOf reads a row form's review id and the list URL to go back to.
func actionOf(r *http.Request) (platform.ID, string, error) {
	id, err := web.PathID(r, "id", "review")
	if err != nil {
		return 0, "", err
	}
	if err := r.ParseForm(); err != nil {
		return 0, "", platform.E(platform.CodeBadRequest).Wrap(err)
	}
	return id, web.LocalPath(r.PostForm.Get("back"), "/console/reviews"), nil
}

// afterAction returns to the list with a flash (anchored at the row), or
// shows the list again with the reason the action failed and its status.
func (h *handlers) afterAction(w http.ResponseWriter, r *http.Request, id platform.ID, back, done string, err error) error {
	if err == nil {
		u, _ := url.Parse(back)
		q := u.Query()
		q.Set("done", done)
		u.RawQuery = q.Encode()
		u.Fragment = "review-" + id.String()
		http.Redirect(w, r, u.String(), http.StatusSeeOther)
		return nil
	}
	e := platform.AsError(err)
	if e.Code == platform.CodeInternal || e.Code == platform.CodeNotFound {
		return err
	}
	lang := web.LangOf(r)
	msg := e.Message(lang)
	for _, fe := range e.Fields {
		msg += " (" + platform.T(lang, "review."+fe.Field) + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
	}
	u, _ := url.Parse(back)
	list := r.Clone(r.Context())
	list.Method = http.MethodGet
	list.URL = &url.URL{Path: "/console/reviews", RawQuery: u.RawQuery}
	return h.renderList(w, list, e.Code.Status(), msg)
}

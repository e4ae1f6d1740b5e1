package invoice

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// ListData is the console list's view data.
type ListData struct {
	Filter     FilterForm
	Statuses   []Option
	TitleTypes []Option
	Rows       []ListRow
	Error      string
	Done       string
	NextURL    string
	ExportURL  string
	// Back is this page's URL, where a row's forms return.
	Back     string
	CanIssue bool
}

// ListRow is one request as the list shows it.
type ListRow struct {
	Invoice
	StatusLabel, TitleTypeLabel string
}

// Option is one choice of a filter's select.
type Option struct {
	Value, Label string
	Selected     bool
}

// FilterForm is the filter as typed, to refill the form and build links.
type FilterForm struct {
	Status, TitleType, OrderNo, From, To string
}

func (ff FilterForm) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"status": ff.Status, "title_type": ff.TitleType, "order_no": ff.OrderNo, "from": ff.From, "to": ff.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// filterOf reads the list filter; bad values are field errors (422) or a
// bad cursor (400).
func filterOf(r *http.Request) (Filter, FilterForm, error) {
	q := r.URL.Query()
	ff := FilterForm{Status: q.Get("status"), TitleType: q.Get("title_type"), OrderNo: strings.TrimSpace(q.Get("order_no")), From: q.Get("from"), To: q.Get("to")}
	f := Filter{Status: Status(ff.Status), TitleType: TitleType(ff.TitleType), OrderNo: ff.OrderNo}
	page, err := web.PageOf(r)
	if err != nil {
		return f, ff, err
	}
	f.Page = page
	if ff.From != "" {
		d, err := time.ParseInLocation(time.DateOnly, ff.From, platform.ShopZone)
		if err != nil {
			return f, ff, platform.Invalid("from", "field.invalid")
		}
		f.From = &d
	}
	if ff.To != "" {
		d, err := time.ParseInLocation(time.DateOnly, ff.To, platform.ShopZone)
		if err != nil {
			return f, ff, platform.Invalid("to", "field.invalid")
		}
		d = d.AddDate(0, 0, 1)
		f.To = &d
	}
	return f, ff, f.Validate()
}

func options[T ~string](lang platform.Lang, all []T, label func(T) string, selected string) []Option {
	out := []Option{{Value: "", Label: platform.T(lang, "invoice.all"), Selected: selected == ""}}
	for _, v := range all {
		out = append(out, Option{Value: string(v), Label: platform.T(lang, label(v)), Selected: string(v) == selected})
	}
	return out
}

// exportTable names the list's export; exportLimit bounds its rows.
const (
	exportTable = "invoices-table"
	exportLimit = 10000
)

func (h *handlers) listPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderList(w, r, http.StatusOK, "")
}

// renderList shows the filtered list, with errMsg above it when a
// row's form failed (status is then the failure's).
func (h *handlers) renderList(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	lang := web.LangOf(r)
	f, ff, err := filterOf(r)
	data := ListData{Filter: ff, Error: errMsg, Done: r.URL.Query().Get("done"), Back: r.URL.RequestURI(),
		Statuses:   options(lang, Statuses, Status.Label, ff.Status),
		TitleTypes: options(lang, TitleTypes, TitleType.Label, ff.TitleType),
		CanIssue:   web.PrincipalFrom(r.Context()).Can(PermIssue)}
	if data.Done != "issued" && data.Done != "rejected" {
		data.Done = ""
	}
	if err != nil {
		msg, status, ok := web.FilterProblem(lang, err)
		if !ok {
			return err
		}
		data.Error = msg
		return h.rd.Render(w, r, status, "invoice/list", data)
	}
	if web.WantsXLSX(r, exportTable) {
		return h.export(w, r, f)
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	for _, v := range page.Items {
		data.Rows = append(data.Rows, ListRow{Invoice: v, StatusLabel: platform.T(lang, v.Status.Label()),
			TitleTypeLabel: platform.T(lang, v.TitleType.Label())})
	}
	data.ExportURL = (&web.Table{ID: exportTable}).ExportURL(r)
	if page.NextCursor != "" {
		q := ff.query()
		if l := r.URL.Query().Get("limit"); l != "" {
			q.Set("limit", l)
		}
		q.Set("cursor", page.NextCursor)
		data.NextURL = "/console/invoices?" + q.Encode()
	}
	return h.rd.Render(w, r, status, "invoice/list", data)
}

// export writes the filtered requests, newest first, as XLSX.
func (h *handlers) export(w http.ResponseWriter, r *http.Request, f Filter) error {
	lang := web.LangOf(r)
	t := &web.Table{ID: exportTable, Name: "invoices", Title: "invoice.list_title", Columns: []web.Column{
		{Key: "invoice.requested_at"}, {Key: "invoice.order_no"}, {Key: "invoice.status"}, {Key: "invoice.title_type"},
		{Key: "invoice.title"}, {Key: "invoice.tax_no"}, {Key: "invoice.email"}, {Key: "invoice.amount", Kind: web.ColMoney},
		{Key: "invoice.invoice_no"}, {Key: "invoice.issued_at"}, {Key: "invoice.issued_by"}, {Key: "invoice.reason"},
	}}
	// Staff who do not send invoices see addresses masked, as on the page.
	email := platform.MaskEmail
	if web.PrincipalFrom(r.Context()).Can(PermIssue) {
		email = func(s string) string { return s }
	}
	f.Page = platform.PageRequest{Limit: platform.MaxPageSize}
	for rows := 0; rows < exportLimit; {
		page, err := List(r.Context(), h.db.R, f)
		if err != nil {
			return err
		}
		for _, v := range page.Items {
			issued := web.NullCell
			if v.IssuedAt != nil {
				issued = web.TextCell(shopTime(*v.IssuedAt))
			}
			t.Append(web.TextCell(shopTime(v.CreatedAt)), web.TextCell(v.OrderNo), web.TextCell(platform.T(lang, v.Status.Label())),
				web.TextCell(platform.T(lang, v.TitleType.Label())), web.TextCell(v.Title), web.TextCell(v.TaxNo), web.TextCell(email(v.Email)),
				web.NumCell(int64(v.Amount)), web.TextCell(v.InvoiceNo), issued, web.TextCell(v.IssuedBy), web.TextCell(v.RejectReason))
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

func shopTime(t time.Time) string { return t.In(platform.ShopZone).Format("2006-01-02 15:04:05") }

func (h *handlers) issueForm(w http.ResponseWriter, r *http.Request) error {
	id, back, err := actionOf(r)
	if err != nil {
		return err
	}
	_, err = h.s.Issue(r.Context(), audit.ActorFrom(r), id, IssueInput{InvoiceNo: r.PostForm.Get("invoice_no")})
	return h.afterAction(w, r, back, "issued", err)
}

func (h *handlers) rejectForm(w http.ResponseWriter, r *http.Request) error {
	id, back, err := actionOf(r)
	if err != nil {
		return err
	}
	_, err = h.s.Reject(r.Context(), audit.ActorFrom(r), id, r.PostForm.Get("reason"))
	return h.afterAction(w, r, back, "rejected", err)
}

// actionOf reads a row form's request id and the list URL to go back to.
func actionOf(r *http.Request) (platform.ID, string, error) {
	id, err := web.PathID(r, "id", "invoice")
	if err != nil {
		return 0, "", err
	}
	if err := r.ParseForm(); err != nil {
		return 0, "", platform.E(platform.CodeBadRequest).Wrap(err)
	}
	return id, web.LocalPath(r.PostForm.Get("back"), "/console/invoices"), nil
}

// afterAction returns to the list with a flash, or shows the list again
// with the reason the action failed (missing or taken number, already
// handled) and its status.
func (h *handlers) afterAction(w http.ResponseWriter, r *http.Request, back, done string, err error) error {
	if err == nil {
		u, _ := url.Parse(back)
		q := u.Query()
		q.Set("done", done)
		u.RawQuery = q.Encode()
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
		msg += " (" + platform.T(lang, "invoice."+fe.Field) + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
	}
	// Show the list the form came from.
	u, _ := url.Parse(back)
	list := r.Clone(r.Context())
	list.Method = http.MethodGet
	list.URL = &url.URL{Path: "/console/invoices", RawQuery: u.RawQuery}
	return h.renderList(w, list, e.Code.Status(), msg)
}

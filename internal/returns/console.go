package returns

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// ListData is the console list's view data.
type ListData struct {
	Filter    FilterForm
	Statuses  []Option
	Kinds     []Option
	Reasons   []Option
	Rows      []Return
	Error     string
	NextURL   string
	ExportURL string
}

// Option is one choice of a filter's select.
type Option struct {
	Value, Label string
	Selected     bool
}

// FilterForm is the filter as typed, to refill the form and build links.
type FilterForm struct {
	Status, Kind, Reason, OrderNo, From, To string
}

func (ff FilterForm) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"status": ff.Status, "kind": ff.Kind, "reason": ff.Reason, "order_no": ff.OrderNo, "from": ff.From, "to": ff.To} {
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
	ff := FilterForm{Status: q.Get("status"), Kind: q.Get("kind"), Reason: q.Get("reason"), OrderNo: strings.TrimSpace(q.Get("order_no")),
		From: q.Get("from"), To: q.Get("to")}
	f := Filter{Status: Status(ff.Status), Kind: Kind(ff.Kind), Reason: Reason(ff.Reason), OrderNo: ff.OrderNo}
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
	out := []Option{{Value: "", Label: platform.T(lang, "returns.all"), Selected: selected == ""}}
	for _, v := range all {
		out = append(out, Option{Value: string(v), Label: platform.T(lang, label(v)), Selected: string(v) == selected})
	}
	return out
}

// exportTable names the list's export; exportLimit bounds its rows.
const (
	exportTable = "returns-table"
	exportLimit = 10000
)

func (h *handlers) listPage(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	f, ff, err := filterOf(r)
	data := ListData{Filter: ff,
		Statuses: options(lang, Statuses, Status.Label, ff.Status),
		Kinds:    options(lang, Kinds, Kind.Label, ff.Kind),
		Reasons:  options(lang, Reasons, Reason.Label, ff.Reason)}
	if err != nil {
		e := platform.AsError(err)
		if e.Code != platform.CodeInvalid && e.Code != platform.CodeBadCursor {
			return err
		}
		data.Error = e.Message(lang)
		for _, fe := range e.Fields {
			data.Error += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
		}
		return h.rd.Render(w, r, e.Code.Status(), "returns/list", data)
	}
	if web.WantsXLSX(r, exportTable) {
		return h.export(w, r, f)
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	data.Rows = page.Items
	data.ExportURL = (&web.Table{ID: exportTable}).ExportURL(r)
	if page.NextCursor != "" {
		q := ff.query()
		if l := r.URL.Query().Get("limit"); l != "" {
			q.Set("limit", l)
		}
		q.Set("cursor", page.NextCursor)
		data.NextURL = "/console/returns?" + q.Encode()
	}
	return h.rd.Render(w, r, http.StatusOK, "returns/list", data)
}

// export writes the filtered requests, one row per line, newest first,
// as XLSX.
func (h *handlers) export(w http.ResponseWriter, r *http.Request, f Filter) error {
	lang := web.LangOf(r)
	t := &web.Table{ID: exportTable, Name: "returns", Title: "returns.list_title", Columns: []web.Column{
		{Key: "returns.requested_at"}, {Key: "returns.rma_no"}, {Key: "returns.order_no"}, {Key: "returns.kind"}, {Key: "returns.status"},
		{Key: "returns.reason"}, {Key: "returns.product"}, {Key: "returns.qty", Kind: web.ColInt}, {Key: "returns.accepted_qty", Kind: web.ColInt},
		{Key: "returns.condition"}, {Key: "returns.line_amount", Kind: web.ColMoney}, {Key: "returns.tracking"}, {Key: "returns.handled_by"},
	}}
	f.Page = platform.PageRequest{Limit: platform.MaxPageSize}
	for rows := 0; rows < exportLimit; {
		page, err := List(r.Context(), h.db.R, f)
		if err != nil {
			return err
		}
		for _, v := range page.Items {
			for _, l := range v.Lines {
				cond := ""
				if l.Condition != "" {
					cond = platform.T(lang, l.Condition.Label())
				}
				t.Append(web.TextCell(shopTime(v.CreatedAt)), web.TextCell(v.RMANo), web.TextCell(v.OrderNo),
					web.TextCell(platform.T(lang, v.Kind.Label())), web.TextCell(platform.T(lang, v.Status.Label())),
					web.TextCell(platform.T(lang, v.Reason.Label())), web.TextCell(l.Title+" "+l.SpecText),
					web.NumCell(int64(l.Qty)), web.NumCell(int64(l.AcceptedQty)), web.TextCell(cond), web.NumCell(int64(l.Amount)),
					web.TextCell(strings.TrimSpace(v.ReturnCarrier+" "+v.ReturnTrackingNo)), web.TextCell(v.HandledBy))
			}
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

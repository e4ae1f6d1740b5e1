package payment

import (
	"net/http"
	"net/url"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// dayRange reads ?from=&to= (shop-zone days), by default the last 30
// days up to yesterday. A malformed day is a field error.
func dayRange(r *http.Request, now time.Time) (string, string, error) {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	if to == "" {
		to = ShopDay(now.AddDate(0, 0, -1))
	}
	if from == "" {
		from = ShopDay(now.AddDate(0, 0, -30))
	}
	for _, f := range []struct{ name, v string }{{"from", from}, {"to", to}} {
		if _, err := time.Parse(time.DateOnly, f.v); err != nil {
			return "", "", platform.Invalid(f.name, "field.invalid")
		}
	}
	return from, to, nil
}

// PendingRow is one offline payment waiting for staff.
type PendingRow struct {
	Payment
	OrderNo string
}

// PaymentsData is the offline payments page's view data.
type PaymentsData struct {
	Rows       []PendingRow
	Flash      string
	Error      string
	CanConfirm bool
}

func (h *handlers) pending(r *http.Request) ([]PendingRow, error) {
	rows, err := h.s.db.R.QueryContext(r.Context(), `SELECT p.id, p.order_id, p.method, p.provider, p.amount, p.currency, p.status, p.external_ref, p.captured_at, p.created_at, o.order_no
		FROM payments p JOIN orders o ON o.id = p.order_id
		WHERE p.status = 'pending' AND p.method IN ('bank_transfer', 'cod') AND o.status <> 'cancelled' ORDER BY p.created_at LIMIT 200`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PendingRow
	for rows.Next() {
		var pr PendingRow
		var captured *time.Time
		if err := rows.Scan(&pr.ID, &pr.OrderID, &pr.Method, &pr.Provider, &pr.Amount, &pr.Currency, &pr.Status, &pr.ExternalRef, &captured, &pr.CreatedAt, &pr.OrderNo); err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, rows.Err()
}

func (h *handlers) renderPayments(w http.ResponseWriter, r *http.Request, status int, data PaymentsData) error {
	rows, err := h.pending(r)
	if err != nil {
		return err
	}
	data.Rows = rows
	data.CanConfirm = web.PrincipalFrom(r.Context()).Can(PermConfirm)
	return h.rd.Render(w, r, status, "payment/payments", data)
}

func (h *handlers) consolePayments(w http.ResponseWriter, r *http.Request) error {
	data := PaymentsData{}
	if r.URL.Query().Get("done") != "" {
		data.Flash = platform.T(web.LangOf(r), "payment.confirmed")
	}
	return h.renderPayments(w, r, http.StatusOK, data)
}

// consoleConfirm confirms an offline payment from the page's form
// (amount in yuan, reference).
func (h *handlers) consoleConfirm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "payment")
	if err != nil {
		return err
	}
	amount, perr := platform.ParseMoney(r.PostFormValue("amount"))
	if perr != nil {
		err = platform.Invalid("amount", "field.invalid")
	} else {
		_, err = h.s.Confirm(r.Context(), audit.ActorFrom(r), id, Confirmation{Amount: amount, Reference: r.PostFormValue("reference")})
	}
	if err != nil {
		e := platform.AsError(err)
		if e.Code.Status() >= 500 || e.Code == platform.CodeNotFound {
			return err
		}
		msg := e.Message(web.LangOf(r))
		for _, f := range e.Fields {
			msg += " · " + f.Field + " " + platform.T(web.LangOf(r), f.Key, f.Args...)
		}
		return h.renderPayments(w, r, e.Code.Status(), PaymentsData{Error: msg})
	}
	http.Redirect(w, r, "/console/payments?done=1", http.StatusSeeOther)
	return nil
}

// ReconciliationData is the reconciliation page's view data.
type ReconciliationData struct {
	From, To string
	Days     *web.Table
	Issues   *web.Table
	Error    string
	Flash    string
	CanRun   bool
}

const (
	daysTable   = "reconciliation-days"
	issuesTable = "reconciliation-issues"
)

func (h *handlers) consoleReconciliation(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	from, to, err := dayRange(r, h.s.db.Now())
	data := ReconciliationData{From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to"), CanRun: web.PrincipalFrom(r.Context()).Can(PermConfirm)}
	if err != nil {
		data.Error = platform.AsError(err).Message(lang)
		return h.rd.Render(w, r, http.StatusUnprocessableEntity, "payment/reconciliation", data)
	}
	data.From, data.To = from, to
	if r.URL.Query().Get("done") != "" {
		data.Flash = platform.T(lang, "recon.done")
	}
	days, err := h.s.Reports(r.Context(), from, to)
	if err != nil {
		return err
	}
	issues, err := h.s.Issues(r.Context(), from, to)
	if err != nil {
		return err
	}
	data.Days = &web.Table{ID: daysTable, Name: "reconciliation", Title: "recon.title", Empty: "recon.empty", Columns: []web.Column{
		{Key: "recon.day", Kind: web.ColText}, {Key: "recon.captured", Kind: web.ColMoney}, {Key: "recon.captured_count", Kind: web.ColInt},
		{Key: "recon.paid_orders", Kind: web.ColMoney}, {Key: "recon.paid_count", Kind: web.ColInt},
		{Key: "recon.refunded", Kind: web.ColMoney}, {Key: "recon.refund_count", Kind: web.ColInt},
		{Key: "recon.issues", Kind: web.ColInt}, {Key: "recon.status", Kind: web.ColText},
	}}
	for _, d := range days {
		status := platform.T(lang, "recon.ok")
		if d.Mismatch() {
			status = platform.T(lang, "recon.mismatch")
		}
		data.Days.Append(web.TextCell(d.Day), web.NumCell(int64(d.CapturedTotal)), web.NumCell(int64(d.CapturedCount)),
			web.NumCell(int64(d.PaidOrdersTotal)), web.NumCell(int64(d.PaidOrdersCount)),
			web.NumCell(int64(d.RefundedTotal)), web.NumCell(int64(d.RefundCount)), web.NumCell(int64(d.Issues)), web.TextCell(status))
	}
	data.Issues = &web.Table{ID: issuesTable, Name: "reconciliation-issues", Title: "recon.issue_list", Empty: "recon.no_issues", Columns: []web.Column{
		{Key: "recon.day", Kind: web.ColText}, {Key: "recon.kind", Kind: web.ColText}, {Key: "payment.order", Kind: web.ColText},
		{Key: "recon.payment", Kind: web.ColText}, {Key: "recon.refund", Kind: web.ColText},
		{Key: "recon.amount", Kind: web.ColMoney}, {Key: "recon.expected", Kind: web.ColMoney},
	}}
	idCell := func(id platform.ID) web.Cell {
		if id == 0 {
			return web.NullCell
		}
		return web.TextCell(id.String())
	}
	for _, is := range issues {
		data.Issues.Append(web.TextCell(is.Day), web.TextCell(platform.T(lang, is.Kind)), idCell(is.OrderID), idCell(is.PaymentID), idCell(is.RefundID),
			web.NumCell(int64(is.Amount)), web.NumCell(int64(is.Expected)))
	}
	if done, err := web.Export(w, r, data.Days, data.Issues); done {
		return err
	}
	return h.rd.Render(w, r, http.StatusOK, "payment/reconciliation", data)
}

// consoleReconcile runs the reconciliation of the posted days again.
func (h *handlers) consoleReconcile(w http.ResponseWriter, r *http.Request) error {
	from, to, err := dayRange(&http.Request{URL: &url.URL{RawQuery: url.Values{"from": {r.PostFormValue("from")}, "to": {r.PostFormValue("to")}}.Encode()}}, h.s.db.Now())
	if err != nil {
		return err
	}
	start, _ := time.Parse(time.DateOnly, from)
	end, _ := time.Parse(time.DateOnly, to)
	if end.Sub(start) > 92*24*time.Hour || end.Before(start) {
		return platform.Invalid("from", "field.invalid")
	}
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if _, _, err := h.s.Reconcile(r.Context(), d.Format(time.DateOnly)); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/console/payments/reconciliation?"+url.Values{"from": {from}, "to": {to}, "done": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}

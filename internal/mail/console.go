package mail

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// Filter narrows the outbox list; zero fields match everything.
type Filter struct {
	Status     Status
	To         string
	CustomerID platform.ID
	Page       platform.PageRequest
}

// List is one page of the outbox, newest first.
//
// Errors: CodeInvalid for an unknown status, CodeBadCursor, or a database
// error.
func List(ctx context.Context, q store.Querier, f Filter) (platform.Page[Stored], error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Status != "" {
		if f.Status != StatusQueued && f.Status != StatusSent && f.Status != StatusFailed {
			return platform.Page[Stored]{}, platform.Invalid("status", "field.invalid")
		}
		where = append(where, "status = "+arg(string(f.Status)))
	}
	if f.To != "" {
		where = append(where, "to_addr = "+arg(strings.TrimSpace(f.To)))
	}
	if f.CustomerID != 0 {
		where = append(where, "customer_id = "+arg(int64(f.CustomerID)))
	}
	if c := f.Page.After; c != nil {
		where = append(where, "id < "+arg(int64(c.ID)))
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = platform.DefaultPageSize
	}
	query := `SELECT id, to_addr, lang, template, subject, text_body, customer_id, status, attempts, last_error, created_at, sent_at FROM mail_messages`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT " + arg(limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return platform.Page[Stored]{}, fmt.Errorf("mail: list: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		var m Stored
		var cust *int64
		if err := rows.Scan(&m.ID, &m.To, &m.Lang, &m.Template, &m.Subject, &m.Text, &cust, &m.Status, &m.Attempts, &m.LastError, &m.CreatedAt, &m.SentAt); err != nil {
			return platform.Page[Stored]{}, fmt.Errorf("mail: list: %w", err)
		}
		if cust != nil {
			id := platform.ID(*cust)
			m.CustomerID = &id
		}
		m.CreatedAt = m.CreatedAt.UTC()
		if m.SentAt != nil {
			t := m.SentAt.UTC()
			m.SentAt = &t
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[Stored]{}, fmt.Errorf("mail: list: %w", err)
	}
	return platform.NewPage(out, limit, func(m Stored) platform.Cursor { return platform.Cursor{ID: m.ID} }), nil
}

func filterOf(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	page, err := web.PageOf(r)
	return Filter{Status: Status(q.Get("status")), To: q.Get("to"), Page: page}, err
}

func (h *handlers) adminList(w http.ResponseWriter, r *http.Request) error {
	f, err := filterOf(r)
	if err != nil {
		return err
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	for i := range page.Items {
		page.Items[i].Text = ""
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

// ListData is the console page's view data.
type ListData struct {
	Status, To string
	Statuses   []Option
	Rows       []Row
	NextURL    string
	Error      string
}

// Option is one choice of the status filter.
type Option struct {
	Value, Label string
	Selected     bool
}

// Row is one message as the page shows it.
type Row struct {
	Stored
	StatusLabel string
	Created     string
	Sent        string
}

func (h *handlers) listPage(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	f, err := filterOf(r)
	data := ListData{Status: string(f.Status), To: f.To}
	data.Statuses = append(data.Statuses, Option{Label: platform.T(lang, "mail.all"), Selected: f.Status == ""})
	for _, s := range Statuses {
		data.Statuses = append(data.Statuses, Option{Value: string(s), Label: platform.T(lang, s.Label()), Selected: s == f.Status})
	}
	var page platform.Page[Stored]
	if err == nil {
		page, err = List(r.Context(), h.db.R, f)
	}
	if err != nil {
		e := platform.AsError(err)
		if e.Code == platform.CodeInternal {
			return err
		}
		data.Error = e.Message(lang)
		return h.rd.Render(w, r, e.Code.Status(), "mail/list", data)
	}
	for _, m := range page.Items {
		row := Row{Stored: m, StatusLabel: platform.T(lang, m.Status.Label()), Created: shopTime(m.CreatedAt)}
		if m.SentAt != nil {
			row.Sent = shopTime(*m.SentAt)
		}
		data.Rows = append(data.Rows, row)
	}
	if page.NextCursor != "" {
		q := url.Values{"cursor": {page.NextCursor}}
		if f.Status != "" {
			q.Set("status", string(f.Status))
		}
		if f.To != "" {
			q.Set("to", f.To)
		}
		data.NextURL = "/console/mail?" + q.Encode()
	}
	return h.rd.Render(w, r, http.StatusOK, "mail/list", data)
}

func shopTime(t time.Time) string { return t.In(platform.ShopZone).Format("2006-01-02 15:04:05") }

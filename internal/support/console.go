package support

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

func options[T ~string](lang platform.Lang, all []T, label func(T) string, selected string, withAll bool) []Option {
	var out []Option
	if withAll {
		out = append(out, Option{Value: "", Label: platform.T(lang, "support.all"), Selected: selected == ""})
	}
	for _, v := range all {
		out = append(out, Option{Value: string(v), Label: platform.T(lang, label(v)), Selected: string(v) == selected})
	}
	return out
}

// QueueData is the console's ticket list.
type QueueData struct {
	Q, Assignee                               string
	Active, Breached                          bool
	Statuses, Types, Priorities, Channels     []Option
	Rows                                      []Row
	NextURL, Error                            string
	CanHandle                                 bool
	OpenCount, BreachedCount, UnassignedCount int
}

// Row is a ticket as the list shows it.
type Row struct {
	Ticket
	TypeLabel, PriorityLabel, StatusLabel, ChannelLabel string
}

func rowOf(lang platform.Lang, t Ticket) Row {
	return Row{Ticket: t, TypeLabel: platform.T(lang, t.Type.Label()), PriorityLabel: platform.T(lang, t.Priority.Label()),
		StatusLabel: platform.T(lang, t.Status.Label()), ChannelLabel: platform.T(lang, t.Channel.Label())}
}

func (h *handlers) queuePage(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	q := r.URL.Query()
	data := QueueData{Q: q.Get("q"), Assignee: q.Get("assignee"), Active: q.Get("active") == "1", Breached: q.Get("breached") == "1",
		Statuses: options(lang, Statuses, Status.Label, q.Get("status"), true), Types: options(lang, Types, Type.Label, q.Get("type"), true),
		Priorities: options(lang, Priorities, Priority.Label, q.Get("priority"), true), Channels: options(lang, Channels, Channel.Label, q.Get("channel"), true),
		CanHandle: web.PrincipalFrom(r.Context()).Can(PermHandle)}
	ctx := r.Context()
	_ = h.db.R.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END), 0) FROM support_tickets WHERE status IN ('open', 'pending')`).
		Scan(&data.OpenCount, &data.BreachedCount, &data.UnassignedCount)
	f, err := filterOf(r)
	if err != nil {
		e := platform.AsError(err)
		if e.Code != platform.CodeInvalid && e.Code != platform.CodeBadCursor {
			return err
		}
		data.Error = e.Message(lang)
		return h.rd.Render(w, r, e.Code.Status(), "support/queue", data)
	}
	page, err := List(ctx, h.db.R, f)
	if err != nil {
		return err
	}
	for _, t := range page.Items {
		data.Rows = append(data.Rows, rowOf(lang, t))
	}
	if page.NextCursor != "" {
		nq := r.URL.Query()
		nq.Set("cursor", page.NextCursor)
		data.NextURL = "/console/support?" + nq.Encode()
	}
	return h.rd.Render(w, r, http.StatusOK, "support/queue", data)
}

// DetailData is one ticket in the console.
type DetailData struct {
	Row
	Messages                 []Message
	Customer                 *Customer360
	LinkedOrders             []OrderBrief
	Agents                   []Agent
	Canned                   []Canned
	Types, Priorities        []Option
	Causes                   []Option
	CauseLabel, AssigneeName string
	CanHandle                bool
	Flash, Error             string
	Variables                []string
}

func (h *handlers) detailPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderDetail(w, r, http.StatusOK, "")
}

func (h *handlers) renderDetail(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	id, err := web.PathID(r, "id", "ticket")
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), web.LangOf(r)
	t, err := h.s.Get(ctx, id)
	if err != nil {
		return err
	}
	data := DetailData{Row: rowOf(lang, t), CanHandle: web.PrincipalFrom(ctx).Can(PermHandle), Error: errMsg, Variables: Variables,
		Types: options(lang, Types, Type.Label, string(t.Type), false), Priorities: options(lang, Priorities, Priority.Label, string(t.Priority), false)}
	if d := r.URL.Query().Get("done"); d != "" && platform.HasMessage("support.done."+d) {
		data.Flash = platform.T(lang, "support.done."+d)
	}
	data.Causes = append(data.Causes, Option{Value: "", Label: "—"})
	for _, c := range Causes {
		data.Causes = append(data.Causes, Option{Value: c.Key, Label: platform.T(lang, c.Label()), Selected: c.Key == t.Cause})
	}
	if t.Cause != "" {
		data.CauseLabel = platform.T(lang, CauseOf(t.Cause).Label())
	}
	if data.Messages, err = Messages(ctx, h.db.R, id, true); err != nil {
		return err
	}
	if t.CustomerID != 0 {
		c, err := CustomerView(ctx, h.db.R, t.CustomerID)
		if err != nil && platform.ErrorCode(err) != platform.CodeNotFound {
			return err
		}
		if err == nil {
			data.Customer = &c
		}
	}
	rows, err := h.db.R.QueryContext(ctx, `SELECT o.id, o.order_no, o.status, o.total, o.refunded_total, o.placed_at FROM orders o
		WHERE o.id = $1 OR o.id IN (SELECT order_id FROM support_ticket_orders WHERE ticket_id = $2) ORDER BY o.placed_at`, nullID(t.OrderID), id)
	if err != nil {
		return err
	}
	for rows.Next() {
		var o OrderBrief
		if err := rows.Scan(&o.ID, &o.OrderNo, &o.Status, &o.Total, &o.Refunded, &o.PlacedAt); err != nil {
			rows.Close()
			return err
		}
		data.LinkedOrders = append(data.LinkedOrders, o)
	}
	rows.Close()
	if data.Agents, err = Agents(ctx, h.db.R); err != nil {
		return err
	}
	for _, a := range data.Agents {
		if a.StaffID == t.AssigneeID {
			data.AssigneeName = a.Name
		}
	}
	if data.Canned, err = h.s.CannedReplies(ctx); err != nil {
		return err
	}
	return h.rd.Render(w, r, status, "support/detail", data)
}

// consoleAction is the handler of one form on the detail page.
func (h *handlers) consoleAction(action string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id", "ticket")
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return platform.E(platform.CodeBadRequest).Wrap(err)
		}
		f, by, ctx := r.PostForm, audit.ActorFrom(r), r.Context()
		switch action {
		case "reply", "note":
			var cannedID platform.ID
			if v := f.Get("canned_id"); v != "" {
				if cannedID, err = platform.ParseID(v); err != nil {
					return platform.Invalid("canned_id", "field.invalid")
				}
			}
			body, err2 := h.s.bodyOf(ctx, id, by, StaffReplyInput{Body: f.Get("body"), CannedID: cannedID})
			if err = err2; err == nil {
				if action == "reply" {
					_, err = h.s.Reply(ctx, by, id, body)
				} else {
					_, err = h.s.Note(ctx, by, id, body)
				}
			}
		case "assign":
			var agentID platform.ID
			if v := f.Get("agent_id"); v != "" {
				agentID, _ = platform.ParseID(v)
			}
			_, err = h.s.Assign(ctx, by, id, agentID, 0)
		case "classify":
			var product platform.ID
			if v := strings.TrimSpace(f.Get("product_id")); v != "" {
				if product, err = platform.ParseID(v); err != nil {
					err = platform.Invalid("product_id", "field.invalid")
					break
				}
			}
			_, err = h.s.Classify(ctx, by, id, Classify{Type: Type(f.Get("type")), Priority: Priority(f.Get("priority")), Cause: f.Get("cause"),
				ProductID: product, Carrier: f.Get("carrier"), Policy: f.Get("policy")})
		case "resolve":
			_, err = h.s.Resolve(ctx, by, id)
		case "close":
			_, err = h.s.Close(ctx, by, id)
		case "orders":
			_, err = h.s.LinkOrder(ctx, by, id, f.Get("order_no"))
		}
		if err != nil {
			e := platform.AsError(err)
			if e.Code == platform.CodeInternal {
				return err
			}
			lang := web.LangOf(r)
			msg := e.Message(lang)
			for _, fe := range e.Fields {
				msg += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
			}
			page := r.Clone(ctx)
			page.Method = http.MethodGet
			return h.renderDetail(w, page, e.Code.Status(), msg)
		}
		http.Redirect(w, r, "/console/support/tickets/"+id.String()+"?done="+url.QueryEscape(action), http.StatusSeeOther)
		return nil
	}
}

// PhoneData is the form agents log a call with.
type PhoneData struct {
	Form   PhoneInput
	Types  []Option
	Error  string
	Fields map[string]string
}

func (h *handlers) phonePage(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	return h.rd.Render(w, r, http.StatusOK, "support/phone", PhoneData{Types: options(lang, Types, Type.Label, string(PreSale), false)})
}

func (h *handlers) phoneForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f, lang := r.PostForm, web.LangOf(r)
	in := PhoneInput{Name: f.Get("name"), Phone: f.Get("phone"), Email: f.Get("email"), Type: Type(f.Get("type")), Subject: f.Get("subject"), Body: f.Get("body")}
	var orderErr error
	if no := strings.TrimSpace(f.Get("order_no")); no != "" {
		if err := h.db.R.QueryRowContext(r.Context(), `SELECT id FROM orders WHERE order_no = $1`, no).Scan(&in.OrderID); err != nil {
			orderErr = platform.Invalid("order_no", "field.invalid")
		}
	}
	var t Ticket
	err := orderErr
	if err == nil {
		t, err = h.s.Open(r.Context(), audit.ActorFrom(r), NewTicket{Name: in.Name, Phone: in.Phone, Email: in.Email, Channel: Phone, Type: in.Type,
			Subject: in.Subject, Body: in.Body, OrderID: in.OrderID})
	}
	if err != nil {
		e := platform.AsError(err)
		if e.Code == platform.CodeInternal {
			return err
		}
		data := PhoneData{Form: in, Types: options(lang, Types, Type.Label, string(in.Type), false), Error: e.Message(lang), Fields: map[string]string{}}
		for _, fe := range e.Fields {
			data.Fields[fe.Field] = platform.T(lang, fe.Key, fe.Args...)
		}
		return h.rd.Render(w, r, e.Code.Status(), "support/phone", data)
	}
	http.Redirect(w, r, "/console/support/tickets/"+t.ID.String(), http.StatusSeeOther)
	return nil
}

// hours formats a working duration in hours with one decimal.
func hours(secs float64) string {
	return strconv.FormatFloat(secs/3600, 'f', 1, 64)
}

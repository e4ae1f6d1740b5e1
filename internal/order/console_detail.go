package order

import (
	"net/http"
	"sort"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// DetailData is the order page's view data.
type DetailData struct {
	Detail
	StatusLabel  string
	ChannelLabel string
	MethodLabel  string
	Timeline     []TimelineItem
	CanManage    bool
	CanShip      bool
	// Cancellable and Shippable say whether the order's status allows
	// the action (the forms show only then).
	Cancellable bool
	Shippable   bool
	Carriers    []string
	Flash       string
	Error       string
	FieldErrors map[string]string
	// Form keeps what was typed when an action failed.
	Form ActionForm
}

// ActionForm is what the action forms post.
type ActionForm struct {
	Reason, Carrier, TrackingNo, Body, Amount string
}

// TimelineItem is one line of the order's history: a status change, a
// note or a shipment, oldest first.
type TimelineItem struct {
	At    time.Time
	Kind  string // transition, note, shipment
	Title string
	Actor string
	Text  string
}

func (h *handlers) timeline(lang platform.Lang, d Detail) []TimelineItem {
	var out []TimelineItem
	for _, s := range d.Timeline {
		title := platform.T(lang, s.To.Label())
		if s.From != "" {
			title = platform.T(lang, s.From.Label()) + " → " + title
		}
		actor := platform.T(lang, "order.actor."+string(s.Actor.Kind))
		if s.Actor.Name != "" {
			actor += " " + s.Actor.Name
		}
		out = append(out, TimelineItem{At: s.At, Kind: "transition", Title: title, Actor: actor, Text: s.Reason})
	}
	for _, n := range d.Notes {
		out = append(out, TimelineItem{At: n.CreatedAt, Kind: "note", Title: platform.T(lang, "order.note"), Actor: n.Author, Text: n.Body})
	}
	for _, s := range d.Shipments {
		out = append(out, TimelineItem{At: s.ShippedAt, Kind: "shipment", Title: platform.T(lang, "order.shipment"), Actor: s.CreatedBy,
			Text: s.Carrier + " " + s.TrackingNo})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// renderDetail shows the order page with status (200 or an action's
// error status) and whatever flash or error the action left.
func (h *handlers) renderDetail(w http.ResponseWriter, r *http.Request, status int, id platform.ID, fill func(*DetailData)) error {
	d, err := h.detail(r, id)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	p := web.PrincipalFrom(r.Context())
	data := DetailData{Detail: d, StatusLabel: platform.T(lang, d.Status.Label()), ChannelLabel: channelLabel(lang, d.Channel),
		MethodLabel: methodLabel(lang, d.PaymentMethod), Timeline: h.timeline(lang, d),
		CanManage: p.Can(PermManage), CanShip: p.Can(PermShip),
		Cancellable: Legal(d.Status, Cancelled), Shippable: d.Status == Paid || d.Status == Allocated,
		Carriers: Carriers, FieldErrors: map[string]string{}}
	if k := r.URL.Query().Get("done"); k != "" && platform.HasMessage("order.done."+k) {
		data.Flash = platform.T(lang, "order.done."+k)
	}
	if fill != nil {
		fill(&data)
	}
	return h.rd.Render(w, r, status, "order/detail", data)
}

func (h *handlers) detailPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "order")
	if err != nil {
		return err
	}
	return h.renderDetail(w, r, http.StatusOK, id, nil)
}

// actionFailed re-renders the order page with an action's error: field
// errors beside their fields, the message at the top, the error's status.
// Internal errors and a missing order go to the error page.
func (h *handlers) actionFailed(w http.ResponseWriter, r *http.Request, id platform.ID, form ActionForm, err error) error {
	e := platform.AsError(err)
	if e.Code.Status() >= 500 && e.Code != CodeRefundUnavailable || e.Code == platform.CodeNotFound {
		return err
	}
	lang := web.LangOf(r)
	return h.renderDetail(w, r, e.Code.Status(), id, func(d *DetailData) {
		d.Error = e.Message(lang)
		for _, f := range e.Fields {
			d.FieldErrors[f.Field] = platform.T(lang, f.Key, f.Args...)
		}
		d.Form = form
	})
}

// done sends the browser back to the order page with a flash.
func done(w http.ResponseWriter, r *http.Request, id platform.ID, what string) error {
	http.Redirect(w, r, "/console/orders/"+id.String()+"?done="+what, http.StatusSeeOther)
	return nil
}

func formOf(r *http.Request) (platform.ID, ActionForm, error) {
	id, err := web.PathID(r, "id", "order")
	if err != nil {
		return 0, ActionForm{}, err
	}
	if err := r.ParseForm(); err != nil {
		return 0, ActionForm{}, platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := r.PostForm
	return id, ActionForm{Reason: f.Get("reason"), Carrier: f.Get("carrier"), TrackingNo: f.Get("tracking_no"),
		Body: f.Get("body"), Amount: f.Get("amount")}, nil
}

func (h *handlers) cancelForm(w http.ResponseWriter, r *http.Request) error {
	id, form, err := formOf(r)
	if err != nil {
		return err
	}
	if _, err := h.s.Cancel(r.Context(), audit.ActorFrom(r), id, form.Reason); err != nil {
		return h.actionFailed(w, r, id, form, err)
	}
	return done(w, r, id, "cancelled")
}

func (h *handlers) noteForm(w http.ResponseWriter, r *http.Request) error {
	id, form, err := formOf(r)
	if err != nil {
		return err
	}
	if _, err := h.s.AddNote(r.Context(), audit.ActorFrom(r), id, form.Body); err != nil {
		return h.actionFailed(w, r, id, form, err)
	}
	return done(w, r, id, "noted")
}

func (h *handlers) shipForm(w http.ResponseWriter, r *http.Request) error {
	id, form, err := formOf(r)
	if err != nil {
		return err
	}
	if _, err := h.s.Ship(r.Context(), audit.ActorFrom(r), id, ShipInput{Carrier: form.Carrier, TrackingNo: form.TrackingNo}); err != nil {
		return h.actionFailed(w, r, id, form, err)
	}
	return done(w, r, id, "shipped")
}

// refundForm hands the refund to the payment domain (SetRefunder); until
// internal/payment registers one, the page says refunds are unavailable.
func (h *handlers) refundForm(w http.ResponseWriter, r *http.Request) error {
	id, form, err := formOf(r)
	if err != nil {
		return err
	}
	amount, err := platform.ParseMoney(form.Amount)
	if err != nil {
		return h.actionFailed(w, r, id, form, platform.Invalid("amount", "field.invalid"))
	}
	if err := exists(r.Context(), h.db.R, id); err != nil {
		return err
	}
	err = h.s.Refund(r.Context(), RefundRequest{OrderID: id, Amount: amount, Reason: form.Reason, By: audit.ActorFrom(r)})
	if err != nil {
		return h.actionFailed(w, r, id, form, err)
	}
	return done(w, r, id, "refunded")
}

package review

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// FilterForm is the staff filter as typed, to refill the form and build
// links.
type FilterForm struct {
	Status, ProductID, Rating, Flag, From, To string
	Negative, NeedsReply, Oldest              bool
}

func (ff FilterForm) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"status": ff.Status, "product_id": ff.ProductID, "rating": ff.Rating, "flag": ff.Flag, "from": ff.From, "to": ff.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	for k, v := range map[string]bool{"negative": ff.Negative, "needs_reply": ff.NeedsReply, "oldest": ff.Oldest} {
		if v {
			q.Set(k, "1")
		}
	}
	return q
}

// filterOf reads the staff filter; bad values are field errors (422) or
// a bad cursor (400).
func filterOf(r *http.Request) (Filter, FilterForm, error) {
	q := r.URL.Query()
	on := func(k string) bool { return q.Get(k) == "1" || q.Get(k) == "true" }
	ff := FilterForm{Status: q.Get("status"), ProductID: strings.TrimSpace(q.Get("product_id")), Rating: q.Get("rating"), Flag: q.Get("flag"),
		From: q.Get("from"), To: q.Get("to"), Negative: on("negative"), NeedsReply: on("needs_reply"), Oldest: on("oldest")}
	f := Filter{Status: Status(ff.Status), Flag: Flag(ff.Flag), Negative: ff.Negative, NeedsReply: ff.NeedsReply, Oldest: ff.Oldest}
	page, err := web.PageOf(r)
	if err != nil {
		return f, ff, err
	}
	f.Page = page
	if ff.ProductID != "" {
		id, err := platform.ParseID(ff.ProductID)
		if err != nil {
			return f, ff, platform.Invalid("product_id", "field.invalid")
		}
		f.ProductID = id
	}
	if ff.Rating != "" {
		n, err := strconv.Atoi(ff.Rating)
		if err != nil || n < 1 || n > 5 {
			return f, ff, platform.Invalid("rating", "review.field.rating")
		}
		f.Rating = n
	}
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

// daysOf reads ?days= for the reply metric: 1 to 365, default 30.
func daysOf(r *http.Request) (int, error) {
	s := r.URL.Query().Get("days")
	if s == "" {
		return 30, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 365 {
		return 0, platform.Invalid("days", "field.invalid")
	}
	return n, nil
}

func (h *handlers) adminList(w http.ResponseWriter, r *http.Request) error {
	f, _, err := filterOf(r)
	if err != nil {
		return err
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func (h *handlers) adminApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "review")
	if err != nil {
		return err
	}
	v, err := h.s.Approve(r.Context(), audit.ActorFrom(r), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

func (h *handlers) adminReject(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "review")
	if err != nil {
		return err
	}
	var in RejectInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.s.Reject(r.Context(), audit.ActorFrom(r), id, in.Reason)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

func (h *handlers) adminReply(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "review")
	if err != nil {
		return err
	}
	var in ReplyInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.s.Reply(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

func (h *handlers) adminMetric(w http.ResponseWriter, r *http.Request) error {
	days, err := daysOf(r)
	if err != nil {
		return err
	}
	now := h.clock.Now()
	from, to := Period(now, days)
	m, err := MeasureReplies(r.Context(), h.db.R, from, to, now)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, m)
}

package loyalty

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// TiersPage is the console's tier settings and distribution.
type TiersPage struct {
	Tiers    []TierRow
	Total    int64
	CanEdit  bool
	Done     string
	Error    string
	Form     TierForm
	FormTier platform.ID
}

// TierRow is one tier with its share of members.
type TierRow struct {
	TierCount
	Form    TierForm
	Percent float64
}

// TierForm is a tier as the form shows it (money in yuan).
type TierForm struct {
	Code, NameZH, NameEN, MinSpend, PercentOff, FreeShipping, Multiplier, Birthday, TierUp string
	Priority                                                                               bool
}

func formOfTier(t Tier) TierForm {
	return TierForm{Code: t.Code, NameZH: t.NameZH, NameEN: t.NameEN, MinSpend: yuan(t.MinSpend), PercentOff: strconv.Itoa(t.PercentOff),
		FreeShipping: yuan(t.FreeShippingOver), Multiplier: strconv.Itoa(t.PointsMultiplier), Birthday: strconv.FormatInt(t.BirthdayPoints, 10),
		TierUp: strconv.FormatInt(t.TierUpPoints, 10), Priority: t.Priority}
}

// yuan writes fen as a plain decimal a form field takes back.
func yuan(m platform.Money) string {
	s := strconv.FormatInt(int64(m)/100, 10)
	if c := int64(m) % 100; c != 0 {
		s += "." + strconv.FormatInt(100+c, 10)[1:]
	}
	return s
}

// parseYuan reads a form's yuan amount into fen.
func parseYuan(field, s string, e *platform.Error) platform.Money {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1_000_000_000 || len(frac) > 2 {
		e.With(field, "field.invalid")
		return 0
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt((frac + "0")[:2], 10, 64); err != nil || f < 0 {
			e.With(field, "field.invalid")
			return 0
		}
	}
	return platform.Money(w*100 + f)
}

func parseInt(field, s string, e *platform.Error) int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		e.With(field, "field.invalid")
	}
	return n
}

func (h *handlers) tiersPage(w http.ResponseWriter, r *http.Request) error {
	done := r.URL.Query().Get("done")
	if done != "saved" && done != "deleted" {
		done = ""
	}
	return h.renderTiers(w, r, http.StatusOK, TiersPage{Done: done})
}

func (h *handlers) renderTiers(w http.ResponseWriter, r *http.Request, status int, data TiersPage) error {
	d, err := Distribution(r.Context(), h.db.R)
	if err != nil {
		return err
	}
	for _, c := range d {
		data.Total += c.Members
	}
	for _, c := range d {
		row := TierRow{TierCount: c, Form: formOfTier(c.Tier)}
		if data.Total > 0 {
			row.Percent = float64(c.Members) * 100 / float64(data.Total)
		}
		if data.FormTier == c.Tier.ID && data.Error != "" {
			row.Form = data.Form
		}
		data.Tiers = append(data.Tiers, row)
	}
	if data.FormTier != 0 || data.Error == "" {
		data.Form = TierForm{Multiplier: "100"}
	}
	data.CanEdit = web.PrincipalFrom(r.Context()).Can(PermTiers)
	return h.rd.Render(w, r, status, "loyalty/tiers", data)
}

func (h *handlers) tierForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := r.PostForm
	form := TierForm{Code: f.Get("code"), NameZH: f.Get("name_zh"), NameEN: f.Get("name_en"), MinSpend: f.Get("min_spend"),
		PercentOff: f.Get("percent_off"), FreeShipping: f.Get("free_shipping_over"), Multiplier: f.Get("points_multiplier"),
		Birthday: f.Get("birthday_points"), TierUp: f.Get("tier_up_points"), Priority: f.Get("priority") == "on"}
	e := platform.E(platform.CodeInvalid)
	t := Tier{Code: form.Code, NameZH: form.NameZH, NameEN: form.NameEN, MinSpend: parseYuan("min_spend", form.MinSpend, e),
		PercentOff: int(parseInt("percent_off", form.PercentOff, e)), FreeShippingOver: parseYuan("free_shipping_over", form.FreeShipping, e),
		PointsMultiplier: int(parseInt("points_multiplier", form.Multiplier, e)), BirthdayPoints: parseInt("birthday_points", form.Birthday, e),
		TierUpPoints: parseInt("tier_up_points", form.TierUp, e), Priority: form.Priority}
	if id := f.Get("id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			return platform.NotFound("tier")
		}
		t.ID = platform.ID(n)
	}
	var err error
	if len(e.Fields) > 0 {
		err = e
	} else {
		_, err = h.s.SaveTier(r.Context(), audit.ActorFrom(r), t)
	}
	if err == nil {
		http.Redirect(w, r, "/console/loyalty?done=saved", http.StatusSeeOther)
		return nil
	}
	pe := platform.AsError(err)
	if pe.Code == platform.CodeInternal || pe.Code == platform.CodeNotFound {
		return err
	}
	return h.renderTiers(w, r, pe.Code.Status(), TiersPage{Error: problemText(r, pe), Form: form, FormTier: t.ID})
}

// problemText is a problem's message with its field errors, for a form.
func problemText(r *http.Request, e *platform.Error) string {
	lang := web.LangOf(r)
	msg := e.Message(lang)
	for _, fe := range e.Fields {
		msg += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
	}
	return msg
}

func (h *handlers) tierDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "tier")
	if err != nil {
		return err
	}
	if err := h.s.DeleteTier(r.Context(), audit.ActorFrom(r), id); err != nil {
		pe := platform.AsError(err)
		if pe.Code == platform.CodeInternal || pe.Code == platform.CodeNotFound {
			return err
		}
		return h.renderTiers(w, r, pe.Code.Status(), TiersPage{Error: problemText(r, pe)})
	}
	http.Redirect(w, r, "/console/loyalty?done=deleted", http.StatusSeeOther)
	return nil
}

// CustomerPage is one member's points in the console.
type CustomerPage struct {
	AdminPoints
	CustomerID platform.ID
	Name       string
	Mobile     string
	CanAdjust  bool
	Done       bool
	Error      string
	NextURL    string
	Form       struct{ Points, Reason string }
}

func (h *handlers) customerPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderCustomer(w, r, http.StatusOK, "")
}

func (h *handlers) renderCustomer(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	id, err := web.PathID(r, "id", "customer")
	if err != nil {
		return err
	}
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	data := CustomerPage{CustomerID: id, Error: errMsg, Done: r.URL.Query().Get("done") == "adjusted",
		CanAdjust: web.PrincipalFrom(r.Context()).Can(PermAdjust)}
	if data.AdminPoints, err = h.adminData(r, id, page); err != nil {
		return err
	}
	if err := h.db.R.QueryRowContext(r.Context(), `SELECT name, COALESCE(mobile, '') FROM customers WHERE id = $1`, id).
		Scan(&data.Name, &data.Mobile); err != nil {
		return err
	}
	if c := data.Entries.NextCursor; c != "" {
		data.NextURL = "/console/loyalty/customers/" + id.String() + "?cursor=" + url.QueryEscape(c)
	}
	if errMsg != "" {
		data.Form.Points, data.Form.Reason = r.PostForm.Get("points"), r.PostForm.Get("reason")
	}
	return h.rd.Render(w, r, status, "loyalty/customer", data)
}

func (h *handlers) adjustForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "customer")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	pts, perr := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("points")), 10, 64)
	if perr != nil {
		pts = 0 // Validate names the field
	}
	_, err = h.s.Adjust(r.Context(), audit.ActorFrom(r), id, AdjustInput{Points: pts, Reason: r.PostForm.Get("reason")})
	if err == nil {
		http.Redirect(w, r, "/console/loyalty/customers/"+id.String()+"?done=adjusted", http.StatusSeeOther)
		return nil
	}
	pe := platform.AsError(err)
	if pe.Code == platform.CodeInternal || pe.Code == platform.CodeNotFound {
		return err
	}
	return h.renderCustomer(w, r, pe.Code.Status(), problemText(r, pe))
}

// findCustomer opens a member's points page by customer id or mobile
// number, the two things a customer on the phone can give.
func (h *handlers) findCustomer(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	var id platform.ID
	err := h.db.R.QueryRowContext(r.Context(), `SELECT id FROM customers WHERE mobile = $1`, q).Scan(&id)
	if err != nil {
		if n, perr := strconv.ParseInt(q, 10, 64); perr == nil && n > 0 && customerExists(r.Context(), h.db.R, platform.ID(n)) == nil {
			id = platform.ID(n)
		}
	}
	if id == 0 {
		lang := web.LangOf(r)
		return h.renderTiers(w, r, http.StatusNotFound, TiersPage{Error: platform.T(lang, "loyalty.not_found")})
	}
	http.Redirect(w, r, "/console/loyalty/customers/"+id.String(), http.StatusSeeOther)
	return nil
}

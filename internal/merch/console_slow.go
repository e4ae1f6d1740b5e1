package merch

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// SlowData is the slow-mover report's view data.
type SlowData struct {
	Days      int
	Rows      []SlowMover
	TiedUp    platform.Money
	Done      string
	Error     string
	CanAct    bool
	Back      string
	ExportURL string
}

const slowTable = "slow-table"

func (h *handlers) slowPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderSlow(w, r, http.StatusOK, "")
}

func (h *handlers) renderSlow(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	days := 0
	if s := r.URL.Query().Get("days"); s != "" {
		var err error
		if days, err = strconv.Atoi(s); err != nil {
			days = -1
		}
	}
	rows, err := SlowMovers(r.Context(), h.db, days)
	if err != nil {
		return err
	}
	if days == 0 {
		days = 30
	}
	if web.WantsXLSX(r, slowTable) {
		t := &web.Table{ID: slowTable, Name: "slow-movers", Title: "merch.slow_title", Columns: []web.Column{
			{Key: "merch.col.product_id"}, {Key: "merch.col.title"}, {Key: "merch.col.category"}, {Key: "merch.col.stock", Kind: web.ColInt},
			{Key: "merch.col.tied_up", Kind: web.ColMoney}, {Key: "merch.col.sold_recent", Kind: web.ColInt},
			{Key: "merch.col.cover", Kind: web.ColInt}, {Key: "merch.col.last_sale"}, {Key: "merch.col.tags"}}}
		for _, m := range rows {
			cover, last := web.NullCell, web.NullCell
			if m.DaysOfCover != nil {
				cover = web.NumCell(int64(*m.DaysOfCover))
			}
			if m.LastSale != nil {
				last = web.TextCell(m.LastSale.In(platform.ShopZone).Format("2006-01-02"))
			}
			t.Append(web.TextCell(m.ID.String()), web.TextCell(m.Title), web.TextCell(m.Category), web.NumCell(m.Stock),
				web.NumCell(int64(m.TiedUp)), web.NumCell(m.SoldRecent), cover, last, web.TextCell(strings.Join(m.Tags, " ")))
		}
		_, err := web.Export(w, r, t)
		return err
	}
	data := SlowData{Days: days, Rows: rows, Error: errMsg, CanAct: web.PrincipalFrom(r.Context()).Can(PermAct),
		Back: r.URL.RequestURI(), ExportURL: (&web.Table{ID: slowTable}).ExportURL(r)}
	if d := r.URL.Query().Get("done"); status == http.StatusOK && (d == "discount" || d == "delist" || d == "clearance") {
		data.Done = d
	}
	for _, m := range rows {
		data.TiedUp += m.TiedUp
	}
	return h.rd.Render(w, r, status, "merch/slow", data)
}

// slowAction runs one of the report's actions on a product and returns
// to the report.
func (h *handlers) slowAction(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	actor := audit.ActorFrom(r)
	action := r.PathValue("action")
	switch action {
	case "discount":
		pct, perr := strconv.Atoi(r.PostForm.Get("percent"))
		if perr != nil {
			pct = 0
		}
		_, err = h.actions.Discount(r.Context(), actor, id, pct)
	case "delist":
		err = h.actions.Delist(r.Context(), actor, id)
	case "clearance":
		err = h.actions.Clearance(r.Context(), actor, id)
	default:
		return platform.E(platform.CodeRouteNotFound)
	}
	back := web.LocalPath(r.PostForm.Get("back"), "/console/merch/slow")
	u, _ := url.Parse(back)
	if err == nil {
		q := u.Query()
		q.Set("done", action)
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.String(), http.StatusSeeOther)
		return nil
	}
	e := platform.AsError(err)
	if e.Code.Status() >= 500 || e.Code == platform.CodeNotFound {
		return err
	}
	lang := web.LangOf(r)
	msg := e.Message(lang)
	for _, fe := range e.Fields {
		msg += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
	}
	page := r.Clone(r.Context())
	page.Method = http.MethodGet
	page.URL = &url.URL{Path: "/console/merch/slow", RawQuery: u.RawQuery}
	return h.renderSlow(w, page, e.Code.Status(), msg)
}

package analytics

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/strategy"
	"storeops/internal/web"
)

// Presets of the range picker.
const (
	PresetToday  = "today"
	Preset7Days  = "7d"
	Preset30Days = "30d"
	PresetCustom = "custom"
)

// MaxDays bounds a custom range.
const MaxDays = 366

// Selection is the range the viewer picked.
type Selection struct {
	Preset   string
	From, To string // the date inputs, YYYY-MM-DD
	Range    Range
}

// SelectRange reads ?range=today|7d|30d|custom&from=&to= at instant now.
// Presets end now: today is from midnight until now; 7d and 30d are the
// last 7 or 30 days including today. A custom range is whole days, cut at
// now when it reaches today. Errors: CodeInvalid for an unreadable,
// reversed, future or too long custom range.
func SelectRange(q url.Values, now time.Time) (Selection, error) {
	today := strategy.DayOf(now)
	sel := Selection{Preset: q.Get("range")}
	first := today
	switch sel.Preset {
	case PresetToday:
	case Preset30Days:
		first = today.AddDate(0, 0, -29)
	case PresetCustom:
		from, err1 := time.Parse(time.DateOnly, q.Get("from"))
		to, err2 := time.Parse(time.DateOnly, q.Get("to"))
		if err1 != nil || err2 != nil || to.Before(from) || from.After(today) || to.Sub(from) >= MaxDays*24*time.Hour {
			return sel, platform.Invalid("range", "analytics.bad_range")
		}
		sel.From, sel.To = from.Format(time.DateOnly), to.Format(time.DateOnly)
		sel.Range = DayRange(from, to)
		if sel.Range.To.After(now) {
			sel.Range.To = now
		}
		return sel, nil
	default:
		sel.Preset = Preset7Days
		first = today.AddDate(0, 0, -6)
	}
	sel.From, sel.To = first.Format(time.DateOnly), today.Format(time.DateOnly)
	sel.Range = Range{From: strategy.DayStart(first), To: now}
	return sel, nil
}

// OverviewPage is the Overview's view data.
type OverviewPage struct {
	Sel        Selection
	Presets    []PresetLink
	RangeLabel string
	PrevLabel  string
	YoYLabel   string
	KPIs       []KPI
	// Chart is marshalled by html/template into the page's JSON block.
	Chart         Chart
	TopProducts   *web.Table
	TopCategories *web.Table
	ExportProducts,
	ExportCategories string
	Targets   []TargetView
	CanManage bool
	Error     string
}

// PresetLink is one button of the range picker.
type PresetLink struct {
	Key    string
	Label  string
	URL    string
	Active bool
}

// KPI is one card.
type KPI struct {
	ID    string
	Label string
	Value string
	Prev  Delta
	YoY   Delta
}

// Delta is a change against a base: a relative percentage for amounts and
// counts, a difference in percentage points for rates.
type Delta struct {
	Text string
	// Class is "good", "bad" or "" (no change or no base).
	Class string
}

// Chart is the trend data the page's script draws; amounts in yuan.
type Chart struct {
	Days   []string      `json:"days"`
	GMV    []ChartSeries `json:"gmv"`
	Orders []ChartSeries `json:"orders"`
}

// ChartSeries is one line; Dates are the real days of each point (the
// previous and last year's lines are aligned by position).
type ChartSeries struct {
	Name  string    `json:"name"`
	Data  []float64 `json:"data"`
	Dates []string  `json:"dates"`
}

// TargetView is one target's progress as the page shows it.
type TargetView struct {
	ID         string
	Label      string
	Actual     string
	Target     string
	Expected   string
	Forecast   string
	ProgressBP int64
	Progress   string
	Bar        int64 // 0..100, the progress bar's width
	Pacing     string
	Ahead      bool
	State      string
	Seasonal   bool
	ForecastOf string
}

func (h *handlers) overview(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	now := h.clock.Now()
	sel, err := SelectRange(r.URL.Query(), now)
	page := OverviewPage{CanManage: web.PrincipalFrom(r.Context()).Can(strategy.PermManage)}
	status := http.StatusOK
	if err != nil {
		e := platform.AsError(err)
		page.Error = platform.T(lang, "analytics.bad_range")
		status = e.Code.Status()
		sel, _ = SelectRange(url.Values{}, now)
	}
	page.Sel = sel
	o, err := h.svc.Overview(r.Context(), sel.Range, lang, TopN)
	if err != nil {
		return err
	}
	page.TopProducts, page.TopCategories = productTable(o.TopProducts), categoryTable(o.TopCategories)
	if done, err := web.Export(w, r, page.TopProducts, page.TopCategories); done {
		return err
	}
	page.ExportProducts, page.ExportCategories = page.TopProducts.ExportURL(r), page.TopCategories.ExportURL(r)
	for _, p := range []string{PresetToday, Preset7Days, Preset30Days} {
		page.Presets = append(page.Presets, PresetLink{Key: p, Label: platform.T(lang, "analytics.preset."+p),
			URL: "/console/overview?range=" + p, Active: sel.Preset == p})
	}
	page.RangeLabel, page.PrevLabel, page.YoYLabel = rangeLabel(o.Range), rangeLabel(o.Prev), rangeLabel(o.YoY)
	page.KPIs = kpis(lang, o)
	page.Chart = chart(lang, o)
	progress, err := h.svc.TargetProgress(r.Context(), now)
	if err != nil {
		return err
	}
	for _, p := range progress {
		page.Targets = append(page.Targets, targetView(lang, p))
	}
	return h.rd.Render(w, r, status, "analytics/overview", page)
}

// rangeLabel is "2026-11-19 ~ 2026-11-25 15:04" (the end time only when
// the range stops before midnight).
func rangeLabel(r Range) string {
	days := r.Days()
	if len(days) == 0 {
		return ""
	}
	first, last := days[0].Format(time.DateOnly), days[len(days)-1].Format(time.DateOnly)
	end := r.To.In(platform.ShopZone)
	suffix := ""
	if end.Hour() != 0 || end.Minute() != 0 || end.Second() != 0 || end.Nanosecond() != 0 {
		suffix = " " + end.Format("15:04")
	}
	if first == last {
		return first + suffix
	}
	return first + " ~ " + last + suffix
}

func kpis(lang platform.Lang, o Overview) []KPI {
	c, p, y := o.Cur, o.PrevF, o.YoYF
	amount := func(id, key string, cur, prev, yoy int64, show string) KPI {
		return KPI{ID: id, Label: platform.T(lang, key), Value: show, Prev: relDelta(cur, prev, false), YoY: relDelta(cur, yoy, false)}
	}
	rate := func(id, key string, cur, prev, yoy int64, inverse bool) KPI {
		return KPI{ID: id, Label: platform.T(lang, key), Value: web.FormatBasisPoints(cur), Prev: ppDelta(cur, prev, inverse), YoY: ppDelta(cur, yoy, inverse)}
	}
	return []KPI{
		amount("kpi-gmv", "analytics.kpi.gmv", int64(c.GMV), int64(p.GMV), int64(y.GMV), c.GMV.String()),
		amount("kpi-orders", "analytics.kpi.orders", c.Orders, p.Orders, y.Orders, fmt.Sprint(c.Orders)),
		amount("kpi-aov", "analytics.kpi.aov", int64(c.AOV()), int64(p.AOV()), int64(y.AOV()), c.AOV().String()),
		amount("kpi-gross-profit", "analytics.kpi.gross_profit", int64(c.GrossProfit()), int64(p.GrossProfit()), int64(y.GrossProfit()), c.GrossProfit().String()),
		rate("kpi-margin", "analytics.kpi.margin", c.MarginBP(), p.MarginBP(), y.MarginBP(), false),
		rate("kpi-refund-rate", "analytics.kpi.refund_rate", c.RefundRateBP(), p.RefundRateBP(), y.RefundRateBP(), true),
		amount("kpi-new", "analytics.kpi.new", c.NewCustomers, p.NewCustomers, y.NewCustomers, fmt.Sprint(c.NewCustomers)),
		amount("kpi-returning", "analytics.kpi.returning", c.ReturningCustomers(), p.ReturningCustomers(), y.ReturningCustomers(), fmt.Sprint(c.ReturningCustomers())),
	}
}

// relDelta is the relative change as "+12.34%"; "—" without a base.
func relDelta(cur, base int64, inverse bool) Delta {
	bp, ok := DeltaBP(cur, base)
	if !ok {
		return Delta{Text: "—"}
	}
	return signed(bp, web.FormatBasisPoints(abs(bp)), inverse)
}

// ppDelta is the difference of two rates in percentage points: "+1.20pp".
func ppDelta(cur, base int64, inverse bool) Delta {
	d := cur - base
	return signed(d, strings.TrimSuffix(web.FormatBasisPoints(abs(d)), "%")+"pp", inverse)
}

func signed(v int64, text string, inverse bool) Delta {
	switch {
	case v > 0:
		d := Delta{Text: "↑" + text, Class: "good"}
		if inverse {
			d.Class = "bad"
		}
		return d
	case v < 0:
		d := Delta{Text: "↓" + text, Class: "bad"}
		if inverse {
			d.Class = "good"
		}
		return d
	}
	return Delta{Text: text}
}

func chart(lang platform.Lang, o Overview) Chart {
	var c Chart
	for _, d := range o.Daily {
		c.Days = append(c.Days, d.Day.Format(time.DateOnly))
	}
	series := []struct {
		key  string
		days []Day
	}{{"analytics.series.current", o.Daily}, {"analytics.series.prev", o.PrevDaily}, {"analytics.series.yoy", o.YoYD}}
	for _, s := range series {
		g := ChartSeries{Name: platform.T(lang, s.key), Data: []float64{}, Dates: []string{}}
		n := ChartSeries{Name: g.Name, Data: []float64{}, Dates: []string{}}
		for i := range o.Daily {
			if i >= len(s.days) {
				break
			}
			d := s.days[i]
			date := d.Day.Format(time.DateOnly)
			g.Data = append(g.Data, float64(d.GMV)/100) // display only
			g.Dates = append(g.Dates, date)
			n.Data = append(n.Data, float64(d.Orders))
			n.Dates = append(n.Dates, date)
		}
		c.GMV = append(c.GMV, g)
		c.Orders = append(c.Orders, n)
	}
	return c
}

func productTable(rows []ProductSales) *web.Table {
	t := &web.Table{ID: "top-products", Name: "top-products", Title: "analytics.top_products", Empty: "analytics.none", Columns: []web.Column{
		{Key: "analytics.col.rank", Kind: web.ColInt},
		{Key: "analytics.col.product", Kind: web.ColText},
		{Key: "analytics.col.quantity", Kind: web.ColInt},
		{Key: "analytics.col.orders", Kind: web.ColInt},
		{Key: "analytics.col.sales", Kind: web.ColMoney},
		{Key: "analytics.col.share", Kind: web.ColPercent},
	}}
	for i, p := range rows {
		t.Append(web.NumCell(int64(i+1)), web.TextCell(p.Title), web.NumCell(p.Quantity), web.NumCell(p.Orders), web.NumCell(int64(p.Sales)), web.NumCell(p.ShareBP))
	}
	return t
}

func categoryTable(rows []CategorySales) *web.Table {
	t := &web.Table{ID: "top-categories", Name: "top-categories", Title: "analytics.top_categories", Empty: "analytics.none", Columns: []web.Column{
		{Key: "analytics.col.rank", Kind: web.ColInt},
		{Key: "analytics.col.category", Kind: web.ColText},
		{Key: "analytics.col.quantity", Kind: web.ColInt},
		{Key: "analytics.col.orders", Kind: web.ColInt},
		{Key: "analytics.col.sales", Kind: web.ColMoney},
		{Key: "analytics.col.share", Kind: web.ColPercent},
	}}
	for i, c := range rows {
		t.Append(web.NumCell(int64(i+1)), web.TextCell(c.Name), web.NumCell(c.Quantity), web.NumCell(c.Orders), web.NumCell(int64(c.Sales)), web.NumCell(c.ShareBP))
	}
	return t
}

func targetView(lang platform.Lang, p strategy.Progress) TargetView {
	t := p.Target
	show := func(v int64) string { return strategy.DisplayValue(t.Metric, v) }
	v := TargetView{
		ID:     "target-" + string(t.Period.Kind) + "-" + string(t.Metric),
		Label:  strategy.PeriodLabel(lang, t.Period) + " · " + platform.T(lang, "strategy.metric."+string(t.Metric)),
		Actual: show(p.Actual), Target: show(t.Value), Expected: show(p.Expected), Forecast: show(p.Forecast),
		ProgressBP: p.ProgressBP, Progress: web.FormatBasisPoints(p.ProgressBP), Bar: min(max(p.ProgressBP/100, 0), 100),
		Pacing: web.FormatBasisPoints(p.PacingBP), Ahead: p.Ahead, State: string(p.State), Seasonal: p.Seasonal,
		ForecastOf: web.FormatBasisPoints(p.ForecastBP),
	}
	return v
}

package strategy

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

//go:embed templates
var templatesFS embed.FS

// PermManage lets a user set targets: the owner only.
const PermManage platform.Permission = "strategy.manage"

// PermView is the permission that shows targets. It is the analytics
// permission (every role); strategy names it rather than importing
// analytics, which imports strategy.
const PermView platform.Permission = "analytics.view"

// Module registers the targets table and the targets page.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{svc: &Service{DB: d.DB}}
	return &module.Module{
		Name:       "strategy",
		Migrations: []store.Migrations{Migrations()},
		Permissions: []platform.PermissionDef{{
			Perm:  PermManage,
			Label: platform.Message{ZH: "设定阶段目标", EN: "Set staged targets"},
		}},
		Messages:  texts,
		Menu:      []web.MenuItem{{Section: "nav.analytics", Label: "strategy.nav", Path: "/console/targets", Perm: PermView, Order: 20}},
		Templates: tpl,
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(
				web.Route{Method: http.MethodGet, Path: "/console/targets", Surface: web.Console, Perm: PermView, Handler: h.page},
				web.Route{Method: http.MethodPost, Path: "/console/targets", Surface: web.Console, Perm: PermManage, Handler: h.save},
			)
		},
	}, nil
}

type handlers struct {
	svc *Service
	rd  *web.Renderer
}

// FormData is the targets page's view data.
type FormData struct {
	Period    Period
	Code      string
	Periods   []PeriodOption
	Values    map[Metric]string
	Errors    map[string]string
	Error     string
	Saved     bool
	CanManage bool
	Targets   []TargetRow
}

// MetricList is the metrics in form order.
func (FormData) MetricList() []Metric { return Metrics }

// PeriodOption is one choice of the period select.
type PeriodOption struct {
	Code     string
	Label    string
	Selected bool
}

// TargetRow is one stored target as the list shows it.
type TargetRow struct {
	Period    string
	Metric    string
	Value     string
	UpdatedBy string
	UpdatedAt string
}

func (h *handlers) page(w http.ResponseWriter, r *http.Request) error {
	p := PeriodOf(Month, h.svc.DB.Clock.Now())
	if code := r.URL.Query().Get("period"); code != "" {
		if q, err := ParsePeriod(code); err == nil {
			p = q
		}
	}
	data, err := h.form(r, p)
	if err != nil {
		return err
	}
	current, err := h.svc.Targets(r.Context(), p)
	if err != nil {
		return err
	}
	for _, t := range current {
		data.Values[t.Metric] = FormatValue(t.Metric, t.Value)
	}
	data.Saved = r.URL.Query().Get("saved") == "1"
	return h.rd.Render(w, r, http.StatusOK, "strategy/targets", data)
}

// form builds the page around period p, with the list of every target.
func (h *handlers) form(r *http.Request, p Period) (FormData, error) {
	lang := web.LangOf(r)
	data := FormData{Period: p, Code: p.Code(), Values: map[Metric]string{}, Errors: map[string]string{},
		CanManage: web.PrincipalFrom(r.Context()).Can(PermManage)}
	now := h.svc.DB.Clock.Now()
	seen := map[string]bool{}
	for _, kind := range Kinds {
		cur := PeriodOf(kind, now)
		for _, q := range []Period{cur.Prev(), cur, cur.Next(), cur.Next().Next()} {
			data.Periods = append(data.Periods, PeriodOption{Code: q.Code(), Label: PeriodLabel(lang, q), Selected: q == p})
			seen[q.Code()] = true
		}
	}
	if !seen[p.Code()] {
		data.Periods = append(data.Periods, PeriodOption{Code: p.Code(), Label: PeriodLabel(lang, p), Selected: true})
	}
	all, err := h.svc.Targets(r.Context())
	if err != nil {
		return data, err
	}
	for _, t := range all {
		data.Targets = append(data.Targets, TargetRow{
			Period: PeriodLabel(lang, t.Period), Metric: platform.T(lang, "strategy.metric."+string(t.Metric)),
			Value: DisplayValue(t.Metric, t.Value), UpdatedBy: t.UpdatedBy,
			UpdatedAt: t.UpdatedAt.In(platform.ShopZone).Format("2006-01-02 15:04"),
		})
	}
	return data, nil
}

func (h *handlers) save(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	lang := web.LangOf(r)
	p, perr := ParsePeriod(r.PostForm.Get("period"))
	if perr != nil {
		p = PeriodOf(Month, h.svc.DB.Clock.Now())
	}
	ch := Change{Period: p, Values: map[Metric]*int64{}, By: principalName(web.PrincipalFrom(r.Context()))}
	bad := platform.E(platform.CodeInvalid)
	if perr != nil {
		bad.With("period", "strategy.bad_period")
	}
	for _, m := range Metrics {
		raw := strings.TrimSpace(r.PostForm.Get(string(m)))
		if raw == "" {
			ch.Values[m] = nil
			continue
		}
		v, err := ParseValue(m, raw)
		if err != nil {
			bad.With(string(m), "strategy.bad_value")
			continue
		}
		ch.Values[m] = &v
	}
	err := error(nil)
	if len(bad.Fields) > 0 {
		err = bad
	} else {
		actor := audit.ActorFrom(r)
		err = h.svc.Apply(r.Context(), ch, func(ctx context.Context, tx *store.Tx, action string, id platform.ID, before, after *Target) error {
			var b, a any
			if before != nil {
				b = before
			}
			if after != nil {
				a = after
			}
			return audit.Change(ctx, tx, actor, action, "strategy_target", id, b, a)
		})
	}
	if err != nil {
		e := platform.AsError(err)
		if e.Code != platform.CodeInvalid {
			return err
		}
		data, ferr := h.form(r, p)
		if ferr != nil {
			return ferr
		}
		for _, m := range Metrics {
			data.Values[m] = r.PostForm.Get(string(m))
		}
		for _, f := range e.Fields {
			data.Errors[f.Field] = platform.T(lang, f.Key, f.Args...)
		}
		data.Error = e.Message(lang)
		return h.rd.Render(w, r, e.Code.Status(), "strategy/targets", data)
	}
	http.Redirect(w, r, "/console/targets?"+url.Values{"period": {p.Code()}, "saved": {"1"}}.Encode(), http.StatusSeeOther)
	return nil
}

func principalName(p *web.Principal) string {
	if p == nil {
		return ""
	}
	if p.Name != "" {
		return p.Name
	}
	return p.Actor()
}

// ParseValue reads a target as the form writes it: yuan for money metrics
// ("1200000", "1,200,000.50"), a percentage with at most two decimals for
// the rate ("35", "35.5").
func ParseValue(m Metric, s string) (int64, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	// A percentage with two decimals is read exactly like yuan with fen:
	// "35.5" → 3550, which is basis points.
	v, err := platform.ParseMoney(s)
	if err != nil {
		return 0, err
	}
	return int64(v), nil
}

// FormatValue writes a target back into the form's notation.
func FormatValue(m Metric, v int64) string {
	s := strings.ReplaceAll(strings.TrimPrefix(platform.Money(v).String(), "¥"), ",", "")
	return strings.TrimSuffix(s, ".00")
}

// DisplayValue shows a target: ¥1,200,000.00 or 35.50%.
func DisplayValue(m Metric, v int64) string {
	if m.Money() {
		return platform.Money(v).String()
	}
	return web.FormatBasisPoints(v)
}

// PeriodLabel names a period: 2026年11月 / Nov 2026, 2026年第4季度 / 2026 Q4.
func PeriodLabel(lang platform.Lang, p Period) string {
	if p.Kind == Quarter {
		return platform.T(lang, "strategy.quarter_label", p.Start.Year(), (int(p.Start.Month())-1)/3+1)
	}
	if lang == platform.EN {
		return p.Start.Format("Jan 2006")
	}
	return platform.T(lang, "strategy.month_label", p.Start.Year(), int(p.Start.Month()))
}

var texts = platform.Texts{
	"nav.analytics":                   {"经营分析", "Analytics"},
	"strategy.nav":                    {"阶段目标", "Targets"},
	"strategy.title":                  {"阶段目标", "Staged targets"},
	"strategy.period":                 {"周期", "Period"},
	"strategy.metric":                 {"指标", "Metric"},
	"strategy.value":                  {"目标值", "Target"},
	"strategy.updated":                {"更新", "Updated"},
	"strategy.save":                   {"保存目标", "Save targets"},
	"strategy.saved":                  {"目标已保存", "Targets saved"},
	"strategy.show":                   {"查看", "Show"},
	"strategy.all":                    {"全部目标", "All targets"},
	"strategy.none":                   {"尚未设定目标", "No targets yet"},
	"strategy.owner_only":             {"只有店主可以设定目标。", "Only the owner can set targets."},
	"strategy.hint":                   {"金额以元为单位，复购率以百分比填写；留空即删除该项目标。", "Amounts in yuan, the repeat rate in percent; leave a field empty to remove that target."},
	"strategy.metric.gmv":             {"GMV（成交额）", "GMV"},
	"strategy.metric.gross_profit":    {"毛利", "Gross profit"},
	"strategy.metric.repeat_rate":     {"复购率", "Repeat-purchase rate"},
	"strategy.unit.gmv":               {"元", "yuan"},
	"strategy.unit.gross_profit":      {"元", "yuan"},
	"strategy.unit.repeat_rate":       {"%", "%"},
	"strategy.month_label":            {"%d年%d月", "%d-%02d"},
	"strategy.quarter_label":          {"%d年第%d季度", "%d Q%d"},
	"strategy.bad_period":             {"请选择有效的月份或季度", "Choose a valid month or quarter"},
	"strategy.bad_value":              {"请输入数字，最多两位小数", "Enter a number with at most two decimals"},
	"strategy.positive":               {"目标必须大于 0", "The target must be greater than 0"},
	"strategy.rate_max":               {"比率不能超过 100%", "A rate cannot exceed 100%"},
	"kind.target":                     {"目标", "target"},
	"strategy.progress.title":         {"目标进度", "Target progress"},
	"strategy.progress.actual":        {"实际", "Actual"},
	"strategy.progress.progress":      {"完成度", "Progress"},
	"strategy.progress.pacing":        {"进度节奏", "Pacing"},
	"strategy.progress.expected":      {"按时间应达", "Expected by now"},
	"strategy.progress.forecast":      {"期末预测", "Forecast at period end"},
	"strategy.progress.ahead":         {"领先", "Ahead"},
	"strategy.progress.behind":        {"落后", "Behind"},
	"strategy.progress.none":          {"本月和本季度尚未设定目标。", "No targets for this month or quarter."},
	"strategy.progress.set":           {"设定目标", "Set targets"},
	"strategy.progress.seasonal":      {"含去年同期季节性", "shaped by last year's season"},
	"strategy.progress.elapsed":       {"时间进度", "Time elapsed"},
	"strategy.progress.not_started":   {"未开始", "Not started"},
	"strategy.progress.ended":         {"已结束", "Ended"},
	"strategy.progress.forecast_note": {"预测 = 至今实际 + 近14天日均 × 剩余天数 × 去年同期季节系数（无去年数据时为 1）；复购率的预测即当前值。", "Forecast = actual to date + 14-day daily average × remaining days × last year's seasonal ratio (1 without last year's data); a rate's forecast is its current value."},
}

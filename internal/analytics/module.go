package analytics

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/riverqueue/river"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/strategy"
	"storeops/internal/web"
)

//go:embed templates
var templatesFS embed.FS

//go:embed migrations
var migrationsFS embed.FS

// Migrations are the reporting indexes on the order tables and the daily
// rollups.
func Migrations() store.Migrations {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		panic(err)
	}
	return store.Migrations{Name: "analytics", FS: sub}
}

// PermView lets a staff user see sales figures: every role holds it.
const PermView platform.Permission = "analytics.view"

// TopN is how many products and categories the Overview ranks.
const TopN = 10

// Module registers the Overview page, first in the console's menu so
// GET /console lands on it.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{svc: &Service{DB: d.DB, Targets: &strategy.Service{DB: d.DB}}, clock: d.Clock}
	return &module.Module{
		Name:       "analytics",
		Migrations: []store.Migrations{Migrations()},
		Permissions: []platform.PermissionDef{{
			Perm:  PermView,
			Label: platform.Message{ZH: "查看经营数据（概览、目标）", EN: "View sales figures (overview, targets)"},
			Roles: platform.StaffRoles[1:],
		}},
		Messages: texts,
		Workers: func(w *river.Workers) {
			river.AddWorker(w, &refreshWorker{db: d.DB})
		},
		Periodic:  []*river.PeriodicJob{refreshJob()},
		Demo:      []module.DemoStep{DemoStep()},
		Menu:      []web.MenuItem{{Section: "nav.analytics", Label: "analytics.nav.overview", Path: "/console/overview", Perm: PermView, Order: 10}},
		Templates: tpl,
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(web.Route{Method: http.MethodGet, Path: "/console/overview", Surface: web.Console, Perm: PermView, Handler: h.overview})
		},
	}, nil
}

type handlers struct {
	svc   *Service
	rd    *web.Renderer
	clock platform.Clock
}

var texts = platform.Texts{
	"nav.analytics":                {"经营分析", "Analytics"},
	"analytics.nav.overview":       {"经营概览", "Overview"},
	"analytics.title":              {"经营概览", "Overview"},
	"analytics.preset.today":       {"今日", "Today"},
	"analytics.preset.7d":          {"近7天", "Last 7 days"},
	"analytics.preset.30d":         {"近30天", "Last 30 days"},
	"analytics.preset.custom":      {"自定义", "Custom"},
	"analytics.from":               {"开始日期", "From"},
	"analytics.to":                 {"结束日期", "To"},
	"analytics.apply":              {"查询", "Apply"},
	"analytics.range":              {"统计区间", "Range"},
	"analytics.vs_prev":            {"较上期", "vs previous"},
	"analytics.vs_yoy":             {"同比", "YoY"},
	"analytics.no_base":            {"—", "—"},
	"analytics.kpi.gmv":            {"GMV（成交额）", "GMV"},
	"analytics.kpi.orders":         {"订单数", "Orders"},
	"analytics.kpi.aov":            {"客单价", "Average order value"},
	"analytics.kpi.gross_profit":   {"毛利", "Gross profit"},
	"analytics.kpi.margin":         {"毛利率", "Margin"},
	"analytics.kpi.refund_rate":    {"退款率", "Refund rate"},
	"analytics.kpi.new":            {"新客数", "New customers"},
	"analytics.kpi.returning":      {"老客数", "Returning customers"},
	"analytics.chart.gmv":          {"GMV 趋势", "GMV trend"},
	"analytics.chart.orders":       {"订单数趋势", "Orders trend"},
	"analytics.series.current":     {"本期", "This period"},
	"analytics.series.prev":        {"上期", "Previous period"},
	"analytics.series.yoy":         {"去年同期", "Same period last year"},
	"analytics.top_products":       {"热销商品", "Top products"},
	"analytics.top_categories":     {"热销类目", "Top categories"},
	"analytics.export":             {"导出 Excel", "Export Excel"},
	"analytics.col.rank":           {"排名", "Rank"},
	"analytics.col.product":        {"商品", "Product"},
	"analytics.col.category":       {"类目", "Category"},
	"analytics.col.quantity":       {"销量（件）", "Units"},
	"analytics.col.orders":         {"订单数", "Orders"},
	"analytics.col.sales":          {"销售额", "Sales"},
	"analytics.col.share":          {"占比", "Share"},
	"analytics.none":               {"该区间暂无成交", "No sales in this range"},
	"analytics.bad_range":          {"请选择有效的日期区间（最长 366 天，不晚于今天）", "Choose a valid date range (at most 366 days, not after today)"},
	"analytics.definitions":        {"指标口径", "Definitions"},
	"analytics.definitions.detail": {"GMV = 区间内下单且已支付（不含待付款、已取消）订单的实付金额之和；客单价 = GMV ÷ 订单数；毛利 = GMV − 商品成本 − 这些订单的退款额；毛利率 = 毛利 ÷ GMV；退款率 = 退款额 ÷ GMV；新客 = 首笔有效订单落在区间内的顾客。日期按北京时间。比率的变化以百分点表示。", "GMV = amount paid on orders placed in the range that were paid (not pending payment, not cancelled); AOV = GMV ÷ orders; gross profit = GMV − cost of goods − refunds on those orders; margin = gross profit ÷ GMV; refund rate = refunds ÷ GMV; new customer = first counted order falls in the range. Days in China time. Changes of rates are in percentage points."},
}

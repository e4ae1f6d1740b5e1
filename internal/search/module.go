// Package search finds on-sale products for shoppers: Chinese words cut
// by a segmenter with a shop dictionary (and bigrams where it cuts
// differently), pinyin and its initials (lianyiqun, lyq → 连衣裙),
// synonyms managed in the console, typo tolerance for Latin words and
// model numbers, facets, sorts and highlighting, and autocomplete.
//
// Each node keeps its own in-memory index, built from the database on
// start (and whenever it is missing or disagrees with the database) and
// kept current by a per-node outbox consumer of catalog.product_changed.
// Every search is logged, off the request path, with its result count;
// clicks and purchases attach to the logged search for keyword reports.
// Attribution is explicit rather than guessed from page views: each
// result carries a search_id, the storefront reports a click with
// POST /api/v1/search/clicks, and the order flow reports a purchase of a
// product reached from a search with LogFor(db).Feedback.
package search

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"storeops/internal/catalog"
	"storeops/internal/module"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

//go:embed migrations
var migrationsFS embed.FS

//go:embed templates
var templatesFS embed.FS

// Migrations are the search tables: synonyms and the search log.
func Migrations() store.Migrations {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		panic(err)
	}
	return store.Migrations{Name: "search", FS: sub}
}

// PermManage lets staff edit the synonyms that shape search results.
const PermManage platform.Permission = "search.manage"

// Module registers search: its tables, the public search API, the
// synonyms console page, this node's index consumer and the log writer.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	engine := NewEngine(d.DB, EngineConfig{Log: d.Log})
	searchLog := NewLog(d.DB, LogConfig{Log: d.Log})
	register(d.DB, engine, searchLog)
	h := &handlers{engine: engine, log: searchLog, synonyms: &Synonyms{db: d.DB}, todos: NewTodos(d.DB), catalog: catalog.NewAdmin(d.DB)}
	return &module.Module{
		Name:       "search",
		Migrations: []store.Migrations{Migrations()},
		Permissions: []platform.PermissionDef{{
			Perm:  PermManage,
			Label: platform.Message{ZH: "管理搜索同义词和关键词建议", EN: "Manage search synonyms and keyword fixes"},
			Roles: []platform.Role{platform.RoleOwner, platform.RoleAdmin, platform.RoleCatalog, platform.RoleMarketing},
		}, {
			Perm:  PermReport,
			Label: platform.Message{ZH: "查看搜索关键词报告", EN: "View the search keyword report"},
			Roles: []platform.Role{platform.RoleOwner, platform.RoleAdmin, platform.RoleCatalog, platform.RoleMarketing, platform.RoleAnalyst},
		}},
		Messages: texts,
		Menu: []web.MenuItem{
			{Section: "nav.catalog", Label: "search.nav.synonyms", Path: "/console/search/synonyms", Perm: PermManage, Order: 250},
			{Section: "nav.catalog", Label: "search.nav.keywords", Path: "/console/search/keywords", Perm: PermReport, Order: 251},
		},
		Templates:  tpl,
		Consumers:  []outbox.Consumer{engine.Consumer()},
		Demo:       []module.DemoStep{DemoStep()},
		Collectors: []prometheus.Collector{logDropped, logWritten},
		Workers:    func(w *river.Workers) { river.AddWorker(w, &logRetentionWorker{db: d.DB}) },
		Periodic:   []*river.PeriodicJob{logRetentionJob()},
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(h.apiRoutes()...)
			r.Add(web.Route{Method: http.MethodGet, Path: "/search", Surface: web.Shop, Handler: h.searchPage})
			r.Add(
				web.Route{Method: http.MethodGet, Path: "/console/search/synonyms", Surface: web.Console, Perm: PermManage, Handler: h.synonymsPage},
				web.Route{Method: http.MethodPost, Path: "/console/search/synonyms", Surface: web.Console, Perm: PermManage, Handler: h.synonymAdd},
				web.Route{Method: http.MethodPost, Path: "/console/search/synonyms/{id}/delete", Surface: web.Console, Perm: PermManage, Handler: h.synonymDelete},
				web.Route{Method: http.MethodGet, Path: "/console/search/keywords", Surface: web.Console, Perm: PermReport, Handler: h.keywordsPage},
				web.Route{Method: http.MethodPost, Path: "/console/search/keywords/synonym", Surface: web.Console, Perm: PermManage, Handler: h.keywordSynonym},
				web.Route{Method: http.MethodPost, Path: "/console/search/keywords/title", Surface: web.Console, Perm: PermManage, Handler: h.keywordTitle},
				web.Route{Method: http.MethodPost, Path: "/console/search/keywords/todo", Surface: web.Console, Perm: PermManage, Handler: h.keywordTodo},
				web.Route{Method: http.MethodPost, Path: "/console/search/keywords/todo/{id}/done", Surface: web.Console, Perm: PermManage, Handler: h.keywordTodoDone},
			)
		},
		Start: func(ctx context.Context) error {
			if err := searchLog.Start(ctx); err != nil {
				return err
			}
			return engine.Start(ctx)
		},
		Stop: func(ctx context.Context) {
			engine.Stop(ctx)
			searchLog.Stop(ctx)
		},
	}, nil
}

// nodes are the module's engine and log by database, for other domains
// (the storefront's search page, the order flow reporting purchases) that
// run in the same process but cannot be handed them through module.Deps.
var nodes sync.Map // *store.DB → *node

type node struct {
	engine *Engine
	log    *Log
}

func register(db *store.DB, e *Engine, l *Log) { nodes.Store(db, &node{engine: e, log: l}) }

// EngineFor is the search engine the module made for db, or nil when the
// search module was not built on it. The storefront searches through it.
func EngineFor(db *store.DB) *Engine {
	if n, ok := nodes.Load(db); ok {
		return n.(*node).engine
	}
	return nil
}

// LogFor is the search log the module made for db, or nil. The order
// flow reports a purchase of a product reached from a search with
// LogFor(db).Feedback(searchID, productID, FeedbackPurchase).
func LogFor(db *store.DB) *Log {
	if n, ok := nodes.Load(db); ok {
		return n.(*node).log
	}
	return nil
}

// handlers serve the search API and the synonyms page.
type handlers struct {
	engine   *Engine
	log      *Log
	synonyms *Synonyms
	todos    *Todos
	catalog  *catalog.Admin
	rd       *web.Renderer
}

var texts = platform.Texts{
	"kind.search_synonym":         {"同义词组", "synonym group"},
	"search.query_too_long":       {"搜索词不能超过 %d 个字", "must be at most %d characters"},
	"search.unknown_sort":         {"排序方式只能是 relevance、sales、price_asc、price_desc 或 newest", "must be relevance, sales, price_asc, price_desc or newest"},
	"search.unknown_brand":        {"品牌不存在", "is not a known brand"},
	"search.bad_price":            {"价格须为 0 到 100000000000 之间的整数（单位：分）", "must be a whole number of fen from 0 to 100000000000"},
	"search.price_range":          {"最高价不能低于最低价", "must not be below price_min"},
	"search.bad_attr":             {"属性筛选须为“名称:值”，最多 10 个，每个不超过 64 字节", "must be name:value, at most 10 of them, each at most 64 bytes"},
	"search.bad_feedback":         {"需要有效的 search_id 和 product_id", "needs a valid search_id and product_id"},
	"search.synonym_needs_two":    {"同义词组至少需要两个不同的词，用逗号分隔", "a group needs at least two different words, separated by commas"},
	"search.synonym_too_long":     {"每个词不能超过 %d 个字", "each word must be at most %d characters"},
	"search.synonym_too_many":     {"一组最多 %d 个词", "a group has at most %d words"},
	"search.synonym_exists":       {"该同义词组已存在", "this synonym group already exists"},
	"search.nav.synonyms":         {"搜索同义词", "Search synonyms"},
	"search.synonyms.title":       {"搜索同义词", "Search synonyms"},
	"search.synonyms.help":        {"同一组里的词在搜索时互相等同，例如“手机壳, 保护壳”。修改在几秒内对所有节点生效。", "Words in one group match each other in searches, e.g. \"手机壳, 保护壳\". Changes reach every node within seconds."},
	"search.synonyms.terms":       {"同义词（逗号分隔）", "Words (comma separated)"},
	"search.synonyms.add":         {"添加", "Add"},
	"search.synonyms.delete":      {"删除", "Delete"},
	"search.synonyms.empty":       {"还没有同义词组", "No synonym groups yet"},
	"search.synonyms.created":     {"创建时间", "Created"},
	"search.synonyms.saved":       {"已保存", "Saved"},
	"search.synonyms.col_terms":   {"同义词", "Words"},
	"search.synonyms.col_actions": {"操作", "Actions"},
	"search.page.title":           {"搜索商品", "Search products"},
	"search.page.placeholder":     {"搜索商品、品牌，支持拼音", "Search products or brands (pinyin works)"},
	"search.page.go":              {"搜索", "Search"},
	"search.page.found":           {"找到 %d 件与“%s”相关的商品", "%d products for \"%s\""},
	"search.page.found_all":       {"共 %d 件商品", "%d products"},
	"search.page.none":            {"没有找到相关商品，换个词试试", "Nothing found; try other words"},
	"search.page.did_you_mean":    {"您是不是要找：", "Did you mean:"},
	"search.page.sort":            {"排序", "Sort"},
	"search.page.filter":          {"筛选", "Filter"},
	"search.page.remove":          {"取消该筛选", "Remove this filter"},
	"search.page.next":            {"下一页", "Next page"},
	"search.sort.relevance":       {"综合", "Best match"},
	"search.sort.sales":           {"销量", "Best selling"},
	"search.sort.price_asc":       {"价格从低到高", "Price: low to high"},
	"search.sort.price_desc":      {"价格从高到低", "Price: high to low"},
	"search.sort.newest":          {"新品", "Newest"},
	"search.facet.category":       {"分类", "Category"},
	"search.facet.brand":          {"品牌", "Brand"},
	"search.facet.price":          {"价格", "Price"},
	"search.facet.price_under":    {"%s 以下", "under %s"},
	"search.facet.price_over":     {"%s 以上", "%s and up"},
	"kind.search_todo":            {"待办", "to-do note"},
	"search.todo_note":            {"备注不能为空，且不超过 200 字", "must be 1 to 200 characters"},
	"search.todo_exists":          {"该搜索词已有未完成的待办", "this query already has an open note"},
	"search.nav.keywords":         {"搜索关键词", "Search keywords"},
	"search.kw.title":             {"搜索关键词优化", "Search keyword optimisation"},
	"search.kw.help":              {"根据顾客的搜索、点击和购买：热门词、无结果词、低点击率词，以及可一键应用的优化建议。", "From what shoppers search, click and buy: top queries, queries that find nothing, queries with low click-through, and fixes you can apply with one click."},
	"search.kw.days":              {"最近天数", "Last days"},
	"search.kw.show":              {"查看", "Show"},
	"search.kw.searches":          {"共 %d 次搜索", "%d searches"},
	"search.kw.fixes":             {"优化建议", "Suggested fixes"},
	"search.kw.query":             {"搜索词", "Query"},
	"search.kw.suggestion":        {"建议", "Suggestion"},
	"search.kw.evidence":          {"依据（次）", "Evidence"},
	"search.kw.fix_synonym":       {"添加同义词：“%s” = “%s”（顾客搜不到后改搜后者并点击了商品）", "Add a synonym: \"%s\" = \"%s\" (shoppers rephrased to the latter and clicked)"},
	"search.kw.fix_title":         {"在这些商品标题中加入关键词“%s”：", "Add the keyword \"%s\" to these titles:"},
	"search.kw.fix_stock":         {"顾客在找“%s”，店里还没有：考虑引进此类商品", "Shoppers look for \"%s\" and the shop has none: consider stocking it"},
	"search.kw.apply_synonym":     {"添加同义词", "Add synonym"},
	"search.kw.apply_todo":        {"加入待办", "Add to-do"},
	"search.kw.no_fixes":          {"暂无建议", "No suggestions"},
	"search.kw.todos":             {"选品待办", "Stocking to-dos"},
	"search.kw.todo_done":         {"完成", "Done"},
	"search.kw.stock_note":        {"引进“%s”类商品（%d 次搜索无结果）", "Stock \"%s\" (%d searches found nothing)"},
	"search.kw.top":               {"热门搜索词", "Top queries"},
	"search.kw.zero":              {"无结果搜索词", "Queries with no results"},
	"search.kw.low_ctr":           {"低点击率搜索词", "Queries with low click-through"},
	"search.kw.none":              {"暂无数据", "No data"},
	"search.kw.col_searches":      {"搜索次数", "Searches"},
	"search.kw.col_results":       {"平均结果数", "Avg results"},
	"search.kw.col_ctr":           {"点击率", "Click-through"},
	"search.kw.col_purchases":     {"购买", "Purchases"},
	"search.kw.done.synonym":      {"同义词已添加，几秒内对所有节点生效", "Synonym added; every node applies it within seconds"},
	"search.kw.done.todo":         {"已加入选品待办", "Added to the to-dos"},
	"search.kw.done.todo_done":    {"待办已完成", "To-do closed"},
	"search.kw.done.title":        {"关键词已加入所选商品标题，搜索几秒内生效", "Keyword added to the chosen titles; search picks it up within seconds"},
	"search.kw.apply_title":       {"加入所选商品标题", "Add to the chosen titles"},
	"search.kw.title_done":        {"已加入标题", "In the titles"},
	"search.kw.has_keyword":       {"标题已含该词", "title has it"},
	"search.kw.pick_products":     {"请至少勾选一件商品（最多 20 件）", "pick at least one product (at most 20)"},
	"search.kw.export":            {"导出 Excel", "Export to Excel"},
	"search.kw.col_products":      {"商品", "Products"},
}

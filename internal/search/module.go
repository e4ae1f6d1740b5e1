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
	h := &handlers{engine: engine, log: searchLog, synonyms: &Synonyms{db: d.DB}}
	return &module.Module{
		Name:       "search",
		Migrations: []store.Migrations{Migrations()},
		Permissions: []platform.PermissionDef{{
			Perm:  PermManage,
			Label: platform.Message{ZH: "管理搜索同义词", EN: "Manage search synonyms"},
			Roles: []platform.Role{platform.RoleOwner, platform.RoleAdmin, platform.RoleCatalog, platform.RoleMarketing},
		}},
		Messages:   texts,
		Menu:       []web.MenuItem{{Section: "nav.catalog", Label: "search.nav.synonyms", Path: "/console/search/synonyms", Perm: PermManage, Order: 250}},
		Templates:  tpl,
		Consumers:  []outbox.Consumer{engine.Consumer()},
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
}

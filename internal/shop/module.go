// Package shop is the storefront: server-rendered, mobile-first pages
// (home, category, product) and product images, on top of the catalog's
// read service, with every shopper visit recorded by the traffic tracker.
package shop

import (
	"embed"
	"io/fs"

	"storeops/internal/catalog"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/traffic"
	"storeops/internal/web"
)

//go:embed templates
var templates embed.FS

// Module registers the storefront. It owns the visit tracker, whose
// flusher the app starts and stops through the module's hooks.
func Module(d *module.Deps) (*module.Module, error) {
	sub, _ := fs.Sub(templates, "templates")
	h := &handlers{
		db:      d.DB,
		svc:     catalog.NewService(d.DB, catalog.ServiceConfig{}),
		tracker: traffic.NewTracker(d.DB, traffic.TrackerConfig{Secure: d.Secure, Log: d.Log}),
	}
	return &module.Module{
		Name:       "shop",
		Messages:   texts,
		Templates:  sub,
		Collectors: traffic.Collectors(),
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(h.routes()...)
		},
		Start: h.tracker.Start,
		Stop:  h.tracker.Stop,
	}, nil
}

// handlers serve the storefront.
type handlers struct {
	db      *store.DB
	svc     *catalog.Service
	tracker *traffic.Tracker
	rd      *web.Renderer
	pages   pageCache
}

var texts = platform.Texts{
	"shop.home_title":       {"首页", "Home"},
	"shop.categories":       {"全部分类", "All categories"},
	"shop.see_all":          {"查看全部", "See all"},
	"shop.empty":            {"暂无商品", "Nothing here yet"},
	"shop.sort":             {"排序", "Sort"},
	"shop.sort_newest":      {"最新", "Newest"},
	"shop.sort_price_asc":   {"价格从低到高", "Price: low to high"},
	"shop.sort_price_desc":  {"价格从高到低", "Price: high to low"},
	"shop.next_page":        {"下一页", "Next page"},
	"shop.sold_out":         {"售罄", "Sold out"},
	"shop.stock":            {"库存 %d 件", "%d in stock"},
	"shop.choose_spec":      {"选择规格", "Choose an option"},
	"shop.attributes":       {"商品参数", "Details"},
	"shop.description":      {"商品详情", "Description"},
	"shop.brand":            {"品牌", "Brand"},
	"shop.price_from":       {"%s 起", "from %s"},
	"shop.lang_switch":      {"English", "中文"},
	"shop.lang_switch_aria": {"切换语言", "Switch language"},
}

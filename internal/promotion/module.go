package promotion

import (
	"embed"
	"io/fs"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The promotion permissions: marketing runs promotions; service staff and
// analysts may look (a shopper asks why a coupon failed).
const (
	PermView   platform.Permission = "promotion.view"
	PermManage platform.Permission = "promotion.manage"
)

// Permissions is the promotion part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看促销规则与优惠券", EN: "View price rules and coupons"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleMarketing, platform.RoleService, platform.RoleAnalyst}},
	{Perm: PermManage, Label: platform.Message{ZH: "创建、修改、启停促销规则与优惠券，发券", EN: "Create, change, start and stop price rules and coupons; issue codes"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleMarketing}},
}

//go:embed templates
var templatesFS embed.FS

// Module registers promotions: tables, permissions, console pages, the
// staff API, the shoppers' coupon check and the demo step. Checkout gets
// the service through NewService (its methods are checkout's Promotions).
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{svc: NewService(d.DB)}
	return &module.Module{
		Name:        "promotion",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu: []web.MenuItem{
			{Section: "nav.marketing", Label: "promotion.nav_rules", Path: "/console/promotions/rules", Perm: PermView, Order: 500},
			{Section: "nav.marketing", Label: "promotion.nav_batches", Path: "/console/promotions/batches", Perm: PermView, Order: 501},
			{Section: "nav.marketing", Label: "promotion.nav_preview", Path: "/console/promotions/preview", Perm: PermView, Order: 502},
		},
		Templates: tpl,
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(h.apiRoutes()...)
			r.Add(h.consoleRoutes()...)
		},
		Demo: []module.DemoStep{DemoStep()},
	}, nil
}

type handlers struct {
	svc *Service
	rd  *web.Renderer
}

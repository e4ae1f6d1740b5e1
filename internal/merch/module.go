// Package merch is merchandising: product images (through the media
// package), the listing quality score with its fix-it list, and the
// assortment reports (slow movers, new products) with their one-click
// actions.
package merch

import (
	"embed"
	"io/fs"
	"net/http"

	"storeops/internal/media"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The merchandising permissions: catalog managers and marketing read the
// reports, catalog managers change images and act on slow movers.
const (
	PermView   platform.Permission = "merch.view"
	PermImages platform.Permission = "merch.images"
	PermAct    platform.Permission = "merch.act"
)

// Permissions is the domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看商品质量与品类报表", EN: "View listing quality and assortment reports"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleCatalog, platform.RoleMarketing, platform.RoleAnalyst}},
	{Perm: PermImages, Label: platform.Message{ZH: "管理商品图片", EN: "Manage product images"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleCatalog}},
	{Perm: PermAct, Label: platform.Message{ZH: "处理滞销商品（打折、下架、清仓）", EN: "Act on slow movers (discount, delist, clearance)"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleCatalog}},
}

//go:embed templates
var templatesFS embed.FS

// Module registers merchandising: permissions, texts, console pages.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{db: d.DB, images: NewImages(d.DB, media.Limits{})}
	return &module.Module{
		Name:        "merch",
		Permissions: Permissions,
		Messages:    Texts,
		Templates:   tpl,
		Menu: []web.MenuItem{
			{Section: "nav.catalog", Label: "merch.nav_quality", Path: "/console/merch/quality", Perm: PermView, Order: 230},
		},
		Routes: func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
	}, nil
}

// handlers serve the console pages.
type handlers struct {
	db     *store.DB
	images *Images
	rd     *web.Renderer
}

func (h *handlers) routes() []web.Route {
	img := "/console/products/{id}/images"
	return []web.Route{
		{Method: http.MethodGet, Path: "/console/merch/quality", Surface: web.Console, Perm: PermView, Handler: h.qualityPage},
		{Method: http.MethodGet, Path: img, Surface: web.Console, Perm: PermView, Handler: h.imagesPage},
		{Method: http.MethodPost, Path: img, Surface: web.Console, Perm: PermImages, Handler: h.imagesUpload},
		{Method: http.MethodPost, Path: img + "/{image}/delete", Surface: web.Console, Perm: PermImages, Handler: h.imageDelete},
		{Method: http.MethodPost, Path: img + "/{image}/move", Surface: web.Console, Perm: PermImages, Handler: h.imageMove},
		{Method: http.MethodPost, Path: img + "/{image}/main", Surface: web.Console, Perm: PermImages, Handler: h.imageMain},
	}
}

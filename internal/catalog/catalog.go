// Package catalog holds what the shop sells: categories, brands, products
// (SPU) with their SKUs, and product images. Later work adds listing
// management, search and reviews beside it.
package catalog

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

//go:embed migrations
var migrations embed.FS

//go:embed templates
var templatesFS embed.FS

// Migrations are the catalog's tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "catalog", FS: sub}
}

// Status is a product's place in its listing lifecycle.
type Status string

const (
	StatusDraft    Status = "draft"
	StatusOnSale   Status = "on_sale"  // 上架
	StatusOffSale  Status = "off_sale" // 下架
	StatusArchived Status = "archived"
)

// StorageClass says how goods are kept and shipped.
type StorageClass string

const (
	Ambient StorageClass = "ambient" // 常温
	Chilled StorageClass = "chilled" // 冷藏
	Frozen  StorageClass = "frozen"  // 冷冻
)

// Category is one node of the category tree.
type Category struct {
	ID           platform.ID  `json:"id"`
	ParentID     *platform.ID `json:"parent_id,omitempty"`
	Slug         string       `json:"slug"`
	Name         string       `json:"name"`
	NameEN       string       `json:"name_en"`
	Position     int          `json:"position"`
	StorageClass StorageClass `json:"storage_class"`
}

// The catalog's permissions: catalog staff edit products, import and
// export them; marketing, service and analysts look.
const (
	PermView platform.Permission = "catalog.view"
	PermEdit platform.Permission = "catalog.edit"
)

// Permissions is the catalog's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看商品管理", EN: "View product management"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleCatalog, platform.RoleMarketing, platform.RoleService, platform.RoleAnalyst}},
	{Perm: PermEdit, Label: platform.Message{ZH: "编辑、上下架、导入商品", EN: "Edit, list, delist and import products"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleCatalog}},
}

// Module registers the catalog: its tables, texts and the public catalog
// API.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{svc: NewService(d.DB, ServiceConfig{}), admin: NewAdmin(d.DB)}
	return &module.Module{
		Templates: tpl,
		Menu: []web.MenuItem{
			{Section: "nav.catalog", Label: "catalog.nav_products", Path: "/console/products", Perm: PermView, Order: 200},
		},
		Name:        "catalog",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages(),
		Demo:        []module.DemoStep{DemoStep()},
		Workers:     func(w *river.Workers) { river.AddWorker(w, &scheduleWorker{db: d.DB}) },
		Periodic: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return ScheduleArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
		},
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(h.routes()...)
			r.Add(h.adminRoutes()...)
			r.Add(h.consoleRoutes()...)
		},
	}, nil
}

// Texts are the catalog's messages (the storefront uses them too).
var Texts = platform.Texts{
	"kind.product":             {"商品", "product"},
	"kind.category":            {"分类", "category"},
	"kind.image":               {"图片", "image"},
	"catalog.unknown_category": {"分类不存在", "is not a known category"},
	"nav.catalog":              {"商品", "Catalog"},

	"catalog.status.draft":        {"草稿", "Draft"},
	"catalog.status.on_sale":      {"在售", "On sale"},
	"catalog.status.off_sale":     {"已下架", "Off sale"},
	"catalog.status.archived":     {"已归档", "Archived"},
	"catalog.field.too_many_tags": {"标签不能超过 %d 个", "must have at most %d tags"},
	"catalog.scheduled":           {"定时上下架", "Scheduled listing"},
}

// consoleRoutes are the product management pages.
func (h *handlers) consoleRoutes() []web.Route {
	return []web.Route{
		{Method: http.MethodGet, Path: "/console/products", Surface: web.Console, Perm: PermView, Handler: h.listPage},
		{Method: http.MethodGet, Path: "/console/products/new", Surface: web.Console, Perm: PermEdit, Handler: h.newPage},
		{Method: http.MethodPost, Path: "/console/products", Surface: web.Console, Perm: PermEdit, Handler: h.createForm},
		{Method: http.MethodGet, Path: "/console/products/{id}", Surface: web.Console, Perm: PermView, Handler: h.editPage},
		{Method: http.MethodPost, Path: "/console/products/{id}", Surface: web.Console, Perm: PermEdit, Handler: h.updateForm},
		{Method: http.MethodPost, Path: "/console/products/{id}/status", Surface: web.Console, Perm: PermEdit, Handler: h.statusForm},
	}
}

// Package catalog holds what the shop sells: categories, brands, products
// (SPU) with their SKUs, and product images. Later work adds listing
// management, search and reviews beside it.
package catalog

import (
	"embed"
	"io/fs"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

//go:embed migrations
var migrations embed.FS

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
	h := &handlers{svc: NewService(d.DB, ServiceConfig{})}
	return &module.Module{
		Name:        "catalog",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    Texts,
		Demo:        []module.DemoStep{DemoStep()},
		Routes:      func(r *web.Router, _ *web.Renderer) { r.Add(h.routes()...) },
	}, nil
}

// Texts are the catalog's messages (the storefront uses them too).
var Texts = platform.Texts{
	"kind.product":             {"商品", "product"},
	"kind.category":            {"分类", "category"},
	"kind.image":               {"图片", "image"},
	"catalog.unknown_category": {"分类不存在", "is not a known category"},

	"catalog.status.draft":        {"草稿", "Draft"},
	"catalog.status.on_sale":      {"在售", "On sale"},
	"catalog.status.off_sale":     {"已下架", "Off sale"},
	"catalog.status.archived":     {"已归档", "Archived"},
	"catalog.field.too_many_tags": {"标签不能超过 %d 个", "must have at most %d tags"},
}

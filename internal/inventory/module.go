package inventory

import (
	"embed"
	"io/fs"

	"github.com/riverqueue/river"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The inventory permissions. Analysts and service staff may look; only
// supply staff (and admins) move stock.
const (
	PermView   platform.Permission = "inventory.view"
	PermManage platform.Permission = "inventory.manage"
)

// Permissions is the inventory part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看库存与台账", EN: "View stock and its ledger"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleSupply, platform.RoleService, platform.RoleAnalyst}},
	{Perm: PermManage, Label: platform.Message{ZH: "调整、调拨、入库、盘点库存", EN: "Adjust, transfer, receive and count stock"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleSupply}},
}

//go:embed templates
var templatesFS embed.FS

// Module registers inventory: tables, permissions, console pages, the
// /api/v1/inventory API, the reservation expiry job and the demo step.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{db: d.DB, svc: NewService(d.DB)}
	return &module.Module{
		Name:        "inventory",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu: []web.MenuItem{
			{Section: "nav.inventory", Label: "nav.inventory_stock", Path: "/console/inventory", Perm: PermView, Order: 300},
			{Section: "nav.inventory", Label: "nav.inventory_low", Path: "/console/inventory/low-stock", Perm: PermView, Order: 301},
			{Section: "nav.inventory", Label: "nav.inventory_ops", Path: "/console/inventory/operations", Perm: PermManage, Order: 302},
		},
		Templates: tpl,
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(h.apiRoutes()...)
			r.Add(h.consoleRoutes()...)
		},
		Workers: func(w *river.Workers) {
			river.AddWorker(w, &expireWorker{db: d.DB, log: d.Log})
		},
		Periodic: []*river.PeriodicJob{expirePeriodic()},
		Demo:     []module.DemoStep{DemoStep()},
	}, nil
}

type handlers struct {
	db  *store.DB
	svc *Service
	rd  *web.Renderer
}

package order

import (
	"embed"
	"io/fs"
	"net/http"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The order domain's permissions. Analysts read; customer service
// cancels, refunds and notes; the warehouse (supply) ships.
const (
	PermView   platform.Permission = "order.view"
	PermManage platform.Permission = "order.manage"
	PermShip   platform.Permission = "order.ship"
)

// Permissions is the order domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看订单", EN: "View orders"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService, platform.RoleSupply, platform.RoleAnalyst}},
	{Perm: PermManage, Label: platform.Message{ZH: "处理订单（取消、退款、备注）", EN: "Handle orders (cancel, refund, notes)"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
	{Perm: PermShip, Label: platform.Message{ZH: "订单发货", EN: "Ship orders"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleSupply}},
}

//go:embed templates
var templatesFS embed.FS

// Module registers orders: tables, permissions, texts, the console pages
// and the staff API, and the demo history.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{db: d.DB, s: NewService(d.DB)}
	return &module.Module{
		Name:        "order",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    allMessages(),
		Menu:        []web.MenuItem{{Section: "nav.orders", Label: "order.nav", Path: "/console/orders", Perm: PermView, Order: 100}},
		Templates:   tpl,
		Routes:      func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
		Demo:        []module.DemoStep{DemoStep()},
	}, nil
}

func (h *handlers) routes() []web.Route {
	filters := []web.QueryParam{
		{Name: "status", Description: "pending_payment, paid, allocated, shipped, delivered, completed, cancelled or after_sale"},
		{Name: "order_no", Description: "exact order number"},
		{Name: "channel", Description: "traffic channel, e.g. direct, search, wechat"},
		{Name: "payment_method", Description: "online, cod or bank_transfer"},
		{Name: "province", Description: "GB/T 2260 province code, e.g. 330000"},
		{Name: "from", Description: "first day placed (YYYY-MM-DD, shop time zone)"},
		{Name: "to", Description: "last day placed (YYYY-MM-DD, shop time zone), inclusive"},
		{Name: "cursor", Description: "next_cursor of the previous page"},
		{Name: "limit", Description: "page size, 1 to 200"},
	}
	return []web.Route{
		{Method: http.MethodGet, Path: "/console/orders", Surface: web.Console, Perm: PermView, Handler: h.listPage},
		{Method: http.MethodGet, Path: "/console/orders/bulk-ship", Surface: web.Console, Perm: PermShip, Handler: h.bulkShipPage},
		{Method: http.MethodPost, Path: "/console/orders/bulk-ship", Surface: web.Console, Perm: PermShip, Handler: h.bulkShip},
		{Method: http.MethodGet, Path: "/console/orders/{id}", Surface: web.Console, Perm: PermView, Handler: h.detailPage},
		{Method: http.MethodPost, Path: "/console/orders/{id}/cancel", Surface: web.Console, Perm: PermManage, Handler: h.cancelForm},
		{Method: http.MethodPost, Path: "/console/orders/{id}/notes", Surface: web.Console, Perm: PermManage, Handler: h.noteForm},
		{Method: http.MethodPost, Path: "/console/orders/{id}/ship", Surface: web.Console, Perm: PermShip, Handler: h.shipForm},
		// Refunds belong to internal/payment, which registers its
		// Refunder with SetRefunder; until then this answers 501.
		{Method: http.MethodPost, Path: "/console/orders/{id}/refund", Surface: web.Console, Perm: PermManage, Handler: h.refundForm},

		{Method: http.MethodGet, Path: "/api/v1/admin/orders", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiList,
			Doc: &web.OpenAPIOp{Summary: "List orders, newest first", Tag: "orders", Query: filters, Response: platform.Page[Order]{}}},
		{Method: http.MethodGet, Path: "/api/v1/admin/orders/{id}", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiGet,
			Doc: &web.OpenAPIOp{Summary: "One order with lines, payments, refunds, shipments, notes and its status timeline", Tag: "orders",
				Response: Detail{}}},
		{Method: http.MethodPost, Path: "/api/v1/admin/orders/{id}/cancel", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiCancel,
			Doc: &web.OpenAPIOp{Summary: "Cancel an order that has not shipped (409 order_illegal_transition otherwise)", Tag: "orders",
				Description: "Releases stock and refunds payments through the inventory and payment hooks, in the same transaction.",
				Request:     CancelRequest{}, Response: Detail{}, Idempotent: true}},
		{Method: http.MethodPost, Path: "/api/v1/admin/orders/{id}/ship", Surface: web.AdminAPI, Perm: PermShip, Handler: h.apiShip,
			Doc: &web.OpenAPIOp{Summary: "Ship a paid or allocated order with a carrier and tracking number", Tag: "orders",
				Request: ShipInput{}, Response: Shipment{}, Status: http.StatusCreated, Idempotent: true}},
		{Method: http.MethodPost, Path: "/api/v1/admin/orders/{id}/notes", Surface: web.AdminAPI, Perm: PermManage, Handler: h.apiNote,
			Doc: &web.OpenAPIOp{Summary: "Add an internal staff note to an order", Tag: "orders",
				Request: NoteRequest{}, Response: Note{}, Status: http.StatusCreated, Idempotent: true}},
	}
}

type handlers struct {
	db *store.DB
	s  *Service
	rd *web.Renderer
}

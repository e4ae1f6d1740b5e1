package returns

import (
	"embed"
	"io/fs"
	"net/http"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The returns domain's permissions: customer service decide and refund;
// the warehouse (supply) receives, inspects and ships exchanges;
// analysts read.
const (
	PermView    platform.Permission = "returns.view"
	PermManage  platform.Permission = "returns.manage"
	PermReceive platform.Permission = "returns.receive"
)

// Permissions is the returns domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看售后单", EN: "View returns"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService, platform.RoleSupply, platform.RoleAnalyst}},
	{Perm: PermManage, Label: platform.Message{ZH: "审核售后并退款", EN: "Approve, reject and refund returns"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
	{Perm: PermReceive, Label: platform.Message{ZH: "售后收货验货、换货发货", EN: "Receive returns and ship exchanges"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService, platform.RoleSupply}},
}

//go:embed templates
var templatesFS embed.FS

// Module registers returns: the tables, permissions, texts, the
// shopper's API and pages, the console and staff API, and the demo step.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	h := &handlers{db: d.DB, s: NewService(d.DB)}
	return &module.Module{
		Name:        "returns",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu: []web.MenuItem{
			{Section: "nav.orders", Label: "returns.nav", Path: "/console/returns", Perm: PermView, Order: 130},
			{Section: "nav.orders", Label: "returns.nav_report", Path: "/console/returns/report", Perm: PermView, Order: 131},
		},
		Templates: tpl,
		Routes:    func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
		Demo:      []module.DemoStep{DemoStep()},
	}, nil
}

// handlers serve the API, the shop pages and the console.
type handlers struct {
	db *store.DB
	s  *Service
	rd *web.Renderer
}

func (h *handlers) routes() []web.Route {
	const tag = "returns"
	me := "/api/v1/customers/me"
	admin := "/api/v1/admin/returns"
	return []web.Route{
		{Method: http.MethodPost, Path: me + "/orders/{id}/returns", Surface: web.API, Customer: true, Handler: h.apiRequest,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Request a return, refund only or exchange (售后) of lines of one of my orders",
				Description: "kind is return (退货退款), refund_only (仅退款) or exchange (换货); reason one of quality, size, not_as_desc, wrong_item, unwanted, damaged, not_received, missing. " +
					"409 returns_not_delivered before delivery (a refund only: before shipping), 409 returns_window_closed after the after-sale window, 409 returns_qty_exceeds above what was bought minus what other requests claim.",
				Request: RequestInput{}, Response: Return{}, Status: http.StatusCreated, Idempotent: true}},
		{Method: http.MethodGet, Path: me + "/orders/{id}/returns", Surface: web.API, Customer: true, Handler: h.apiOrderList,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "My after-sale requests on one of my orders, newest first", Response: []Return{}}},
		{Method: http.MethodGet, Path: me + "/returns/{id}", Surface: web.API, Customer: true, Handler: h.apiGet,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "One of my after-sale requests with every step's time", Response: Return{}}},
		{Method: http.MethodPost, Path: me + "/returns/{id}/ship", Surface: web.API, Customer: true, Handler: h.apiShipBack,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Tell the shop the goods are on their way back (carrier and tracking number)",
				Description: "409 returns_status unless approved, 409 returns_wrong_kind for a refund only.", Request: ShipInput{}, Response: Return{}}},
		{Method: http.MethodPost, Path: me + "/returns/{id}/photos", Surface: web.API, Customer: true, Handler: h.apiPhotoAdd,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Attach a photo (the raw image as the body) to my request, at most six",
				Description: "JPEG, PNG, GIF or WebP within the upload limits; 409 returns_status once the goods were received.",
				Response:    Return{}, Status: http.StatusCreated, Idempotent: true}},
		{Method: http.MethodGet, Path: me + "/returns/{id}/photos/{pid}", Surface: web.API, Customer: true, Handler: h.apiPhotoGet,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "One photo of my request (?w= for a thumbnail)", Response: ""}},
		{Method: http.MethodPost, Path: me + "/returns/{id}/cancel", Surface: web.API, Customer: true, Handler: h.apiCancel,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Withdraw my request before the goods are shipped back", Response: Return{}}},

		{Method: http.MethodGet, Path: "/orders/{id}/returns", Surface: web.Shop, Handler: h.shopPage},
		{Method: http.MethodPost, Path: "/orders/{id}/returns", Surface: web.Shop, Handler: h.shopRequest},
		{Method: http.MethodPost, Path: "/orders/{id}/returns/{rid}/ship", Surface: web.Shop, Handler: h.shopShip},
		{Method: http.MethodPost, Path: "/orders/{id}/returns/{rid}/cancel", Surface: web.Shop, Handler: h.shopCancel},

		{Method: http.MethodGet, Path: "/console/returns", Surface: web.Console, Perm: PermView, Handler: h.listPage},
		{Method: http.MethodGet, Path: "/console/returns/report", Surface: web.Console, Perm: PermView, Handler: h.reportPage},
		{Method: http.MethodGet, Path: "/console/returns/{id}", Surface: web.Console, Perm: PermView, Handler: h.detailPage},
		{Method: http.MethodGet, Path: "/console/returns/{id}/photos/{pid}", Surface: web.Console, Perm: PermView, Handler: h.consolePhoto},
		{Method: http.MethodPost, Path: "/console/returns/{id}/approve", Surface: web.Console, Perm: PermManage, Handler: h.approveForm},
		{Method: http.MethodPost, Path: "/console/returns/{id}/reject", Surface: web.Console, Perm: PermManage, Handler: h.rejectForm},
		{Method: http.MethodPost, Path: "/console/returns/{id}/refund", Surface: web.Console, Perm: PermManage, Handler: h.refundForm},
		{Method: http.MethodPost, Path: "/console/returns/{id}/receive", Surface: web.Console, Perm: PermReceive, Handler: h.receiveForm},
		{Method: http.MethodPost, Path: "/console/returns/{id}/ship-exchange", Surface: web.Console, Perm: PermReceive, Handler: h.exchangeForm},

		{Method: http.MethodGet, Path: admin, Surface: web.AdminAPI, Perm: PermView, Handler: h.adminList,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "List after-sale requests, newest first", Query: adminQuery, Response: platform.Page[Return]{}}},
		{Method: http.MethodGet, Path: admin + "/report", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminReport,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Requests counted by reason per week and by product and reason, over a date range",
				Query: reportQuery, Response: Report{}}},
		{Method: http.MethodGet, Path: admin + "/{id}", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminGet,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "One after-sale request with its lines", Response: Return{}}},
		{Method: http.MethodPost, Path: admin + "/{id}/approve", Surface: web.AdminAPI, Perm: PermManage, Handler: h.adminApprove,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Approve a waiting request", Description: "409 returns_status once decided.", Response: Return{}}},
		{Method: http.MethodPost, Path: admin + "/{id}/reject", Surface: web.AdminAPI, Perm: PermManage, Handler: h.adminReject,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Reject a waiting request with a reason the shopper reads", Request: RejectInput{}, Response: Return{}}},
		{Method: http.MethodPost, Path: admin + "/{id}/receive", Surface: web.AdminAPI, Perm: PermReceive, Handler: h.adminReceive,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Record the returned parcel's inspection; resaleable units are restocked in the warehouse",
				Description: "Per line: accepted_qty (at most what was asked) and condition resaleable or damaged. A return's refund becomes the accepted units' share.",
				Request:     ReceiveInput{}, Response: Return{}, Idempotent: true}},
		{Method: http.MethodPost, Path: admin + "/{id}/refund", Surface: web.AdminAPI, Perm: PermManage, Handler: h.adminRefund,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Refund an inspected return or an approved refund only through payments",
				Description: "One refund per line for its exact share, keyed by the request and line: a retry refunds nothing twice. 409 returns_nothing_accepted when inspection accepted nothing.",
				Response:    Return{}, Idempotent: true}},
		{Method: http.MethodPost, Path: admin + "/{id}/ship-exchange", Surface: web.AdminAPI, Perm: PermReceive, Handler: h.adminShipExchange,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Ship the replacement of an inspected exchange (reserves and ships stock)",
				Request: ShipInput{}, Response: Return{}, Idempotent: true}},
	}
}

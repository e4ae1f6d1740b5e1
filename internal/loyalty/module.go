package loyalty

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/riverqueue/river"

	"storeops/internal/checkout"
	"storeops/internal/module"
	"storeops/internal/order"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The loyalty domain's permissions: customer service and marketing read
// members' points; customer service adjusts them (goodwill, corrections);
// marketing sets the tiers and their benefits.
const (
	PermView   platform.Permission = "loyalty.view"
	PermAdjust platform.Permission = "loyalty.adjust"
	PermTiers  platform.Permission = "loyalty.tiers"
)

// Permissions is the loyalty domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看会员等级与积分", EN: "View membership and points"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService, platform.RoleMarketing, platform.RoleAnalyst}},
	{Perm: PermAdjust, Label: platform.Message{ZH: "调整会员积分", EN: "Adjust members' points"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
	{Perm: PermTiers, Label: platform.Message{ZH: "设置会员等级", EN: "Set membership tiers"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleMarketing}},
}

//go:embed templates
var templatesFS embed.FS

// Module registers membership and points: the tables, permissions,
// texts, the order hook, the refund consumer, checkout's membership, the
// daily job, the shopper's API and page, the console and the demo step.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	rules := DefaultRules.withDefaults()
	s := NewService(d.DB, rules)
	order.OnTransition("loyalty", orderHook(rules))
	checkout.UseMembership(membership{rules: rules})
	h := &handlers{db: d.DB, s: s}
	return &module.Module{
		Name:        "loyalty",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu: []web.MenuItem{
			{Section: "nav.marketing", Label: "loyalty.nav", Path: "/console/loyalty", Perm: PermView, Order: 520},
		},
		Templates: tpl,
		Routes:    func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
		Workers:   func(w *river.Workers) { river.AddWorker(w, &dailyWorker{s: s}) },
		Periodic:  []*river.PeriodicJob{dailyPeriodic()},
		Consumers: []outbox.Consumer{refundConsumer(d.DB)},
		Demo:      []module.DemoStep{DemoStep()},
	}, nil
}

// handlers serve the API, the shop page and the console.
type handlers struct {
	db *store.DB
	s  *Service
	rd *web.Renderer
}

func (h *handlers) routes() []web.Route {
	const tag = "loyalty"
	cust := "/api/v1/admin/customers/{id}/points"
	return []web.Route{
		{Method: http.MethodGet, Path: "/api/v1/customers/me/membership", Surface: web.API, Customer: true, Handler: h.apiMe,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The signed-in customer's tier, its benefits, the next tier and the points balance",
				Description: "balance counts only points still valid; expiring is what expires within 30 days. Tiers follow the rolling 12-month spend on completed orders net of refunds, re-evaluated daily.",
				Response:    MeResponse{}}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/points", Surface: web.API, Customer: true, Handler: h.apiEntries,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The signed-in customer's points history, newest first",
				Query: pageQuery, Response: platform.Page[Entry]{}}},

		{Method: http.MethodGet, Path: "/account/membership", Surface: web.Shop, Handler: h.shopPage},

		{Method: http.MethodGet, Path: "/console/loyalty", Surface: web.Console, Perm: PermView, Handler: h.tiersPage},
		{Method: http.MethodPost, Path: "/console/loyalty/tiers", Surface: web.Console, Perm: PermTiers, Handler: h.tierForm},
		{Method: http.MethodPost, Path: "/console/loyalty/tiers/{id}/delete", Surface: web.Console, Perm: PermTiers, Handler: h.tierDelete},
		{Method: http.MethodGet, Path: "/console/loyalty/find", Surface: web.Console, Perm: PermView, Handler: h.findCustomer},
		{Method: http.MethodGet, Path: "/console/loyalty/customers/{id}", Surface: web.Console, Perm: PermView, Handler: h.customerPage},
		{Method: http.MethodPost, Path: "/console/loyalty/customers/{id}/adjust", Surface: web.Console, Perm: PermAdjust, Handler: h.adjustForm},

		{Method: http.MethodGet, Path: "/api/v1/admin/loyalty/tiers", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminTiers,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The membership tiers, lowest first, with how many customers hold each", Response: []TierCount{}}},
		{Method: http.MethodPost, Path: "/api/v1/admin/loyalty/tiers", Surface: web.AdminAPI, Perm: PermTiers, Handler: h.adminTierCreate,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Add a membership tier",
				Description: "min_spend and free_shipping_over in fen; percent_off 0–50; points_multiplier a percent, 100–1000. 409 conflict when the code is taken. Customers move at the next daily evaluation.",
				Request:     Tier{}, Response: Tier{}, Status: http.StatusCreated}},
		{Method: http.MethodPut, Path: "/api/v1/admin/loyalty/tiers/{id}", Surface: web.AdminAPI, Perm: PermTiers, Handler: h.adminTierSave,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Change a membership tier's threshold and benefits",
				Description: "The lowest tier keeps min_spend 0 (422 otherwise).", Request: Tier{}, Response: Tier{}}},
		{Method: http.MethodGet, Path: cust, Surface: web.AdminAPI, Perm: PermView, Handler: h.adminPoints,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "A customer's membership, points history (newest first) and tier history",
				Query: pageQuery, Response: AdminPoints{}}},
		{Method: http.MethodPost, Path: cust + "/adjust", Surface: web.AdminAPI, Perm: PermAdjust, Handler: h.adminAdjust,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Add or take points from a customer, with a reason the customer sees",
				Description: "points is signed, non-zero, at most 1,000,000 either way. 409 loyalty_not_enough_points when taking more than the balance.",
				Request:     AdjustInput{}, Response: Entry{}, Status: http.StatusCreated, Idempotent: true}},
	}
}

var pageQuery = []web.QueryParam{
	{Name: "cursor", Description: "next_cursor of the previous page"},
	{Name: "limit", Description: "page size, 1 to 200"},
}

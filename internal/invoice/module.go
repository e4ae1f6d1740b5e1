package invoice

import (
	"context"
	"embed"
	"io/fs"
	"net/http"

	"storeops/internal/customer"
	"storeops/internal/module"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The invoice domain's permissions: customer service and analysts read
// the requests; customer service (who also handle refunds) records the
// invoices made in the tax system, or rejects requests.
const (
	PermView  platform.Permission = "invoice.view"
	PermIssue platform.Permission = "invoice.issue"
)

// Permissions is the invoice domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看发票申请", EN: "View invoice requests"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService, platform.RoleAnalyst}},
	{Perm: PermIssue, Label: platform.Message{ZH: "开具或驳回发票", EN: "Issue or reject invoices"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
}

//go:embed templates
var templatesFS embed.FS

// hookName is the order transition hook that cancels a waiting request
// with its order.
const hookName = "invoice"

// Module registers invoices: the table, permissions, texts, the
// shopper's API and pages, the console list and the order hook.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	order.OnTransition(hookName, cancelWithOrder)
	customer.OnErase(hookName, eraseCustomer)
	h := &handlers{db: d.DB, s: NewService(d.DB)}
	return &module.Module{
		Name:        "invoice",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu:        []web.MenuItem{{Section: "nav.finance", Label: "invoice.nav", Path: "/console/invoices", Perm: PermView, Order: 440}},
		Templates:   tpl,
		Routes:      func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
		Demo:        []module.DemoStep{DemoStep()},
	}, nil
}

// handlers serve the API, the shop pages and the console.
type handlers struct {
	db *store.DB
	s  *Service
	rd *web.Renderer
}

func (h *handlers) routes() []web.Route {
	const tag = "invoices"
	path := "/api/v1/customers/me/orders/{id}/invoice"
	return []web.Route{
		{Method: http.MethodPost, Path: path, Surface: web.API, Customer: true, Handler: h.apiRequest,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Request an invoice (发票) on one of the signed-in customer's paid orders",
				Description: "title_type is personal or company; a company needs its 18-character unified social credit code as tax_no. The amount is the order's total minus refunds. 409 invoice_order_not_eligible before payment, after cancellation or a full refund, 409 invoice_exists when a request is open or issued.",
				Request:     Input{}, Response: Invoice{}, Status: http.StatusCreated, Idempotent: true}},
		{Method: http.MethodGet, Path: path, Surface: web.API, Customer: true, Handler: h.apiGet,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The newest invoice request on one of the signed-in customer's orders", Response: Invoice{}}},
		{Method: http.MethodPut, Path: path, Surface: web.API, Customer: true, Handler: h.apiUpdate,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Change the title of an invoice request that is still waiting",
				Description: "409 invoice_not_pending once it was issued, rejected or cancelled.",
				Request:     Input{}, Response: Invoice{}}},

		{Method: http.MethodGet, Path: "/orders/{id}/invoice", Surface: web.Shop, Handler: h.shopPage},
		{Method: http.MethodPost, Path: "/orders/{id}/invoice", Surface: web.Shop, Handler: h.shopForm},

		{Method: http.MethodGet, Path: "/console/invoices", Surface: web.Console, Perm: PermView, Handler: h.listPage},
		{Method: http.MethodPost, Path: "/console/invoices/{id}/issue", Surface: web.Console, Perm: PermIssue, Handler: h.issueForm},
		{Method: http.MethodPost, Path: "/console/invoices/{id}/reject", Surface: web.Console, Perm: PermIssue, Handler: h.rejectForm},

		{Method: http.MethodGet, Path: "/api/v1/admin/invoices", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminList,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "List invoice requests, newest first", Query: adminQuery, Response: platform.Page[Invoice]{}}},
		{Method: http.MethodPost, Path: "/api/v1/admin/invoices/{id}/issue", Surface: web.AdminAPI, Perm: PermIssue, Handler: h.adminIssue,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Record the number of the invoice made for a waiting request",
				Description: "409 invoice_not_pending once it was handled, 409 invoice_number_taken when another request has that number.",
				Request:     IssueInput{}, Response: Invoice{}}},
		{Method: http.MethodPost, Path: "/api/v1/admin/invoices/{id}/reject", Surface: web.AdminAPI, Perm: PermIssue, Handler: h.adminReject,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Reject a waiting request with a reason the shopper reads",
				Description: "409 invoice_not_pending once it was handled.", Request: RejectInput{}, Response: Invoice{}}},
	}
}

// eraseCustomer masks a deleted customer's invoice requests: the email
// goes, and the title of personal requests never issued; an issued
// invoice's title stays, as the tax record it is.
func eraseCustomer(ctx context.Context, tx *store.Tx, customerID platform.ID) error {
	_, err := tx.ExecContext(ctx, `UPDATE invoice_requests SET email = '',
		title = CASE WHEN title_type = 'personal' AND status <> 'issued' THEN '' ELSE title END WHERE customer_id = $1`, customerID)
	return err
}

package payment

import (
	"net/http"

	"storeops/internal/payment/sandbox"
	"storeops/internal/platform"
	"storeops/internal/web"
)

type handlers struct {
	s  *Service
	rd *web.Renderer
}

// routes is the payment domain's route table.
func (h *handlers) routes() []web.Route {
	return []web.Route{
		{Method: http.MethodPost, Path: "/pay/{id}", Surface: web.Shop, Handler: h.payPage},
		{Method: http.MethodPost, Path: "/api/v1/payment-notifications/{provider}", Surface: web.API, Handler: h.apiNotify,
			Doc: &web.OpenAPIOp{Summary: "Receive a payment provider's signed notification", Tag: "payments",
				Description: "Called by the provider, not by shoppers. Answers 200 with the body \"success\" once the notification is applied or was already applied; anything else makes the provider retry.",
				Request:     sandbox.Notification{}, Response: ""}},
		{Method: http.MethodPost, Path: "/api/v1/payments", Surface: web.API, Customer: true, Handler: h.apiStart,
			Doc: &web.OpenAPIOp{Summary: "Start paying one of my orders", Tag: "payments", Request: StartBody{}, Response: Started{},
				Status: http.StatusCreated, Idempotent: true}},
		{Method: http.MethodPost, Path: "/api/v1/payments/{id}/sync", Surface: web.API, Customer: true, Handler: h.apiSync,
			Doc: &web.OpenAPIOp{Summary: "Ask the provider where my payment stands (back from the pay page)", Tag: "payments", Response: Payment{}}},
		{Method: http.MethodPost, Path: "/api/v1/admin/payments/{id}/confirm", Surface: web.AdminAPI, Perm: PermConfirm, Handler: h.apiConfirm,
			Doc: &web.OpenAPIOp{Summary: "Confirm an offline payment (bank transfer reference, cash collected)", Tag: "payments",
				Request: Confirmation{}, Response: Payment{}, Idempotent: true}},
		{Method: http.MethodPost, Path: "/api/v1/admin/refunds", Surface: web.AdminAPI, Perm: PermRefund, Handler: h.apiRefund,
			Doc: &web.OpenAPIOp{Summary: "Refund an order, in full or in part", Tag: "payments", Request: RefundBody{}, Response: Refund{},
				Status: http.StatusCreated, Idempotent: true}},
		{Method: http.MethodGet, Path: "/api/v1/admin/refunds/{id}", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiRefundGet,
			Doc: &web.OpenAPIOp{Summary: "Read a refund with its split over lines", Tag: "payments", Response: Refund{}}},
		{Method: http.MethodGet, Path: "/api/v1/admin/payments/reconciliation", Surface: web.AdminAPI, Perm: PermView, Handler: h.apiReconciliation,
			Doc: &web.OpenAPIOp{Summary: "Daily reconciliation: captured vs paid orders vs refunds, with issues", Tag: "payments",
				Query:    []web.QueryParam{{Name: "from", Description: "first day (YYYY-MM-DD, shop time zone)"}, {Name: "to", Description: "last day, inclusive"}},
				Response: ReconciliationBody{}}},
		{Method: http.MethodGet, Path: "/console/payments", Surface: web.Console, Perm: PermView, Handler: h.consolePayments},
		{Method: http.MethodPost, Path: "/console/payments/{id}/confirm", Surface: web.Console, Perm: PermConfirm, Handler: h.consoleConfirm},
		{Method: http.MethodGet, Path: "/console/payments/reconciliation", Surface: web.Console, Perm: PermView, Handler: h.consoleReconciliation},
		{Method: http.MethodPost, Path: "/console/payments/reconciliation", Surface: web.Console, Perm: PermConfirm, Handler: h.consoleReconcile},
	}
}

// StartBody is the storefront's request to pay an order.
type StartBody struct {
	OrderID   platform.ID `json:"order_id"`
	Provider  string      `json:"provider"`
	ReturnURL string      `json:"return_url"`
}

// RefundBody is the admin API's refund request.
type RefundBody struct {
	OrderID platform.ID `json:"order_id"`
	RefundInput
}

// ReconciliationBody is the reconciliation API's answer.
type ReconciliationBody struct {
	Days   []DayReport `json:"days"`
	Issues []Issue     `json:"issues"`
}

package payment

import (
	"net/http"
	"net/url"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// apiStart opens a payment for the caller's order.
func (h *handlers) apiStart(w http.ResponseWriter, r *http.Request) error {
	var in StartBody
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.OrderID == 0 {
		return platform.Invalid("order_id", "field.required")
	}
	if in.Provider == "" {
		return platform.Invalid("provider", "field.required")
	}
	if in.ReturnURL != "" {
		u, err := url.Parse(in.ReturnURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || len(in.ReturnURL) > 500 {
			return platform.Invalid("return_url", "field.invalid")
		}
	}
	ctx := withBase(r)
	res, err := h.s.Start(ctx, StartInput{OrderID: in.OrderID, Provider: in.Provider, CustomerID: web.PrincipalFrom(ctx).CustomerID,
		NotifyURL: baseURL(r) + "/api/v1/payment-notifications/" + url.PathEscape(in.Provider), ReturnURL: in.ReturnURL})
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, res)
}

// apiSync asks the provider about one of the caller's payments.
func (h *handlers) apiSync(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "payment")
	if err != nil {
		return err
	}
	ctx := withBase(r)
	p, err := h.s.Payment(ctx, id)
	if err != nil {
		return err
	}
	var owner platform.ID
	if err := h.s.db.R.QueryRowContext(ctx, `SELECT customer_id FROM orders WHERE id = $1`, p.OrderID).Scan(&owner); err != nil || owner != web.PrincipalFrom(ctx).CustomerID {
		return platform.NotFound("payment")
	}
	p, err = h.s.Sync(ctx, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, p)
}

// apiConfirm confirms an offline payment.
func (h *handlers) apiConfirm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "payment")
	if err != nil {
		return err
	}
	var in Confirmation
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	p, err := h.s.Confirm(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, p)
}

// apiRefund refunds an order.
func (h *handlers) apiRefund(w http.ResponseWriter, r *http.Request) error {
	var in RefundBody
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.OrderID == 0 {
		return platform.Invalid("order_id", "field.required")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	ref, err := h.s.Refund(withBase(r), audit.ActorFrom(r), in.OrderID, in.RefundInput)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, ref)
}

// apiRefundGet reads a refund.
func (h *handlers) apiRefundGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "refund")
	if err != nil {
		return err
	}
	ref, err := h.s.GetRefund(r.Context(), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, ref)
}

// apiReconciliation lists stored reconciliation days and their issues.
func (h *handlers) apiReconciliation(w http.ResponseWriter, r *http.Request) error {
	from, to, err := dayRange(r, h.s.db.Now())
	if err != nil {
		return err
	}
	days, err := h.s.Reports(r.Context(), from, to)
	if err != nil {
		return err
	}
	issues, err := h.s.Issues(r.Context(), from, to)
	if err != nil {
		return err
	}
	if days == nil {
		days = []DayReport{}
	}
	if issues == nil {
		issues = []Issue{}
	}
	return web.WriteJSON(w, http.StatusOK, ReconciliationBody{Days: days, Issues: issues})
}

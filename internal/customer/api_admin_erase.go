package customer

import (
	"net/http"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// PermErase lets staff delete a customer's account on the customer's
// request made by phone or in writing (PIPL): irreversible, so admins
// only (and the owner).
const PermErase platform.Permission = "customer.erase"

// Permissions is the customer domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermErase, Label: platform.Message{ZH: "按用户申请注销账户（个人信息匿名化）", EN: "Delete accounts on the customer's request (anonymise personal data)"},
		Roles: []platform.Role{platform.RoleAdmin}},
}

// EraseRequest is staff's record of a deletion request.
type EraseRequest struct {
	// Reason says how the customer asked (ticket number, call), for the
	// audit log.
	Reason string `json:"reason"`
}

func (h *handlers) adminRoutes() []web.Route {
	return []web.Route{
		{Method: http.MethodPost, Path: "/api/v1/admin/customers/{id}/erase", Surface: web.AdminAPI, Perm: PermErase, Handler: h.adminErase,
			Doc: &web.OpenAPIOp{Tag: "customers", Summary: "Delete a customer's account on their request",
				Description: "The same anonymisation as the customer's own deletion, audited with the staff member and the reason. 404 for an unknown or already deleted account.",
				Request:     EraseRequest{}, Status: http.StatusNoContent}},
	}
}

func (h *handlers) adminErase(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "customer")
	if err != nil {
		return err
	}
	var in EraseRequest
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" {
		return platform.Invalid("reason", "field.required")
	}
	if err := h.svc.Delete(r.Context(), audit.ActorFrom(r), id, DeleteInput{Confirm: DeleteConfirm, Reason: in.Reason}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

package invoice_test

import (
	"net/http"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/invoice"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
)

// Staff tools list, issue and reject through the admin API with a real
// token; an analyst's token reads but cannot issue.
func TestAdminAPI(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "buyer")
		var ids []platform.ID
		for range 2 {
			o, _ := seedOrder(t, a.DB, buyer.ID, order.Delivered)
			res, body := buyer.C.JSON("POST", invoicePath(o), `{"title_type":"personal","title":"张三"}`, "Idempotency-Key", "k"+o.String())
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("request: %d %s", res.StatusCode, body)
			}
			ids = append(ids, apptest.Decode[invoice.Invoice](t, body).ID)
		}
		service := apptest.NewClient(t, base)
		analyst := apptest.NewClient(t, base)
		auth := func(role platform.Role) []string {
			return []string{"Authorization", "Bearer " + apptest.StaffToken(t, a, role)}
		}
		sh, ah := auth(platform.RoleService), auth(platform.RoleAnalyst)

		res, body := analyst.JSON("GET", "/api/v1/admin/invoices?status=requested", "", ah...)
		if page := apptest.Decode[platform.Page[invoice.Invoice]](t, body); res.StatusCode != 200 || len(page.Items) != 2 || page.Items[0].ID != ids[1] {
			t.Errorf("list: %d %s", res.StatusCode, body)
		}
		res, body = analyst.JSON("POST", "/api/v1/admin/invoices/"+ids[0].String()+"/issue", `{"invoice_no":"B1"}`, ah...)
		apptest.Problem(t, res, body, http.StatusForbidden, platform.CodeForbidden)
		res, body = service.JSON("POST", "/api/v1/admin/invoices/"+ids[0].String()+"/issue", `{"invoice_no":"B1"}`, sh...)
		if v := apptest.Decode[invoice.Invoice](t, body); res.StatusCode != 200 || v.Status != invoice.Issued || v.InvoiceNo != "B1" {
			t.Errorf("issue: %d %s", res.StatusCode, body)
		}
		res, body = service.JSON("POST", "/api/v1/admin/invoices/"+ids[1].String()+"/issue", `{"invoice_no":"B1"}`, sh...)
		apptest.Problem(t, res, body, http.StatusConflict, invoice.CodeNumberTaken)
		res, body = service.JSON("POST", "/api/v1/admin/invoices/"+ids[1].String()+"/reject", `{"reason":""}`, sh...)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, body = service.JSON("POST", "/api/v1/admin/invoices/"+ids[1].String()+"/reject", `{"reason":"重复申请","extra":1}`, sh...)
		if res.StatusCode/100 != 4 {
			t.Errorf("unknown field: %d %s", res.StatusCode, body)
		}
		res, body = service.JSON("POST", "/api/v1/admin/invoices/"+ids[1].String()+"/reject", `{"reason":"重复申请"}`, sh...)
		if v := apptest.Decode[invoice.Invoice](t, body); res.StatusCode != 200 || v.Status != invoice.Rejected {
			t.Errorf("reject: %d %s", res.StatusCode, body)
		}
		res, body = service.JSON("POST", "/api/v1/admin/invoices/"+ids[1].String()+"/reject", `{"reason":"重复申请"}`, sh...)
		apptest.Problem(t, res, body, http.StatusConflict, invoice.CodeNotPending)
		res, body = service.JSON("GET", "/api/v1/admin/invoices?title_type=nobody", "", sh...)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action IN ('invoice.issue', 'invoice.reject') AND actor_kind = 'staff'`); n != 2 {
			t.Errorf("%d audited decisions, want 2", n)
		}
	})
}

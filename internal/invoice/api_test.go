package invoice_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/invoice"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// problemFields decodes a problem's field errors as field → message.
func problemFields(t *testing.T, body string) map[string]string {
	t.Helper()
	var p struct {
		Errors []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("not a problem: %s", body)
	}
	out := map[string]string{}
	for _, e := range p.Errors {
		out[e.Field] = e.Message
	}
	return out
}

// The shopper requests, reads and changes an invoice; staff issue it;
// after that the title is fixed. Bad input is a 422 naming the fields in
// the shopper's language; unpaid and cancelled orders are 409; someone
// else's order is 404.
func TestRequestUpdateIssue(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer, other := apptest.SignUp(t, base, "buyer"), apptest.SignUp(t, base, "other")
		paid, paidNo := seedOrder(t, a.DB, buyer.ID, order.Shipped)
		unpaid, _ := seedOrder(t, a.DB, buyer.ID, order.PendingPayment)
		cancelled, _ := seedOrder(t, a.DB, buyer.ID, order.Cancelled)

		for _, c := range []struct {
			name, body, lang string
			fields           map[string]string
		}{
			{"company without tax number", `{"title_type":"company","title":"某某有限公司"}`, "zh-CN",
				map[string]string{"tax_no": "企业抬头须填写税号"}},
			{"bad check digit", `{"title_type":"company","title":"某某有限公司","tax_no":"91350100M000100Y44"}`, "en",
				map[string]string{"tax_no": "not a valid unified social credit code"}},
			{"missing title, bad email", `{"title_type":"personal","title":"  ","email":"not-an-email"}`, "en",
				map[string]string{"title": "is required", "email": "not a valid email"}},
			{"unknown title type", `{"title_type":"government","title":"某单位"}`, "zh-CN",
				map[string]string{"title_type": "格式不正确"}},
		} {
			res, body := buyer.C.JSON("POST", invoicePath(paid), c.body, "Accept-Language", c.lang, "Idempotency-Key", "bad-"+strings.ReplaceAll(c.name, " ", "-"))
			apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
			got := problemFields(t, body)
			for f, want := range c.fields {
				if !strings.Contains(got[f], want) {
					t.Errorf("%s: field %s = %q, want it to say %q (%s)", c.name, f, got[f], want, body)
				}
			}
		}
		res, body := buyer.C.JSON("POST", invoicePath(unpaid), companyBody, "Idempotency-Key", "unpaid")
		apptest.Problem(t, res, body, http.StatusConflict, invoice.CodeOrderNotEligible)
		res, body = buyer.C.JSON("POST", invoicePath(cancelled), companyBody, "Idempotency-Key", "cancelled")
		apptest.Problem(t, res, body, http.StatusConflict, invoice.CodeOrderNotEligible)
		refunded, _ := seedOrder(t, a.DB, buyer.ID, order.Completed)
		if _, err := a.DB.W.Exec(`UPDATE orders SET refunded_total = total WHERE id = $1`, refunded); err != nil {
			t.Fatal(err)
		}
		res, body = buyer.C.JSON("POST", invoicePath(refunded), companyBody, "Idempotency-Key", "refunded")
		apptest.Problem(t, res, body, http.StatusConflict, invoice.CodeOrderNotEligible)
		res, body = other.C.JSON("POST", invoicePath(paid), companyBody, "Idempotency-Key", "theirs")
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		res, body = buyer.C.JSON("GET", invoicePath(paid), "")
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		res, body = buyer.C.JSON("POST", "/api/v1/customers/me/orders/nope/invoice", companyBody, "Idempotency-Key", "nope")
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)

		res, body = buyer.C.JSON("POST", invoicePath(paid), companyBody, "Idempotency-Key", "k1")
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("request: %d %s", res.StatusCode, body)
		}
		v := apptest.Decode[invoice.Invoice](t, body)
		if v.Status != invoice.Requested || v.Amount != 19000 || v.TaxNo != "9144030071526726XG" || v.OrderNo != paidNo || v.TitleType != invoice.Company {
			t.Errorf("requested: %+v", v)
		}
		// A retry with the same key is the same answer, not a conflict.
		res, body = buyer.C.JSON("POST", invoicePath(paid), companyBody, "Idempotency-Key", "k1")
		if again := apptest.Decode[invoice.Invoice](t, body); res.StatusCode != http.StatusCreated || again.ID != v.ID || res.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay: %d %s", res.StatusCode, body)
		}
		res, body = buyer.C.JSON("POST", invoicePath(paid), companyBody, "Idempotency-Key", "k2")
		apptest.Problem(t, res, body, http.StatusConflict, invoice.CodeExists)
		res, body = other.C.JSON("GET", invoicePath(paid), "")
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		res, body = other.C.JSON("PUT", invoicePath(paid), `{"title_type":"personal","title":"李四"}`)
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)

		res, body = buyer.C.JSON("PUT", invoicePath(paid), `{"title_type":"personal","title":"张三"}`)
		if u := apptest.Decode[invoice.Invoice](t, body); res.StatusCode != 200 || u.ID != v.ID || u.Title != "张三" || u.TaxNo != "" || u.TitleType != invoice.Personal {
			t.Errorf("update: %d %s", res.StatusCode, body)
		}
		res, body = buyer.C.JSON("PUT", invoicePath(paid), `{"title_type":"company","title":"张三"}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)

		// Staff issue it; analysts may look but not issue.
		issue := "/console/invoices/" + v.ID.String() + "/issue"
		if w := apptest.Console(t, a, platform.RoleAnalyst, "POST", issue, url.Values{"invoice_no": {"044031900111-00000001"}}); w.Code != http.StatusForbidden {
			t.Errorf("analyst issues: %d", w.Code)
		}
		if w := apptest.Console(t, a, platform.RoleService, "POST", issue, url.Values{"invoice_no": {"  "}}); w.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(w.Body.String(), "form-error") {
			t.Errorf("issue without number: %d", w.Code)
		}
		w := apptest.Console(t, a, platform.RoleService, "POST", issue, url.Values{"invoice_no": {"044031900111-00000001"}, "back": {"/console/invoices?status=requested"}})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/console/invoices?done=issued&status=requested" {
			t.Fatalf("issue: %d %s %s", w.Code, w.Header().Get("Location"), w.Body.String())
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.issue' AND entity_id = $1 AND actor_id = 42`, v.ID); n != 1 {
			t.Errorf("%d audit entries for the issue", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM outbox_events WHERE topic = 'invoice.issued' AND key = $1`, v.ID.String()); n != 1 {
			t.Errorf("%d issued events", n)
		}
		res, body = buyer.C.JSON("GET", invoicePath(paid), "")
		if got := apptest.Decode[invoice.Invoice](t, body); res.StatusCode != 200 || got.Status != invoice.Issued || got.InvoiceNo != "044031900111-00000001" || got.IssuedAt == nil {
			t.Errorf("after issue: %s", body)
		}
		if strings.Contains(body, "测试service") {
			t.Errorf("the shopper sees who issued it: %s", body)
		}
		res, body = buyer.C.JSON("PUT", invoicePath(paid), `{"title_type":"personal","title":"王五"}`)
		apptest.Problem(t, res, body, http.StatusConflict, invoice.CodeNotPending)
		res, body = buyer.C.JSON("POST", invoicePath(paid), companyBody, "Idempotency-Key", "k3")
		apptest.Problem(t, res, body, http.StatusConflict, invoice.CodeExists)
		if w := apptest.Console(t, a, platform.RoleService, "POST", issue, url.Values{"invoice_no": {"044031900111-00000002"}}); w.Code != http.StatusConflict {
			t.Errorf("issue twice: %d", w.Code)
		}
	})
}

// A number already used is refused; a rejected request can be asked
// again; rejecting needs a reason and is audited.
func TestRejectAndNumberTaken(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "buyer")
		first, _ := seedOrder(t, a.DB, buyer.ID, order.Paid)
		second, _ := seedOrder(t, a.DB, buyer.ID, order.Completed)
		ids := map[platform.ID]platform.ID{}
		for i, o := range []platform.ID{first, second} {
			res, body := buyer.C.JSON("POST", invoicePath(o), `{"title_type":"personal","title":"张三"}`, "Idempotency-Key", "k"+o.String())
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("request %d: %d %s", i, res.StatusCode, body)
			}
			ids[o] = apptest.Decode[invoice.Invoice](t, body).ID
		}
		if w := apptest.Console(t, a, platform.RoleAdmin, "POST", "/console/invoices/"+ids[first].String()+"/issue", url.Values{"invoice_no": {"A1"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("issue: %d", w.Code)
		}
		w := apptest.Console(t, a, platform.RoleAdmin, "POST", "/console/invoices/"+ids[second].String()+"/issue", url.Values{"invoice_no": {"A1"}})
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "该发票号码已被使用") {
			t.Errorf("same number: %d", w.Code)
		}
		reject := "/console/invoices/" + ids[second].String() + "/reject"
		if w := apptest.Console(t, a, platform.RoleAdmin, "POST", reject, url.Values{"reason": {""}}); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("reject without reason: %d", w.Code)
		}
		if w := apptest.Console(t, a, platform.RoleAdmin, "POST", reject, url.Values{"reason": {"抬头与付款人不符"}, "back": {"//evil.example/"}}); w.Code != http.StatusSeeOther ||
			w.Header().Get("Location") != "/console/invoices?done=rejected" {
			t.Errorf("reject: %d %s", w.Code, w.Header().Get("Location"))
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action = 'invoice.reject' AND entity_id = $1`, ids[second]); n != 1 {
			t.Errorf("%d audit entries for the rejection", n)
		}
		res, body := buyer.C.JSON("GET", invoicePath(second), "")
		if got := apptest.Decode[invoice.Invoice](t, body); res.StatusCode != 200 || got.Status != invoice.Rejected || got.RejectReason != "抬头与付款人不符" {
			t.Errorf("rejected: %s", body)
		}
		res, body = buyer.C.JSON("POST", invoicePath(second), companyBody, "Idempotency-Key", "again")
		if res.StatusCode != http.StatusCreated {
			t.Errorf("request after rejection: %d %s", res.StatusCode, body)
		}
		if w := apptest.Console(t, a, platform.RoleAdmin, "POST", "/console/invoices/123/reject", url.Values{"reason": {"x"}}); w.Code != http.StatusNotFound {
			t.Errorf("reject unknown: %d", w.Code)
		}
	})
}

// Cancelling the order cancels its waiting request in the same
// transaction.
func TestOrderCancelCancelsRequest(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "buyer")
		o, _ := seedOrder(t, a.DB, buyer.ID, order.Paid)
		res, body := buyer.C.JSON("POST", invoicePath(o), `{"title_type":"personal","title":"张三"}`, "Idempotency-Key", "k")
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("request: %d %s", res.StatusCode, body)
		}
		err := a.DB.Write(context.Background(), func(tx *store.Tx) error {
			_, err := order.Transition(context.Background(), tx, o, order.Cancelled, order.System, "库存不足")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		res, body = buyer.C.JSON("GET", invoicePath(o), "")
		if got := apptest.Decode[invoice.Invoice](t, body); res.StatusCode != 200 || got.Status != invoice.Cancelled {
			t.Errorf("after the order's cancellation: %s", body)
		}
		res, body = buyer.C.JSON("POST", invoicePath(o), `{"title_type":"personal","title":"张三"}`, "Idempotency-Key", "k2")
		apptest.Problem(t, res, body, http.StatusConflict, invoice.CodeOrderNotEligible)
	})
}

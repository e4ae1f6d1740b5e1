package invoice_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/store/storetest"
)

// The shopper's order page links to the invoice page, whose form asks
// for an invoice, shows a bad tax number's reason, then shows the request
// and lets the title change while it waits.
func TestShopPages(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer, other := apptest.SignUp(t, base, "buyer"), apptest.SignUp(t, base, "other")
		o, no := seedOrder(t, a.DB, buyer.ID, order.Paid)
		unpaid, _ := seedOrder(t, a.DB, buyer.ID, order.PendingPayment)
		page := "/orders/" + o.String() + "/invoice"

		if res, body := buyer.C.Do("GET", "/orders/"+o.String(), "", ""); res.StatusCode != 200 || !strings.Contains(body, `href="`+page+`"`) {
			t.Errorf("order page: %d, no invoice link", res.StatusCode)
		}
		if _, body := buyer.C.Do("GET", "/orders/"+unpaid.String(), "", ""); strings.Contains(body, "/invoice") {
			t.Error("an unpaid order offers an invoice")
		}
		visitor := apptest.NewClient(t, base)
		if res, _ := visitor.Do("GET", page, "", ""); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin?next=") {
			t.Errorf("visitor: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res, _ := other.C.Do("GET", page, "", ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("someone else's order: %d", res.StatusCode)
		}

		res, body := buyer.C.Do("GET", page, "", "")
		if res.StatusCode != 200 || !strings.Contains(body, no) || !strings.Contains(body, `id="invoice-form"`) || !strings.Contains(body, "尚未申请发票") {
			t.Fatalf("empty page: %d %s", res.StatusCode, body)
		}
		res, body = buyer.C.Form(page, url.Values{"title_type": {"company"}, "title": {"某某有限公司"}, "tax_no": {"91350100M000100Y44"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="tax-no-error"`) || !strings.Contains(body, "某某有限公司") {
			t.Errorf("bad tax number: %d %s", res.StatusCode, body)
		}
		submit := func(v url.Values) (*http.Response, string) {
			t.Helper()
			res, _ := buyer.C.Form(page, v)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != page+"?saved=1" {
				t.Fatalf("submit: %d %s", res.StatusCode, res.Header.Get("Location"))
			}
			return buyer.C.Do("GET", page+"?saved=1", "", "")
		}
		res, body = submit(url.Values{"title_type": {"company"}, "title": {"某某有限公司"}, "tax_no": {"91350100M000100Y43"}})
		if res.StatusCode != 200 || !strings.Contains(body, `id="invoice-saved"`) || !strings.Contains(body, "待开票") || !strings.Contains(body, "修改抬头") {
			t.Errorf("after request: %d %s", res.StatusCode, body)
		}
		res, body = submit(url.Values{"title_type": {"personal"}, "title": {"张三"}})
		if res.StatusCode != 200 || !strings.Contains(body, "张三") || strings.Contains(body, "91350100M000100Y43") {
			t.Errorf("after update: %d %s", res.StatusCode, body)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM invoice_requests WHERE order_id = $1`, o); n != 1 {
			t.Errorf("%d requests, want the one updated", n)
		}
	})
}

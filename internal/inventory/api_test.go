package inventory_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/inventory"
	"storeops/internal/platform"
)

type client struct {
	t     *testing.T
	base  string
	token string
}

func (c client) do(method, path, body string, header ...string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusSeeOther {
		return resp.StatusCode, resp.Header.Get("Location")
	}
	return resp.StatusCode, string(b)
}

func TestAPIAndConsole(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a.DB)
		sku := s.sku("ambient", map[string]int64{"SH": 20})
		if _, err := reserve(t, a.DB, "web-1", "310000", inventory.Line{SKU: sku, Qty: 1}); err != nil {
			t.Fatal(err)
		}
		base := apptest.Serve(t, a)
		supply := client{t, base, apptest.StaffToken(t, a, platform.RoleSupply)}
		analyst := client{t, base, apptest.StaffToken(t, a, platform.RoleAnalyst)}
		sh, gz := s.wh["SH"].String(), s.wh["GZ"].String()
		skuID := sku.String()

		steps := []struct {
			name   string
			c      client
			method string
			path   string
			body   string
			status int
			want   string
		}{
			{"warehouses", analyst, "GET", "/api/v1/inventory/warehouses", "", 200, `"code":"SH"`},
			{"receipt", supply, "POST", "/api/v1/inventory/receipts", `{"sku_id":"` + skuID + `","warehouse_id":"` + gz + `","qty":5,"ref":"PO-9"}`, 201, `"on_hand":5`},
			{"transfer", supply, "POST", "/api/v1/inventory/transfers", `{"sku_id":"` + skuID + `","from_warehouse_id":"` + sh + `","to_warehouse_id":"` + gz + `","qty":3}`, 201, `"on_hand":17`},
			{"transfer too many", supply, "POST", "/api/v1/inventory/transfers", `{"sku_id":"` + skuID + `","from_warehouse_id":"` + sh + `","to_warehouse_id":"` + gz + `","qty":300}`, 409, `"code":"out_of_stock"`},
			{"adjust", supply, "POST", "/api/v1/inventory/adjustments", `{"sku_id":"` + skuID + `","warehouse_id":"` + sh + `","delta":-1,"note":"破损"}`, 201, `"on_hand":16`},
			{"stock-take", supply, "POST", "/api/v1/inventory/stock-takes", `{"sku_id":"` + skuID + `","warehouse_id":"` + sh + `","counted":15}`, 201, `"on_hand":15`},
			{"threshold", supply, "PUT", "/api/v1/inventory/thresholds", `{"sku_id":"` + skuID + `","warehouse_id":"` + sh + `","threshold":20}`, 204, ``},
			{"shop threshold", supply, "PUT", "/api/v1/inventory/default-thresholds", `{"threshold":3}`, 204, ``},
			{"bad category", supply, "PUT", "/api/v1/inventory/default-thresholds", `{"category_id":"5","threshold":3}`, 422, `"field":"category_id"`},
			{"stock", analyst, "GET", "/api/v1/inventory/stock?sku_id=" + skuID, "", 200, `"threshold":20`},
			{"ledger", analyst, "GET", "/api/v1/inventory/skus/" + skuID + "/ledger?warehouse_id=" + sh, "", 200, `"reason":"stock_take"`},
			{"holds", analyst, "GET", "/api/v1/inventory/skus/" + skuID + "/reservations", "", 200, `"ref":{"type":"order","id":"web-1"}`},
			{"low stock", analyst, "GET", "/api/v1/inventory/low-stock", "", 200, `"items":[`},
			{"analyst cannot adjust", analyst, "POST", "/api/v1/inventory/adjustments", `{"sku_id":"` + skuID + `","warehouse_id":"` + sh + `","delta":1}`, 403, `"code":"forbidden"`},
			{"malformed json", supply, "POST", "/api/v1/inventory/receipts", `{"sku_id":`, 400, `"code":"malformed_json"`},
			{"wrong type", supply, "POST", "/api/v1/inventory/receipts", `{"sku_id":"` + skuID + `","warehouse_id":"` + sh + `","qty":"many"}`, 422, `"field":"qty"`},
			{"unknown field", supply, "POST", "/api/v1/inventory/receipts", `{"sku":"x"}`, 422, `"code":"invalid"`},
			{"zero qty", supply, "POST", "/api/v1/inventory/receipts", `{"sku_id":"` + skuID + `","warehouse_id":"` + sh + `","qty":0}`, 422, `"field":"qty"`},
			{"unknown warehouse", supply, "POST", "/api/v1/inventory/receipts", `{"sku_id":"` + skuID + `","warehouse_id":"1","qty":1}`, 422, `"field":"warehouse_id"`},
			{"bad id filter", analyst, "GET", "/api/v1/inventory/stock?warehouse_id=abc", "", 422, `"field":"warehouse_id"`},
			{"bad cursor", analyst, "GET", "/api/v1/inventory/stock?cursor=!!!", "", 400, `"code":"bad_cursor"`},
			{"bad sku path", analyst, "GET", "/api/v1/inventory/skus/x/ledger", "", 404, `"code":"not_found"`},
			{"console stock", analyst, "GET", "/console/inventory?warehouse_id=" + sh, "", 200, `id="stock-table"`},
			{"console stock bad filter", analyst, "GET", "/console/inventory?warehouse_id=zz", "", 422, `class="errors"`},
			{"console export", analyst, "GET", "/console/inventory?format=xlsx&table=stock-table&code=SKU-1", "", 200, "PK"},
			{"console sku", analyst, "GET", "/console/inventory/skus/" + skuID, "", 200, `data-reason="stock_take"`},
			{"console holds", analyst, "GET", "/console/inventory/skus/" + skuID, "", 200, `id="holds-table"`},
			{"console low", analyst, "GET", "/console/inventory/low-stock", "", 200, `SKU-1`},
			{"console ops", supply, "GET", "/console/inventory/operations?sku=" + skuID, "", 200, `id="transfer-form"`},
			{"console ops forbidden", analyst, "GET", "/console/inventory/operations", "", 403, ``},
		}
		for _, st := range steps {
			status, body := st.c.do(st.method, st.path, st.body)
			if status != st.status || !strings.Contains(body, st.want) {
				t.Errorf("%s: %d %s, want %d containing %s", st.name, status, trim(body), st.status, st.want)
			}
		}

		// A retried receipt with the same Idempotency-Key books once.
		body := `{"sku_id":"` + skuID + `","warehouse_id":"` + gz + `","qty":2}`
		st1, b1 := supply.do("POST", "/api/v1/inventory/receipts", body, "Idempotency-Key", "receipt-retry-1")
		st2, b2 := supply.do("POST", "/api/v1/inventory/receipts", body, "Idempotency-Key", "receipt-retry-1")
		if st1 != 201 || st2 != 201 || b1 != b2 {
			t.Errorf("retried receipt: %d %s then %d %s", st1, b1, st2, b2)
		}
		if on, _ := s.level(sku, "GZ"); on != 10 {
			t.Errorf("GZ on hand %d after a retried receipt of 2, want 10", on)
		}

		// The console's forms post like a browser does, by SKU code.
		form := url.Values{"sku": {"SKU-1"}, "warehouse_id": {sh}, "qty": {"4"}, "ref": {"PO-10"}}
		status, loc := supply.do("POST", "/console/inventory/receipts", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
		if status != http.StatusSeeOther || loc != "/console/inventory/skus/"+skuID+"?done=1" {
			t.Errorf("receipt form: %d %s", status, loc)
		}
		form = url.Values{"sku": {skuID}, "warehouse_id": {gz}, "threshold": {"9"}}
		if status, loc := supply.do("POST", "/console/inventory/thresholds", form.Encode(), "Content-Type", "application/x-www-form-urlencoded"); status != http.StatusSeeOther {
			t.Errorf("threshold form: %d %s", status, loc)
		}
		form = url.Values{"sku": {"NOPE"}, "warehouse_id": {sh}, "qty": {"4"}}
		if status, body := supply.do("POST", "/console/inventory/receipts", form.Encode(), "Content-Type", "application/x-www-form-urlencoded"); status != 422 || !strings.Contains(body, `id="form-error"`) {
			t.Errorf("bad receipt form: %d %s", status, trim(body))
		}

		// Every staff change is in the audit log.
		var n int
		if err := a.DB.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'inventory.%' AND actor_name = 'supply'`).Scan(&n); err != nil || n != 9 {
			t.Errorf("%d audited inventory changes by the supply user (%v), want 9", n, err)
		}
		var stock struct {
			Items []struct {
				OnHand int64 `json:"on_hand"`
			} `json:"items"`
		}
		_, body = analyst.do("GET", "/api/v1/inventory/stock?sku_id="+skuID+"&warehouse_id="+sh, "")
		if err := json.Unmarshal([]byte(body), &stock); err != nil || len(stock.Items) != 1 || stock.Items[0].OnHand != 19 {
			t.Errorf("stock after the form: %s", trim(body))
		}
		s.balanced()
	})
}

func trim(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

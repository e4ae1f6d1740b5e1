package promotion_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/web"
)

type client struct {
	t     *testing.T
	base  string
	token string
}

// do sends a request; a form body is posted as a browser would. A
// redirect comes back as its status and Location.
func (c client) do(method, path, body string, header ...string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
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

func (c client) form(path string, v url.Values) (int, string) {
	c.t.Helper()
	return c.do("POST", path, v.Encode(), "Content-Type", "application/x-www-form-urlencoded")
}

// id reads "id" from a JSON answer.
func idOf(t *testing.T, body string) string {
	t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil || v.ID == "" {
		t.Fatalf("no id in %s", trim(body))
	}
	return v.ID
}

func trim(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

type step struct {
	name   string
	c      client
	method string
	path   string
	body   string
	status int
	want   string
}

func run(t *testing.T, steps []step) {
	t.Helper()
	for _, st := range steps {
		status, body := st.c.do(st.method, st.path, st.body, "Idempotency-Key", "k-"+strings.ReplaceAll(st.name, " ", "-"))
		if status != st.status || !strings.Contains(body, st.want) {
			t.Errorf("%s: %d %s, want %d containing %s", st.name, status, trim(body), st.status, st.want)
		}
	}
}

func TestAPI(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		f := catalogtest.New(t, a.DB)
		cat := f.Category("服饰", "Apparel", 0)
		_, skus := f.Create(catalogtest.Product{Category: cat, Title: "羊毛衫", SKUs: []catalogtest.SKU{{Price: 20000, Stock: 50}}})
		sku := skus[0].String()
		base := apptest.Serve(t, a)
		mkt := client{t, base, apptest.StaffToken(t, a, platform.RoleMarketing)}
		analyst := client{t, base, apptest.StaffToken(t, a, platform.RoleAnalyst)}
		shopper := client{t, base, ""}
		const api = "/api/v1/admin/promotions"

		status, body := mkt.do("POST", api+"/rules", `{"name":"满300减50","kind":"tiered","steps":[{"threshold":30000,"off":5000}],"scope":{"category_ids":["`+cat.String()+`"]}}`)
		if status != 201 {
			t.Fatalf("create rule: %d %s", status, trim(body))
		}
		rule := idOf(t, body)
		status, body = mkt.do("POST", api+"/batches", `{"name":"十元券","kind":"amount","amount":1000,"total":100,"scope":{}}`)
		if status != 201 {
			t.Fatalf("create batch: %d %s", status, trim(body))
		}
		batch := idOf(t, body)

		status, body = mkt.do("POST", api+"/rules", `{"name":"草稿9折","kind":"percent_off","percent":10}`)
		if status != 201 {
			t.Fatalf("create draft: %d %s", status, trim(body))
		}
		draft := idOf(t, body)
		// A batch limited per customer needs a signed-in shopper.
		status, body = mkt.do("POST", api+"/batches", `{"name":"每人一张","kind":"free_shipping","per_customer":1,"scope":{}}`)
		if status != 201 {
			t.Fatalf("create batch: %d %s", status, trim(body))
		}
		once := idOf(t, body)
		const perCustomerCode = "ONCE-EACH"
		run(t, []step{
			{"once status", mkt, "POST", api + "/batches/" + once + "/status", `{"status":"active"}`, 200, `"status":"active"`},
			{"once code", mkt, "POST", api + "/batches/" + once + "/public-codes", `{"code":"` + perCustomerCode + `"}`, 201, `"public":true`},
		})
		run(t, []step{
			{"bad rule", mkt, "POST", api + "/rules", `{"name":"","kind":"tiered","steps":[{"threshold":100,"off":300}]}`, 422, `"field":"steps[0].off"`},
			{"unknown rule kind", mkt, "POST", api + "/rules", `{"name":"x","kind":"magic"}`, 422, `"field":"kind"`},
			{"malformed", mkt, "POST", api + "/rules", `{"name":`, 400, `"code":"malformed_json"`},
			{"unknown field", mkt, "POST", api + "/rules", `{"nom":"x"}`, 422, `"field":"nom"`},
			{"wrong type", mkt, "POST", api + "/batches", `{"name":"x","kind":"amount","amount":"ten"}`, 422, `"field":"amount"`},
			{"bad batch", mkt, "POST", api + "/batches", `{"name":"折扣券","kind":"percent","percent":0}`, 422, `"field":"percent"`},
			{"analyst cannot create", analyst, "POST", api + "/rules", `{"name":"x","kind":"percent_off","percent":10}`, 403, `"code":"forbidden"`},
			{"rule status", mkt, "POST", api + "/rules/" + rule + "/status", `{"status":"active"}`, 200, `"status":"active"`},
			{"bad status", mkt, "POST", api + "/rules/" + rule + "/status", `{"status":"running"}`, 422, `"field":"status"`},
			{"unknown rule", analyst, "GET", api + "/rules/12345", "", 404, `"code":"not_found"`},
			{"bad rule id", analyst, "GET", api + "/rules/abc", "", 404, `"code":"not_found"`},
			{"rules", analyst, "GET", api + "/rules?status=active", "", 200, `"name":"满300减50"`},
			{"bad status filter", analyst, "GET", api + "/rules?status=zzz", "", 422, `"field":"status"`},
			{"bad cursor", analyst, "GET", api + "/batches?cursor=!!", "", 400, `"code":"bad_cursor"`},
			{"batch status", mkt, "POST", api + "/batches/" + batch + "/status", `{"status":"active"}`, 200, `"status":"active"`},
			{"issue", mkt, "POST", api + "/batches/" + batch + "/codes", `{"count":5}`, 201, `"issued":5`},
			{"issue too many", mkt, "POST", api + "/batches/" + batch + "/codes", `{"count":1000000}`, 422, `"field":"count"`},
			{"public code", mkt, "POST", api + "/batches/" + batch + "/public-codes", `{"code":"wool10"}`, 201, `"code":"WOOL10"`},
			{"public code taken", mkt, "POST", api + "/batches/" + batch + "/public-codes", `{"code":"WOOL10"}`, 409, `"code":"coupon_code_taken"`},
			{"bad public code", mkt, "POST", api + "/batches/" + batch + "/public-codes", `{"code":"a b"}`, 422, `"field":"code"`},
			{"assign unknown customer", mkt, "POST", api + "/batches/" + batch + "/assignments", `{"customer_id":"42"}`, 422, `"field":"customer_id"`},
			{"codes", analyst, "GET", api + "/batches/" + batch + "/codes?limit=2", "", 200, `"next_cursor"`},
			{"batch counts", analyst, "GET", api + "/batches/" + batch, "", 200, `"issued":6`},
			{"void unknown", mkt, "POST", api + "/codes/NOPE/void", "", 422, `"code":"coupon_unavailable"`},
			{"check", shopper, "GET", "/api/v1/coupons/wool10", "", 200, `"valid":true`},
			{"check sign-in", shopper, "GET", "/api/v1/coupons/" + perCustomerCode, "", 200, `"reason":"sign_in_required"`},
			{"check unknown", shopper, "GET", "/api/v1/coupons/NOPE-NOPE", "", 404, `"code":"not_found"`},
			{"preview", analyst, "GET", api + "/preview?lines=" + sku + ":2&coupon_codes=WOOL10", "", 200, `"payable":34000`},
			{"preview explains", analyst, "GET", api + "/preview?lines=" + sku + ":2", "", 200, `满300减50`},
			{"preview without the draft", analyst, "GET", api + "/preview?lines=" + sku + ":1", "", 200, `"payable":20000`},
			{"preview with the draft", analyst, "GET", api + "/preview?lines=" + sku + ":1&with_rules=" + draft, "", 200, `"payable":18000`},
			{"preview unknown rule", analyst, "GET", api + "/preview?lines=" + sku + ":1&with_rules=42", "", 422, `"field":"with_rules"`},
			{"preview by code", analyst, "GET", api + "/preview?lines=SKU-" + sku + ":2", "", 200, `羊毛衫`},
			{"preview unknown code", analyst, "GET", api + "/preview?lines=SKU-NOPE:2", "", 422, `"field":"lines[0].sku_id"`},
			{"preview unknown sku", analyst, "GET", api + "/preview?lines=42:1", "", 422, `"field":"lines[0].sku_id"`},
			{"preview bad lines", analyst, "GET", api + "/preview?lines=abc", "", 422, `"field":"lines"`},
			{"preview no lines", analyst, "GET", api + "/preview", "", 422, `"field":"lines"`},
			{"preview unknown coupon", analyst, "GET", api + "/preview?lines=" + sku + ":1&coupon_codes=NOPE", "", 422, `"code":"coupon_unknown"`},
		})
		run(t, []step{
			{"void", mkt, "POST", api + "/codes/WOOL10/void", "", 204, ``},
			{"check void", shopper, "GET", "/api/v1/coupons/WOOL10", "", 200, `"reason":"unavailable"`},
		})
		if n := countRows(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'promotion.%' AND actor_name = 'marketing'`); n != 11 {
			t.Errorf("%d audited promotion changes by marketing, want 11", n)
		}
	})
}

func TestConsole(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		f := catalogtest.New(t, a.DB)
		cat := f.Category("服饰", "Apparel", 0)
		_, skus := f.Create(catalogtest.Product{Category: cat, Title: "T恤", SKUs: []catalogtest.SKU{{Price: 9900, Stock: 50}}})
		base := apptest.Serve(t, a)
		mkt := client{t, base, apptest.StaffToken(t, a, platform.RoleMarketing)}
		analyst := client{t, base, apptest.StaffToken(t, a, platform.RoleAnalyst)}
		const con = "/console/promotions"

		// A multi-buy rule from the form: 第二件半价 on the category.
		status, loc := mkt.form(con+"/rules", url.Values{"name": {"第二件半价"}, "kind": {"multi_buy"}, "every_n": {"2"}, "percent": {"50"},
			"scope.category_ids": {cat.String()}, "starts_at": {"2026-11-01T00:00"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, con+"/rules/") {
			t.Fatalf("rule form: %d %s", status, trim(loc))
		}
		rulePath := strings.TrimSuffix(loc, "?done=1")
		if status, loc := mkt.form(rulePath+"/status", url.Values{"status": {"active"}}); status != http.StatusSeeOther {
			t.Errorf("activate: %d %s", status, loc)
		}
		// A 满减 rule in yuan steps, then a coupon batch.
		if status, body := mkt.form(con+"/rules", url.Values{"name": {"满300减50"}, "kind": {"tiered"}, "steps": {"300:50，500:100"}}); status != http.StatusSeeOther {
			t.Errorf("tiered form: %d %s", status, trim(body))
		}
		status, loc = mkt.form(con+"/batches", url.Values{"name": {"满100减10"}, "kind": {"amount"}, "amount": {"10"}, "min_spend": {"100"}, "total": {"50"}})
		if status != http.StatusSeeOther {
			t.Fatalf("batch form: %d %s", status, trim(loc))
		}
		batchPath := strings.TrimSuffix(loc, "?done=1")
		if status, body := mkt.form(batchPath+"/codes", url.Values{"count": {"12"}}); status != http.StatusSeeOther {
			t.Errorf("issue form: %d %s", status, trim(body))
		}

		// Give a code to a customer, void one, and a rule with daily hours.
		shopper := newWorld(t, a.DB).customer()
		if status, body := mkt.form(batchPath+"/assignments", url.Values{"customer_id": {shopper.String()}, "valid_days": {"7"}}); status != http.StatusSeeOther {
			t.Errorf("assign form: %d %s", status, trim(body))
		}
		if n := countRows(t, a.DB, `SELECT COUNT(*) FROM coupon_codes WHERE owner_id = $1 AND status = 'claimed' AND ends_at IS NOT NULL`, shopper); n != 1 {
			t.Errorf("%d codes claimed by the customer, want 1", n)
		}
		var code string
		if err := a.DB.R.QueryRow(`SELECT code FROM coupon_codes WHERE owner_id IS NULL ORDER BY id LIMIT 1`).Scan(&code); err != nil {
			t.Fatal(err)
		}
		if status, body := mkt.form(batchPath+"/void", url.Values{"code": {strings.ToLower(code)}}); status != http.StatusSeeOther {
			t.Errorf("void form: %d %s", status, trim(body))
		}
		if status, body := mkt.form(batchPath+"/void", url.Values{"code": {code}}); status != 422 || !strings.Contains(body, `id="form-error"`) {
			t.Errorf("void twice: %d %s", status, trim(body))
		}
		status, loc = mkt.form(con+"/rules", url.Values{"name": {"周末夜场9折"}, "kind": {"percent_off"}, "percent": {"10"},
			"hours.from": {"20:00"}, "hours.to": {"02:00"}, "hours.weekdays": {"5, 6"}})
		if status != http.StatusSeeOther {
			t.Fatalf("hours form: %d %s", status, trim(loc))
		}
		hoursPath := strings.TrimSuffix(loc, "?done=1")
		status, loc = mkt.form(con+"/rules", url.Values{"name": {"去年双12"}, "kind": {"percent_off"}, "percent": {"12"},
			"starts_at": {"2020-12-12T00:00"}, "ends_at": {"2020-12-13T00:00"}})
		if status != http.StatusSeeOther {
			t.Fatalf("past rule form: %d %s", status, trim(loc))
		}
		if status, loc := mkt.form(strings.TrimSuffix(loc, "?done=1")+"/status", url.Values{"status": {"active"}}); status != http.StatusSeeOther {
			t.Errorf("activate past rule: %d %s", status, loc)
		}

		lines := url.Values{"lines": {skus[0].String() + ":2"}}.Encode()
		run(t, []step{
			{"rules page", analyst, "GET", con + "/rules", "", 200, `id="rules-table"`},
			{"rules filter", analyst, "GET", con + "/rules?status=active", "", 200, `第二件半价`},
			{"rule page", analyst, "GET", rulePath, "", 200, `value="2026-11-01T00:00"`},
			{"new rule page", mkt, "GET", con + "/rules/new?kind=bundle", "", 200, `id="rule-form"`},
			{"new rule forbidden", analyst, "GET", con + "/rules/new", "", 403, ``},
			{"batches page", analyst, "GET", con + "/batches", "", 200, `满100减10`},
			{"batch page", analyst, "GET", batchPath, "", 200, `id="codes-table"`},
			{"codes export", analyst, "GET", batchPath + "?format=xlsx&table=codes-table", "", 200, "PK"},
			{"preview page", analyst, "GET", con + "/preview", "", 200, `id="preview-form"`},
			{"preview result", analyst, "GET", con + "/preview?" + lines, "", 200, `¥148.50`},
			{"preview bad", analyst, "GET", con + "/preview?lines=x:y", "", 422, `id="form-error"`},
			{"window over", analyst, "GET", con + "/rules?status=active", "", 200, `data-over="1"`},
			{"rule hours", analyst, "GET", hoursPath, "", 200, `value="5, 6"`},
			{"unknown rule page", analyst, "GET", con + "/rules/99", "", 404, ``},
		})

		refused := []struct {
			name, path string
			form       url.Values
			field      string
		}{
			{"rule without name", con + "/rules", url.Values{"kind": {"percent_off"}, "percent": {"10"}}, "name"},
			{"percent out of range", con + "/rules", url.Values{"name": {"x"}, "kind": {"percent_off"}, "percent": {"150"}}, "percent"},
			{"bad money", con + "/rules", url.Values{"name": {"x"}, "kind": {"amount_off"}, "amount": {"12.345"}}, "amount"},
			{"bad steps", con + "/rules", url.Values{"name": {"x"}, "kind": {"tiered"}, "steps": {"300-50"}}, "steps"},
			{"bad time", con + "/rules", url.Values{"name": {"x"}, "kind": {"percent_off"}, "percent": {"10"}, "starts_at": {"tomorrow"}}, "starts_at"},
			{"window order", con + "/rules", url.Values{"name": {"x"}, "kind": {"percent_off"}, "percent": {"10"}, "starts_at": {"2026-12-01T00:00"}, "ends_at": {"2026-11-01T00:00"}}, "ends_at"},
			{"bad batch", con + "/batches", url.Values{"name": {"x"}, "kind": {"amount"}, "amount": {"50"}, "min_spend": {"20"}}, "amount"},
			{"bad issue", batchPath + "/codes", url.Values{"count": {"0"}}, "count"},
			{"bad weekday", con + "/rules", url.Values{"name": {"x"}, "kind": {"percent_off"}, "percent": {"10"}, "hours.from": {"20:00"}, "hours.to": {"22:00"}, "hours.weekdays": {"7"}}, "hours.weekdays"},
			{"bad assign", batchPath + "/assignments", url.Values{"customer_id": {"nobody"}}, "customer_id"},
		}
		for _, r := range refused {
			status, body := mkt.form(r.path, r.form)
			if status != 422 || !strings.Contains(body, `id="form-error"`) || !strings.Contains(body, `data-field="`+r.field+`"`) {
				t.Errorf("%s: %d %s, want 422 naming %s", r.name, status, trim(body), r.field)
			}
		}
		// Field errors read in English with the en switch.
		status, body := mkt.do("POST", con+"/rules", url.Values{"name": {"x"}, "kind": {"percent_off"}, "percent": {"150"}}.Encode(),
			"Content-Type", "application/x-www-form-urlencoded", "Cookie", web.LangCookie+"=en")
		if status != 422 || !strings.Contains(body, "must be") {
			t.Errorf("english field error: %d %s", status, trim(body))
		}
	})
}

package promotion_test

import (
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
)

// A shopper claims a code from a card into their coupons; the same code
// cannot be claimed twice, and every refusal is the same 404.
func TestShopperClaims(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		mkt := client{t, base, apptest.StaffToken(t, a, platform.RoleMarketing)}
		const api = "/api/v1/admin/promotions"
		_, body := mkt.do("POST", api+"/batches", `{"name":"卡券","kind":"amount","amount":800,"scope":{}}`)
		batch := idOf(t, body)
		mkt.do("POST", api+"/batches/"+batch+"/status", `{"status":"active"}`)
		if status, body := mkt.do("POST", api+"/batches/"+batch+"/codes", `{"count":2}`, "Idempotency-Key", "claim-issue"); status != 201 {
			t.Fatalf("issue: %d %s", status, trim(body))
		}
		var code string
		if err := a.DB.R.QueryRow(`SELECT code FROM coupon_codes ORDER BY id LIMIT 1`).Scan(&code); err != nil {
			t.Fatal(err)
		}
		signup := func(name string) *apptest.Client {
			c := apptest.NewClient(t, base)
			if res, body := c.JSON("POST", "/api/v1/customers/signup", `{"email":"`+name+`@example.com","password":"a long enough password"}`); res.StatusCode != 201 {
				t.Fatalf("sign up: %d %s", res.StatusCode, body)
			}
			return c
		}
		alice, bob := signup("alice"), signup("bob")
		guest := apptest.NewClient(t, base)

		steps := []struct {
			name   string
			c      *apptest.Client
			method string
			path   string
			status int
			want   string
		}{
			{"guest claim", guest, "POST", "/api/v1/coupons/" + code + "/claim", 401, `"code":"unauthenticated"`},
			{"claim", alice, "POST", "/api/v1/coupons/" + strings.ToLower(code) + "/claim", 201, `"status":"claimed"`},
			{"claim again", bob, "POST", "/api/v1/coupons/" + code + "/claim", 404, `"code":"not_found"`},
			{"claim unknown", bob, "POST", "/api/v1/coupons/NOPE/claim", 404, `"code":"not_found"`},
			{"mine", alice, "GET", "/api/v1/customers/me/coupons", 200, `"code":"` + code + `"`},
			{"not bob's", bob, "GET", "/api/v1/customers/me/coupons", 200, `[]`},
			{"check as owner", alice, "GET", "/api/v1/coupons/" + code, 200, `"valid":true`},
			{"check as other", bob, "GET", "/api/v1/coupons/" + code, 200, `"reason":"not_owner"`},
		}
		for _, st := range steps {
			res, body := st.c.JSON(st.method, st.path, "")
			if res.StatusCode != st.status || !strings.Contains(body, st.want) {
				t.Errorf("%s: %d %s, want %d containing %s", st.name, res.StatusCode, trim(body), st.status, st.want)
			}
		}
		if n := countRows(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action = 'promotion.code_claim' AND actor_kind = 'customer'`); n != 1 {
			t.Errorf("%d audited claims, want 1", n)
		}
	})
}

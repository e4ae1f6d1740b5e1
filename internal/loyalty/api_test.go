package loyalty_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/loyalty"
	"storeops/internal/platform"
)

// A shopper reads only their own membership and points; staff adjust
// with a reason through the admin API (audited), within their role;
// bad input is a clear problem.
func TestShopperAndAdminAPI(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		alice, bob := apptest.SignUp(t, base, "alice"), apptest.SignUp(t, base, "bob")
		service := apptest.NewClient(t, base)
		sh := []string{"Authorization", "Bearer " + apptest.StaffToken(t, a, platform.RoleService)}
		ah := []string{"Authorization", "Bearer " + apptest.StaffToken(t, a, platform.RoleAnalyst)}
		adjust := "/api/v1/admin/customers/" + alice.ID.String() + "/points/adjust"

		res, body := service.JSON("POST", adjust, `{"points":500,"reason":"补偿<b>延迟</b>"}`, append(sh, "Idempotency-Key", "adj-1")...)
		if e := apptest.Decode[loyalty.Entry](t, body); res.StatusCode != http.StatusCreated || e.Points != 500 || e.BalanceAfter != 500 {
			t.Fatalf("adjust: %d %s", res.StatusCode, body)
		}
		// The same key again is the same adjustment, not a second one.
		res, _ = service.JSON("POST", adjust, `{"points":500,"reason":"补偿<b>延迟</b>"}`, append(sh, "Idempotency-Key", "adj-1")...)
		if res.StatusCode != http.StatusCreated || balance(t, a, alice.ID) != 500 {
			t.Errorf("replayed adjust: %d, balance %d", res.StatusCode, balance(t, a, alice.ID))
		}
		for _, tc := range []struct {
			name, path, body string
			headers          []string
			status           int
			code             platform.Code
		}{
			{"analyst", adjust, `{"points":1,"reason":"x"}`, ah, 403, platform.CodeForbidden},
			{"zero", adjust, `{"points":0,"reason":"x"}`, sh, 422, platform.CodeInvalid},
			{"no reason", adjust, `{"points":5,"reason":"  "}`, sh, 422, platform.CodeInvalid},
			{"too many", adjust, `{"points":-501,"reason":"纠错"}`, sh, 409, loyalty.CodeNotEnoughPoints},
			{"no such customer", "/api/v1/admin/customers/12345/points/adjust", `{"points":5,"reason":"x"}`, sh, 404, platform.CodeNotFound},
			{"bad id", "/api/v1/admin/customers/abc/points/adjust", `{"points":5,"reason":"x"}`, sh, 404, platform.CodeNotFound},
			{"malformed", adjust, `{"points":`, sh, 400, platform.CodeMalformedJSON},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, body := service.JSON("POST", tc.path, tc.body, append(tc.headers, "Idempotency-Key", "k-"+strings.ReplaceAll(tc.name, " ", "-"))...)
				if tc.status == 404 && tc.name == "bad id" {
					if res.StatusCode/100 != 4 {
						t.Errorf("bad id: %d %s", res.StatusCode, body)
					}
					return
				}
				apptest.Problem(t, res, body, tc.status, tc.code)
			})
		}
		if n := count(t, a, `SELECT COUNT(*) FROM audit_log WHERE action = 'loyalty.adjust' AND actor_kind = 'staff'`); n != 1 {
			t.Errorf("%d audited adjustments, want 1", n)
		}

		res, body = alice.C.JSON("GET", "/api/v1/customers/me/membership", "")
		me := apptest.Decode[loyalty.MeResponse](t, body)
		if res.StatusCode != 200 || me.Balance != 500 || me.Tier.Code != "regular" || me.Next == nil || me.Next.Code != "silver" || len(me.Tiers) != 4 {
			t.Errorf("alice's membership: %d %s", res.StatusCode, body)
		}
		res, body = alice.C.JSON("GET", "/api/v1/customers/me/points?limit=1", "")
		if p := apptest.Decode[platform.Page[loyalty.Entry]](t, body); res.StatusCode != 200 || len(p.Items) != 1 || p.Items[0].CustomerID != alice.ID {
			t.Errorf("alice's points: %d %s", res.StatusCode, body)
		}
		res, body = alice.C.JSON("GET", "/api/v1/customers/me/points?cursor=nonsense", "")
		apptest.Problem(t, res, body, 400, platform.CodeBadCursor)
		// Bob sees none of it.
		res, body = bob.C.JSON("GET", "/api/v1/customers/me/points", "")
		if p := apptest.Decode[platform.Page[loyalty.Entry]](t, body); res.StatusCode != 200 || len(p.Items) != 0 {
			t.Errorf("bob's points: %d %s", res.StatusCode, body)
		}
		res, body = bob.C.JSON("GET", "/api/v1/customers/me/membership", "")
		if me := apptest.Decode[loyalty.MeResponse](t, body); res.StatusCode != 200 || me.Balance != 0 || me.CustomerID != bob.ID {
			t.Errorf("bob's membership: %d %s", res.StatusCode, body)
		}
		// A visitor is not signed in.
		res, _ = apptest.NewClient(t, base).JSON("GET", "/api/v1/customers/me/membership", "")
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous membership: %d", res.StatusCode)
		}
		// The orders page leads to the membership page, which shows the
		// balance and escapes the reason.
		if res, body := alice.C.Do("GET", "/orders", "", ""); res.StatusCode != 200 || !strings.Contains(body, `href="/account/membership"`) {
			t.Errorf("orders page without a membership link: %d", res.StatusCode)
		}
		res, body = alice.C.Do("GET", "/account/membership", "", "")
		if res.StatusCode != 200 || !strings.Contains(body, `id="member-balance">500<`) || strings.Contains(body, "<b>延迟") ||
			!strings.Contains(body, "&lt;b&gt;延迟") {
			t.Errorf("membership page: %d", res.StatusCode)
		}
	})
}

// The console shows the tiers with their distribution, saves a tier's
// settings (refusing bad ones with the reason), and shows and adjusts a
// member's points; roles without the permission are refused.
func TestConsole(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		alice := apptest.SignUp(t, base, "alice")
		w := apptest.Console(t, a, platform.RoleMarketing, "GET", "/console/loyalty", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "银卡会员") || !strings.Contains(w.Body.String(), `id="tier-distribution"`) {
			t.Fatalf("tiers page: %d", w.Code)
		}
		var silver loyalty.Tier
		tiers, err := loyalty.Tiers(t.Context(), a.DB.R)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range tiers {
			if tr.Code == "silver" {
				silver = tr
			}
		}
		form := url.Values{"id": {silver.ID.String()}, "code": {"silver"}, "name_zh": {"银卡"}, "name_en": {"Silver"}, "min_spend": {"800.50"},
			"percent_off": {"3"}, "free_shipping_over": {"59"}, "points_multiplier": {"125"}, "birthday_points": {"300"}, "tier_up_points": {"200"}}
		if w := apptest.Console(t, a, platform.RoleService, "POST", "/console/loyalty/tiers", form); w.Code != http.StatusForbidden {
			t.Errorf("service saving a tier: %d", w.Code)
		}
		if w := apptest.Console(t, a, platform.RoleMarketing, "POST", "/console/loyalty/tiers", form); w.Code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", w.Code, w.Body.String())
		}
		if n := count(t, a, `SELECT COUNT(*) FROM loyalty_tiers WHERE code = 'silver' AND min_spend = 80050 AND percent_off = 3 AND free_shipping_over = 5900
			AND points_multiplier = 125 AND name_zh = '银卡'`); n != 1 {
			t.Errorf("silver not saved")
		}
		form.Set("percent_off", "90")
		if w := apptest.Console(t, a, platform.RoleMarketing, "POST", "/console/loyalty/tiers", form); w.Code != 422 || !strings.Contains(w.Body.String(), "percent_off") {
			t.Errorf("bad percent: %d", w.Code)
		}
		if w := apptest.Console(t, a, platform.RoleMarketing, "POST", "/console/loyalty/tiers/"+tiers[0].ID.String()+"/delete", url.Values{}); w.Code != 409 {
			t.Errorf("deleting the lowest tier: %d", w.Code)
		}

		page := "/console/loyalty/customers/" + alice.ID.String()
		adj := url.Values{"points": {"300"}, "reason": {"<script>alert(1)</script>"}}
		if w := apptest.Console(t, a, platform.RoleMarketing, "POST", page+"/adjust", adj); w.Code != http.StatusForbidden {
			t.Errorf("marketing adjusting: %d", w.Code)
		}
		if w := apptest.Console(t, a, platform.RoleService, "POST", page+"/adjust", adj); w.Code != http.StatusSeeOther {
			t.Fatalf("adjust: %d %s", w.Code, w.Body.String())
		}
		if w := apptest.Console(t, a, platform.RoleService, "POST", page+"/adjust", url.Values{"points": {"-9999"}, "reason": {"纠错"}}); w.Code != 409 {
			t.Errorf("taking too much: %d", w.Code)
		}
		w = apptest.Console(t, a, platform.RoleAnalyst, "GET", page, nil)
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, `id="member-balance">300<`) || strings.Contains(body, "<script>alert") || strings.Contains(body, `id="adjust-form"`) {
			t.Errorf("customer page for an analyst: %d", w.Code)
		}
		if w := apptest.Console(t, a, platform.RoleService, "GET", "/console/loyalty/find?q="+alice.ID.String(), nil); w.Code != http.StatusSeeOther ||
			w.Header().Get("Location") != page {
			t.Errorf("find by id: %d %s", w.Code, w.Header().Get("Location"))
		}
		if w := apptest.Console(t, a, platform.RoleService, "GET", "/console/loyalty/find?q=13900000000", nil); w.Code != 404 {
			t.Errorf("find an unknown mobile: %d", w.Code)
		}
		if w := apptest.Console(t, a, platform.RoleService, "GET", "/console/loyalty/customers/999", nil); w.Code != 404 {
			t.Errorf("no such customer: %d", w.Code)
		}
		checkLedger(t, a)
	})
}

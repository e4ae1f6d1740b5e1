package strategy_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
	"storeops/internal/strategy"
	"storeops/internal/web"
)

func as(t *testing.T, a *app.App, role platform.Role, method, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	p := &web.Principal{StaffID: 7, Role: role, Name: "测试" + string(role), Via: "session"}
	req = req.WithContext(web.WithPrincipal(req.Context(), p))
	w := httptest.NewRecorder()
	a.Handler.ServeHTTP(w, req)
	return w
}

// TestTargetForm: only the owner sets targets; every change is audited;
// every role sees them, and the Overview shows their progress.
func TestTargetForm(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 16, 0, 0, 0, 0, platform.ShopZone))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		svc := &strategy.Service{DB: a.DB}
		form := url.Values{"period": {"2026-11"}, "gmv": {"1,000,000"}, "gross_profit": {"300000"}, "repeat_rate": {"25.5"}}

		for _, role := range platform.StaffRoles[1:] {
			if w := as(t, a, role, "POST", "/console/targets", form); w.Code != http.StatusForbidden {
				t.Errorf("%s: POST /console/targets = %d, want 403", role, w.Code)
			}
			w := as(t, a, role, "GET", "/console/targets", nil)
			if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `id="target-form"`) {
				t.Errorf("%s: GET /console/targets = %d (form shown: %v)", role, w.Code, strings.Contains(w.Body.String(), `id="target-form"`))
			}
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM strategy_targets`); n != 0 {
			t.Fatalf("a forbidden POST wrote %d targets", n)
		}

		w := as(t, a, platform.RoleOwner, "POST", "/console/targets", form)
		if w.Code != http.StatusSeeOther || !strings.Contains(w.Header().Get("Location"), "period=2026-11") {
			t.Fatalf("owner POST: %d %q\n%s", w.Code, w.Header().Get("Location"), w.Body.String())
		}
		month := strategy.PeriodOf(strategy.Month, clock.Now())
		ts, err := svc.Targets(ctx, month)
		if err != nil {
			t.Fatal(err)
		}
		want := map[strategy.Metric]int64{strategy.GMV: 100_000_000, strategy.GrossProfit: 30_000_000, strategy.RepeatRate: 2550}
		if len(ts) != 3 {
			t.Fatalf("targets %+v", ts)
		}
		for _, tg := range ts {
			if want[tg.Metric] != tg.Value || tg.UpdatedBy != "测试owner" {
				t.Errorf("target %+v", tg)
			}
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action = 'strategy.target_create' AND actor_id = 7`); n != 3 {
			t.Errorf("%d create entries audited", n)
		}

		// Edit one, remove one, keep one: two audit entries, nothing for
		// the unchanged value.
		form.Set("gmv", "1200000")
		form.Set("gross_profit", "")
		if w := as(t, a, platform.RoleOwner, "POST", "/console/targets", form); w.Code != http.StatusSeeOther {
			t.Fatalf("edit: %d", w.Code)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action IN ('strategy.target_update', 'strategy.target_delete')`); n != 2 {
			t.Errorf("%d update/delete entries", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'strategy.%'`); n != 5 {
			t.Errorf("%d entries in all", n)
		}
		if tg, err := svc.Target(ctx, month, strategy.GMV); err != nil || tg.Value != 120_000_000 {
			t.Errorf("edited gmv %+v %v", tg, err)
		}
		if _, err := svc.Target(ctx, month, strategy.GrossProfit); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Errorf("removed target: %v", err)
		}

		bad := url.Values{"period": {"2026-11"}, "gmv": {"abc"}, "repeat_rate": {"120"}}
		w = as(t, a, platform.RoleOwner, "POST", "/console/targets", bad)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="form-error"`) {
			t.Errorf("bad values: %d", w.Code)
		}
		if tg, _ := svc.Target(ctx, month, strategy.GMV); tg.Value != 120_000_000 {
			t.Error("an invalid form changed a target")
		}

		// A quarter target, then the Overview shows both periods.
		q := url.Values{"period": {"2026-Q4"}, "gmv": {"3000000"}}
		if w := as(t, a, platform.RoleOwner, "POST", "/console/targets", q); w.Code != http.StatusSeeOther {
			t.Fatalf("quarter: %d", w.Code)
		}
		w = as(t, a, platform.RoleAnalyst, "GET", "/console/overview", nil)
		body := w.Body.String()
		for _, id := range []string{`id="target-progress"`, `id="target-month-gmv"`, `id="target-month-repeat_rate"`, `id="target-quarter-gmv"`, "¥1,200,000.00"} {
			if !strings.Contains(body, id) {
				t.Errorf("overview lacks %s", id)
			}
		}
		if strings.Contains(body, `id="set-targets"`) {
			t.Error("analyst is offered the target form")
		}
	})
}

// TestTargetFormRealCredentials drives the form over real HTTP with staff
// API tokens: an analyst's POST is refused with 403 and writes nothing, the
// owner's is accepted.
func TestTargetFormRealCredentials(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		token := map[platform.Role]string{}
		for _, role := range []platform.Role{platform.RoleOwner, platform.RoleAnalyst, platform.RoleAdmin} {
			token[role] = apptest.StaffToken(t, a, role)
		}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		post := func(role platform.Role) int {
			form := url.Values{"period": {"2026-12"}, "gmv": {"500000"}}
			req, _ := http.NewRequest(http.MethodPost, base+"/console/targets", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer "+token[role])
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		for _, role := range []platform.Role{platform.RoleAnalyst, platform.RoleAdmin} {
			if code := post(role); code != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", role, code)
			}
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM strategy_targets`); n != 0 {
			t.Fatalf("refused posts wrote %d targets", n)
		}
		if code := post(platform.RoleOwner); code != http.StatusSeeOther {
			t.Errorf("owner: %d", code)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM strategy_targets`); n != 1 {
			t.Errorf("owner's post wrote %d targets", n)
		}
	})
}

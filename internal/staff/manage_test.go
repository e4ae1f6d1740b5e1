package staff_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/staff"
)

func TestRoleChangeIsAudited(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		admin := mustUser(t, a, "admin@shop.example", platform.RoleAdmin, "")
		clerk := mustUser(t, a, "clerk@shop.example", platform.RoleCatalog, "")
		b := newBrowser(t, base)
		b.login("admin@shop.example", "password-123")
		res, _ := b.post("/console/staff/"+clerk.ID.String(), url.Values{"name": {clerk.Name}, "mobile": {""}, "department": {"marketing"},
			"role": {"marketing"}, "active_present": {"1"}, "active": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update = %d", res.StatusCode)
		}
		page, err := audit.List(context.Background(), a.DB.R, audit.Filter{Action: "staff.update", EntityType: staff.Entity, EntityID: clerk.ID.String()})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 {
			t.Fatalf("%d staff.update entries, want 1", len(page.Items))
		}
		e := page.Items[0]
		var before, after map[string]any
		json.Unmarshal(e.Before, &before)
		json.Unmarshal(e.After, &after)
		if before["role"] != "catalog" || after["role"] != "marketing" || before["department"] != "catalog" || after["department"] != "marketing" {
			t.Fatalf("before %s after %s", e.Before, e.After)
		}
		if e.ActorKind != audit.KindStaff || e.ActorID != admin.ID || e.ActorEmail != "admin@shop.example" || e.IP != "127.0.0.1" || e.RequestID == "" {
			t.Fatalf("actor: %+v", e)
		}
		diff := e.Diff()
		if len(diff) != 2 || diff[1].Field != "role" || diff[1].Before != `"catalog"` || diff[1].After != `"marketing"` {
			t.Fatalf("diff = %+v", diff)
		}
		// Creating users was audited too (by the test's operator).
		if n := auditCount(t, a, "staff.create"); n != 2 {
			t.Fatalf("%d staff.create entries, want 2", n)
		}

		// The audit page shows it and its filters narrow the table.
		for _, tc := range []struct {
			query     string
			want, not string
		}{
			{"?action=staff.update", `data-action="staff.update"`, `data-action="staff.create"`},
			{"?action=staff.create", `data-action="staff.create"`, `data-action="staff.update"`},
			{"?actor=admin%40shop", `data-action="staff.update"`, `data-action="staff.create"`},
			{"?entity_type=staff_user&entity_id=" + admin.ID.String(), `data-action="staff.create"`, `data-action="staff.update"`},
			{"?from=2000-01-01&to=2000-01-02", "没有符合条件的记录", `data-action=`},
		} {
			res, body := b.get("/console/audit" + tc.query)
			if res.StatusCode != 200 || !strings.Contains(body, `id="audit-table"`) || !strings.Contains(body, tc.want) || strings.Contains(body, tc.not) {
				t.Errorf("audit%s = %d, want %q and not %q", tc.query, res.StatusCode, tc.want, tc.not)
			}
		}
		if _, body := b.get("/console/audit?action=staff.update"); !strings.Contains(body, `role: &#34;catalog&#34; → &#34;marketing&#34;`) {
			t.Errorf("audit page does not show the role change")
		}
		if res, _ := b.get("/console/audit?from=yesterday"); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("bad date = %d", res.StatusCode)
		}
	})
}

func TestOwnerRules(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		ctx := context.Background()
		owner := mustUser(t, a, "boss@shop.example", platform.RoleOwner, "")
		b := newBrowser(t, base)
		b.login("boss@shop.example", "password-123")

		// The last active owner cannot be demoted or deactivated.
		res, body := b.post("/console/staff/"+owner.ID.String(), url.Values{"role": {"admin"}, "active_present": {"1"}, "active": {"1"}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "至少保留一位") {
			t.Fatalf("demote last owner = %d", res.StatusCode)
		}
		res, _ = b.post("/console/staff/"+owner.ID.String(), url.Values{"active_present": {"1"}})
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("deactivate last owner = %d", res.StatusCode)
		}
		if n := auditCount(t, a, "staff.update"); n != 0 {
			t.Fatalf("refused changes were audited: %d", n)
		}

		// An admin may not create or change owners and admins.
		admin := mustUser(t, a, "admin@shop.example", platform.RoleAdmin, "")
		asAdmin := staff.Acting{Actor: audit.Actor{Kind: audit.KindStaff, StaffID: admin.ID}, Role: platform.RoleAdmin}
		s := svc(a)
		if _, err := s.Create(ctx, asAdmin, staff.NewUser{Email: "x@shop.example", Name: "x", Department: staff.DeptManagement,
			Role: platform.RoleAdmin, Password: "password-123"}); platform.ErrorCode(err) != staff.CodeOwnerOnly {
			t.Fatalf("admin creates admin: %v", err)
		}
		role := platform.RoleAnalyst
		if _, err := s.Update(ctx, asAdmin, owner.ID, staff.Update{Role: &role}); platform.ErrorCode(err) != staff.CodeOwnerOnly {
			t.Fatalf("admin demotes owner: %v", err)
		}
		// With a second owner the first may step down.
		second := mustUser(t, a, "boss2@shop.example", platform.RoleOwner, "")
		res, _ = b.post("/console/staff/"+owner.ID.String(), url.Values{"role": {"admin"}, "active_present": {"1"}, "active": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("demote with another owner = %d", res.StatusCode)
		}
		if _, err := s.Update(ctx, cli, second.ID, staff.Update{Role: &role}); platform.ErrorCode(err) != staff.CodeLastOwner {
			t.Fatalf("demote the now last owner: %v", err)
		}
		// Duplicate emails differ only in case.
		if _, err := s.Create(ctx, cli, staff.NewUser{Email: "BOSS2@shop.example", Name: "y", Department: staff.DeptManagement,
			Role: platform.RoleAnalyst, Password: "password-123"}); platform.ErrorCode(err) != staff.CodeEmailTaken {
			t.Fatalf("duplicate email: %v", err)
		}
	})
}

func TestTokens(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		ctx := context.Background()
		s := svc(a)
		owner := mustUser(t, a, "boss@shop.example", platform.RoleOwner, "13812345678")
		mustUser(t, a, "numbers@shop.example", platform.RoleAnalyst, "13900001111")
		secret, tok, err := s.CreateToken(ctx, cli, staff.NewToken{Email: "boss@shop.example", Name: "erp"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "so_") || tok.StaffID != owner.ID {
			t.Fatalf("token %q %+v", secret, tok)
		}
		var stored string
		a.DB.R.QueryRowContext(ctx, `SELECT hash FROM api_tokens WHERE id = $1`, int64(tok.ID)).Scan(&stored)
		if stored == "" || strings.Contains(stored, secret[3:]) {
			t.Fatalf("stored %q", stored)
		}

		res, body := api(t, base, secret, "/api/v1/me")
		if res.StatusCode != 200 || !strings.Contains(body, `"via":"token"`) || !strings.Contains(body, `"role":"owner"`) ||
			!strings.Contains(body, `"staff_id":"`+owner.ID.String()+`"`) {
			t.Fatalf("/api/v1/me = %d %s", res.StatusCode, body)
		}
		res, body = api(t, base, secret, "/api/v1/admin/staff?role=owner")
		if res.StatusCode != 200 || !strings.Contains(body, "13812345678") || strings.Contains(body, "numbers@") {
			t.Fatalf("/api/v1/admin/staff = %d %s", res.StatusCode, body)
		}
		var page platform.Page[staff.User]
		json.Unmarshal([]byte(body), &page)
		if len(page.Items) != 1 || page.Items[0].ID != owner.ID {
			t.Fatalf("page = %+v", page)
		}

		for _, bad := range []string{"so_wrong", secret + "x"} {
			res, body := api(t, base, bad, "/api/v1/me")
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"code":"unauthenticated"`) {
				t.Fatalf("bad token = %d %s", res.StatusCode, body)
			}
		}
		if res, _ := api(t, base, "", "/api/v1/me"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("anonymous /api/v1/me = %d", res.StatusCode)
		}

		// An analyst's token reads but never manages.
		aSecret, _, err := s.CreateToken(ctx, cli, staff.NewToken{Email: "numbers@shop.example"})
		if err != nil {
			t.Fatal(err)
		}
		res, body = api(t, base, aSecret, "/api/v1/admin/staff")
		if res.StatusCode != 200 || strings.Contains(body, "13812345678") || !strings.Contains(body, "138****5678") {
			t.Fatalf("analyst list = %d %s", res.StatusCode, body)
		}
		req, _ := http.NewRequest(http.MethodGet, base+"/console/staff/new", nil)
		req.Header.Set("Authorization", "Bearer "+aSecret)
		res2, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res2.Body.Close()
		if res2.StatusCode != http.StatusForbidden {
			t.Fatalf("analyst on a staff.manage route = %d, want 403", res2.StatusCode)
		}

		// Revoked tokens stop at once.
		if err := s.RevokeToken(ctx, cli, tok.ID); err != nil {
			t.Fatal(err)
		}
		if res, _ := api(t, base, secret, "/api/v1/me"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("revoked token = %d", res.StatusCode)
		}
		if auditCount(t, a, "token.create") != 2 || auditCount(t, a, "token.revoke") != 1 {
			t.Fatal("token changes not audited")
		}
	})
}

func TestPIIMasking(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		mustUser(t, a, "numbers@shop.example", platform.RoleAnalyst, "13812345678")
		b := newBrowser(t, base)
		b.login("numbers@shop.example", "password-123")
		res, body := b.get("/console/staff")
		if res.StatusCode != 200 || !strings.Contains(body, "138****5678") || strings.Contains(body, "13812345678") ||
			!strings.Contains(body, "n***@shop.example") {
			t.Fatalf("analyst /console/staff = %d\n%s", res.StatusCode, body)
		}
		// Analysts read but cannot open the create form or post changes.
		if res, _ := b.get("/console/staff/new"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("analyst /console/staff/new = %d", res.StatusCode)
		}
		// Filters by department and role.
		if _, body := b.get("/console/staff?role=owner"); strings.Contains(body, "138****5678") {
			t.Fatal("role filter ignored")
		}
		if _, body := b.get("/console/staff?department=catalog&role=analyst"); !strings.Contains(body, "138****5678") {
			t.Fatal("department filter hides the match")
		}
		// An admin (pii.view) sees the number whole.
		mustUser(t, a, "admin@shop.example", platform.RoleAdmin, "")
		ad := newBrowser(t, base)
		ad.login("admin@shop.example", "password-123")
		if _, body := ad.get("/console/staff"); !strings.Contains(body, "13812345678") {
			t.Fatal("admin sees a masked number")
		}
		// The nav shows the staff entry to those who may open it.
		if !strings.Contains(body, `href="/console/staff"`) || !strings.Contains(body, `href="/console/audit"`) {
			t.Fatal("nav lacks the staff and audit entries")
		}
	})
}

func TestFirstRunCreatesOwner(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		// Staff who are not owners (the demo shop's service agents) do
		// not stand in for the owner.
		apptest.StaffToken(t, a, platform.RoleService)
		line, err := svc(a).EnsureOwner(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(line, "owner login: owner@storeops.local / ") {
			t.Fatalf("first run = %q", line)
		}
		pw := strings.Fields(strings.TrimPrefix(line, "owner login: owner@storeops.local / "))[0]
		if len(pw) != 16 {
			t.Fatalf("password %q", pw)
		}
		u, err := svc(a).Login(ctx, staff.Credentials{Email: "owner@storeops.local", Password: pw})
		if err != nil || u.Role != platform.RoleOwner || u.Name != "店主" {
			t.Fatalf("login as first owner: %+v %v", u, err)
		}
		if again, err := svc(a).EnsureOwner(ctx); again != "" || err != nil {
			t.Fatalf("second run = %q %v", again, err)
		}
	})
}

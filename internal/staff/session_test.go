package staff_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/staff"
)

func TestSignInSessionLogout(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		admin := mustUser(t, a, "Admin@Shop.example", platform.RoleAdmin, "13812345678")
		b := newBrowser(t, base)

		// Anonymous: the console sends to the sign-in page.
		res, _ := b.get("/console/staff")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/console/login?next=") {
			t.Fatalf("anonymous /console/staff = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res, body := b.get("/console/login")
		if res.StatusCode != 200 || !strings.Contains(body, `id="email"`) || !strings.Contains(body, `id="login"`) {
			t.Fatalf("login page = %d", res.StatusCode)
		}

		// A planted cookie must not survive sign-in (session fixation).
		u, _ := url.Parse(base)
		b.c.Jar.SetCookies(u, []*http.Cookie{{Name: staff.CookieName, Value: "planted-token", Path: "/"}})
		res, _ = b.post("/console/login", url.Values{"email": {"admin@shop.example"}, "password": {"password-123"}, "next": {"/console/staff"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/staff" {
			t.Fatalf("login = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		sc := res.Header.Get("Set-Cookie")
		if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
			t.Fatalf("cookie attributes: %s", sc)
		}
		first := b.cookie()
		if first == "" || first == "planted-token" {
			t.Fatalf("session cookie after login = %q", first)
		}
		res, body = b.get("/console/staff")
		if res.StatusCode != 200 || !strings.Contains(body, "admin@shop.example") || !strings.Contains(body, "13812345678") {
			t.Fatalf("/console/staff = %d\n%s", res.StatusCode, body)
		}

		// Signing in again on the same browser renews the token.
		b.login("admin@shop.example", "password-123")
		if second := b.cookie(); second == first || second == "" {
			t.Fatalf("token not renewed on login: %q then %q", first, second)
		}
		old := b.cookie()

		// /api/v1/me works with the session.
		res, body = b.get("/api/v1/me")
		if res.StatusCode != 200 || !strings.Contains(body, `"staff_id":"`+admin.ID.String()+`"`) || !strings.Contains(body, `"via":"session"`) {
			t.Fatalf("/api/v1/me = %d %s", res.StatusCode, body)
		}

		// Logout kills the session on the server: the old cookie is dead.
		res, _ = b.post("/console/logout", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout = %d", res.StatusCode)
		}
		thief := newBrowser(t, base)
		thief.c.Jar.SetCookies(u, []*http.Cookie{{Name: staff.CookieName, Value: old, Path: "/"}})
		if res, _ := thief.get("/console/staff"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("old cookie after logout = %d, want a redirect to sign in", res.StatusCode)
		}
	})
}

func TestDeactivatedUserSessionStops(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		mustUser(t, a, "owner2@shop.example", platform.RoleOwner, "")
		admin := mustUser(t, a, "admin@shop.example", platform.RoleAdmin, "")
		b := newBrowser(t, base)
		b.login("admin@shop.example", "password-123")
		if res, _ := b.get("/console/staff"); res.StatusCode != 200 {
			t.Fatalf("before deactivation = %d", res.StatusCode)
		}
		off := false
		if _, err := svc(a).Update(context.Background(), cli, admin.ID, staff.Update{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if res, _ := b.get("/console/staff"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("after deactivation = %d, want redirect to sign in", res.StatusCode)
		}
		// And the right password no longer signs in, with the same answer
		// as a wrong one.
		res, body := b.post("/console/login", url.Values{"email": {"admin@shop.example"}, "password": {"password-123"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "邮箱或密码不正确") {
			t.Fatalf("deactivated login = %d", res.StatusCode)
		}
	})
}

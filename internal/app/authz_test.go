package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/web"
)

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// Every console route and admin API, listed from the router itself, is
// called by a staff user of every role: a role without the route's
// permission is refused (403), a role with it gets past the check (any
// status but 401/403), and nobody signed in is sent to sign in.
func TestEveryStaffRouteChecksEveryRole(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		tokens := tokensPerRole(t, a)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

		checked := 0
		for _, rt := range a.Router.Routes() {
			if !rt.Surface.Staff() || rt.Public {
				continue
			}
			url := base + pathParam.ReplaceAllString(rt.Path, "1")
			// Anonymous.
			status := call(t, client, rt.Method, url, "")
			wantAnon := http.StatusUnauthorized
			if rt.Surface == web.Console {
				wantAnon = http.StatusSeeOther
			}
			if status != wantAnon {
				t.Errorf("%s anonymous: %d, want %d", rt.Pattern(), status, wantAnon)
			}
			for _, role := range platform.StaffRoles {
				status := call(t, client, rt.Method, url, tokens[role])
				allowed := platform.Can(role, rt.Perm)
				switch {
				case !allowed && status != http.StatusForbidden:
					t.Errorf("%s as %s (lacks %s): %d, want 403", rt.Pattern(), role, rt.Perm, status)
				case allowed && (status == http.StatusForbidden || status == http.StatusUnauthorized):
					t.Errorf("%s as %s (holds %s): %d, want past the check", rt.Pattern(), role, rt.Perm, status)
				}
				checked++
			}
		}
		if checked < 10*len(platform.StaffRoles) {
			t.Fatalf("only %d route×role checks: the route table looks empty", checked)
		}
	})
}

// The analyst role is read-only: it holds no permission of a route that
// changes anything.
func TestAnalystHoldsNoWritePermission(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	for _, rt := range a.Router.Routes() {
		if !rt.Surface.Staff() || rt.Public || rt.Method == http.MethodGet {
			continue
		}
		// Signing out and the own-password change are the user's own
		// session, not shop data.
		if rt.Perm == "staff.self" || strings.HasSuffix(rt.Path, "/logout") {
			continue
		}
		if platform.Can(platform.RoleAnalyst, rt.Perm) {
			t.Errorf("analyst may %s (%s)", rt.Pattern(), rt.Perm)
		}
	}
}

func call(t *testing.T, c *http.Client, method, url, token string) int {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func tokensPerRole(t *testing.T, a *app.App) map[platform.Role]string {
	t.Helper()
	out := map[platform.Role]string{}
	for _, role := range platform.StaffRoles {
		out[role] = apptest.StaffToken(t, a, role)
	}
	return out
}

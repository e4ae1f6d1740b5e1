package staff_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/staff"
)

// svc is a staff service on the app's database with the same
// configuration the module uses in dev mode.
func svc(a *app.App) *staff.Service {
	return staff.New(a.DB, staff.DefaultConfig(true, false))
}

var cli = staff.Operator("test")

// mustUser creates a staff user with password "password-123".
func mustUser(t *testing.T, a *app.App, email string, role platform.Role, mobile string) staff.User {
	t.Helper()
	u, err := svc(a).Create(context.Background(), cli, staff.NewUser{Email: email, Name: "员工" + string(role), Mobile: mobile,
		Department: staff.DeptCatalog, Role: role, Password: "password-123"})
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests can see them.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) login(email, password string) *http.Response {
	b.t.Helper()
	res, _ := b.post("/console/login", url.Values{"email": {email}, "password": {password}})
	return res
}

func (b *browser) cookie() string {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == staff.CookieName {
			return c.Value
		}
	}
	return ""
}

// api calls an API route with a bearer token.
func api(t *testing.T, base, token, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func auditCount(t *testing.T, a *app.App, action string) int {
	t.Helper()
	page, err := audit.List(context.Background(), a.DB.R, audit.Filter{Action: action, Page: platform.PageRequest{Limit: 200}})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

package apptest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// Shopper is a customer signed up through the API, with the client that
// holds their session.
type Shopper struct {
	C  *Client
	ID platform.ID
}

// SignUp signs up NAME@example.com through the shopper API on the app
// served at base and returns the signed-in customer.
func SignUp(t testing.TB, base, name string) Shopper {
	t.Helper()
	c := NewClient(t, base)
	res, body := c.JSON("POST", "/api/v1/customers/signup", `{"email":"`+name+`@example.com","password":"a long enough password"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("apptest: sign up %s: %d %s", name, res.StatusCode, body)
	}
	return Shopper{C: c, ID: Decode[struct {
		ID platform.ID `json:"id"`
	}](t, body).ID}
}

// StaffPrincipal is the principal of a made-up staff user of role, as
// the sign-in middleware would put it in the context.
func StaffPrincipal(role platform.Role) *web.Principal {
	return &web.Principal{StaffID: 42, Role: role, Name: "测试" + string(role), Email: string(role) + "@example.com", Via: "session"}
}

// ConsoleAs serves one request through a's handler with p in the
// context, skipping sign-in: console tests look at what a role may see
// and do without a session cookie per role.
func ConsoleAs(t testing.TB, a *app.App, p *web.Principal, method, target, ctype string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req = req.WithContext(web.WithPrincipal(req.Context(), p))
	w := httptest.NewRecorder()
	a.Handler.ServeHTTP(w, req)
	return w
}

// Console is one console call as StaffPrincipal(role); a non-nil form
// is sent url-encoded.
func Console(t testing.TB, a *app.App, role platform.Role, method, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	if form == nil {
		return ConsoleAs(t, a, StaffPrincipal(role), method, target, "", nil)
	}
	return ConsoleAs(t, a, StaffPrincipal(role), method, target, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

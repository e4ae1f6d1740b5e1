package order_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// request is one call to the app as a staff user of role ("" for
// nobody), the principal put in the context as the sign-in middleware
// would.
type request struct {
	role   platform.Role
	method string
	target string
	body   io.Reader
	ctype  string
	lang   string
}

func do(t *testing.T, a *app.App, rq request) *httptest.ResponseRecorder {
	t.Helper()
	if rq.method == "" {
		rq.method = http.MethodGet
	}
	req := httptest.NewRequest(rq.method, rq.target, rq.body)
	if rq.ctype != "" {
		req.Header.Set("Content-Type", rq.ctype)
	}
	if rq.lang != "" {
		req.Header.Set("Accept-Language", rq.lang)
	}
	if rq.role != "" {
		p := &web.Principal{StaffID: 42, Role: rq.role, Name: "测试" + string(rq.role), Email: string(rq.role) + "@example.com", Via: "session"}
		req = req.WithContext(web.WithPrincipal(req.Context(), p))
	}
	w := httptest.NewRecorder()
	a.Handler.ServeHTTP(w, req)
	return w
}

// get is a GET as role.
func get(t *testing.T, a *app.App, role platform.Role, target string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, a, request{role: role, target: target})
}

// postForm posts a console form as role.
func postForm(t *testing.T, a *app.App, role platform.Role, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, a, request{role: role, method: http.MethodPost, target: target, body: strings.NewReader(form.Encode()),
		ctype: "application/x-www-form-urlencoded"})
}

// postJSON posts a JSON body as role.
func postJSON(t *testing.T, a *app.App, role platform.Role, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, a, request{role: role, method: http.MethodPost, target: target, body: strings.NewReader(body), ctype: "application/json"})
}

// postFile uploads content as the form's "file" field.
func postFile(t *testing.T, a *app.App, role platform.Role, target string, content []byte) *httptest.ResponseRecorder {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "ship.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	return do(t, a, request{role: role, method: http.MethodPost, target: target, body: &buf, ctype: mw.FormDataContentType()})
}

// problem decodes a problem response.
func problem(t *testing.T, w *httptest.ResponseRecorder) web.Problem {
	t.Helper()
	var p web.Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("not a problem (%d): %s", w.Code, w.Body.String())
	}
	return p
}

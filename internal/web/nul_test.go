package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// A NUL character in a path, query, form or JSON body is refused with a
// 400 problem before any handler sees it.
func TestNULIsRefused(t *testing.T) {
	rt := web.NewRouter()
	var handled int
	echo := func(w http.ResponseWriter, r *http.Request) error {
		handled++
		var v struct {
			Name string `json:"name"`
		}
		if r.Header.Get("Content-Type") == "application/json" {
			if err := web.DecodeJSON(r, &v); err != nil {
				return err
			}
		}
		return web.WriteJSON(w, http.StatusOK, v)
	}
	rt.Add(web.Route{Method: http.MethodGet, Path: "/api/v1/echo", Surface: web.API, Handler: echo},
		web.Route{Method: http.MethodPost, Path: "/api/v1/echo", Surface: web.API, Handler: echo})
	srv := httptest.NewServer(web.Stack(web.Config{}, rt))
	defer srv.Close()
	cases := []struct {
		name, method, url, ct, body string
	}{
		{"query", http.MethodGet, "/api/v1/echo?q=a%00b", "", ""},
		{"form", http.MethodPost, "/api/v1/echo", "application/x-www-form-urlencoded", url.Values{"name": {"a\x00b"}}.Encode()},
		{"json", http.MethodPost, "/api/v1/echo", "application/json", `{"name":"a\u0000b"}`},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, srv.URL+c.url, strings.NewReader(c.body))
		if c.ct != "" {
			req.Header.Set("Content-Type", c.ct)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), string(platform.CodeBadRequest)) {
			t.Errorf("%s: %d %s, want 400 bad_request", c.name, resp.StatusCode, b)
		}
	}
	if handled != 1 { // only the JSON case reaches its handler, which refuses it
		t.Errorf("handlers ran %d times, want 1", handled)
	}
}

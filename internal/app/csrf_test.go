package app_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app/apptest"
	"storeops/internal/store"
)

// Forms are protected against cross-site requests: a browser posting from
// another site is refused before any handler runs, while the same form
// from the shop's own pages goes through.
func TestCrossSiteFormPostIsRefused(t *testing.T) {
	a := apptest.New(t, store.SQLite, apptest.Options{})
	base := apptest.Serve(t, a)
	form := url.Values{"email": {"owner@storeops.local"}, "password": {"x"}}.Encode()
	send := func(site, origin string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, base+"/console/login", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", site)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := send("cross-site", "https://evil.example"); status != http.StatusForbidden || !strings.Contains(body, "cross_origin") {
		t.Fatalf("cross-site post: %d %.200s, want 403 cross_origin", status, body)
	}
	if status, _ := send("same-origin", base); status == http.StatusForbidden {
		t.Fatalf("same-origin post refused: %d", status)
	}
}

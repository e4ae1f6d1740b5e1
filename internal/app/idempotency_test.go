package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
)

// A retried create with the same Idempotency-Key gets the stored response
// (the same address, created once); the same key with another body is a
// 422 problem. Over real HTTP, on both databases.
func TestIdempotentRetryReturnsStoredResponse(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		if status, body := post(t, c, base+"/api/v1/customers/signup", "", `{"email":"li.lei@example.com","password":"secret-password-1"}`); status != http.StatusCreated {
			t.Fatalf("signup: %d %s", status, body)
		}
		addr := `{"recipient":"李雷","mobile":"13812345678","province":"浙江省","province_code":"330000","city":"杭州市","city_code":"330100","district":"西湖区","district_code":"330106","detail":"文三路 1 号"}`
		s1, b1 := post(t, c, base+"/api/v1/customers/me/addresses", "addr-key-1", addr)
		s2, b2 := post(t, c, base+"/api/v1/customers/me/addresses", "addr-key-1", addr)
		if s1 != http.StatusCreated || s2 != s1 || b1 != b2 {
			t.Fatalf("first %d %s, retry %d %s: want the same 201 response", s1, b1, s2, b2)
		}
		resp, err := c.Get(base + "/api/v1/customers/me/addresses")
		if err != nil {
			t.Fatal(err)
		}
		var page struct{ Items []json.RawMessage }
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if len(page.Items) != 1 {
			t.Fatalf("addresses after a retried create: %d, want 1", len(page.Items))
		}
		other := strings.Replace(addr, "文三路 1 号", "文三路 2 号", 1)
		s3, b3 := post(t, c, base+"/api/v1/customers/me/addresses", "addr-key-1", other)
		if s3 != http.StatusUnprocessableEntity || !strings.Contains(b3, `"idempotency_mismatch"`) {
			t.Fatalf("same key, other body: %d %s, want 422 idempotency_mismatch", s3, b3)
		}
	})
}

func post(t *testing.T, c *http.Client, url, key, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

package search_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/search"
)

func get(t *testing.T, base, path string, v any) (int, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("%s: %v: %s", path, err, body)
		}
	}
	return resp.StatusCode, string(body)
}

func TestSearchAPI(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a.DB)
		base := apptest.Serve(t, a)
		hostile := writeProduct(t, a.DB, 0, s.apparel, `<script>alert(1)</script> 连衣裙`, catalogOnSale)

		var res search.Result
		if code, body := get(t, base, "/api/v1/search?q="+url.QueryEscape("lyq"), &res); code != http.StatusOK {
			t.Fatalf("search: %d %s", code, body)
		}
		if res.SearchID == 0 || res.Total != 3 {
			t.Errorf("lyq: %+v", res)
		}
		// Markup in titles is escaped; only the highlight is markup.
		for _, h := range res.Items {
			if !strings.Contains(h.TitleHTML, "<em>连衣裙</em>") {
				t.Errorf("no highlight in %q", h.TitleHTML)
			}
			if h.ID == hostile && (strings.Contains(h.TitleHTML, "<script") || !strings.Contains(h.TitleHTML, "&lt;script&gt;")) {
				t.Errorf("title not escaped: %q", h.TitleHTML)
			}
		}
		var sugg search.SuggestResponse
		if code, body := get(t, base, "/api/v1/search/suggest?q=lian", &sugg); code != http.StatusOK {
			t.Fatalf("suggest: %d %s", code, body)
		}
		found := false
		for _, it := range sugg.Items {
			found = found || it.Text == "连衣裙"
		}
		if !found {
			t.Errorf("suggest lian: %+v", sugg.Items)
		}

		price := url.Values{"sort": {"price_asc"}, "limit": {"1"}}
		get(t, base, "/api/v1/search?"+price.Encode(), &res)
		priceCursor := res.NextCursor
		if priceCursor == "" {
			t.Fatal("no cursor on a one-item page")
		}
		long := strings.Repeat("连衣裙", 200)
		cases := []struct {
			name, query string
			status      int
			code        platform.Code
		}{
			{"huge query", "q=" + url.QueryEscape(long), 422, platform.CodeInvalid},
			{"101 characters", "q=" + strings.Repeat("a", 101), 422, platform.CodeInvalid},
			{"bad utf-8", "q=%ff%fe", 422, platform.CodeInvalid},
			{"unknown sort", "q=a&sort=random", 422, platform.CodeInvalid},
			{"garbage cursor", "q=a&cursor=%21%21%21", 400, platform.CodeBadCursor},
			{"cursor of another sort", "sort=newest&cursor=" + priceCursor, 400, platform.CodeBadCursor},
			{"negative price", "price_min=-1", 422, platform.CodeInvalid},
			{"price not a number", "price_max=1e9", 422, platform.CodeInvalid},
			{"price range upside down", "price_min=500&price_max=100", 422, platform.CodeInvalid},
			{"category not an id", "category=abc", 422, platform.CodeInvalid},
			{"unknown category", "category=123", 422, platform.CodeInvalid},
			{"unknown brand", "brand=123", 422, platform.CodeInvalid},
			{"attribute without value", "attr=%E9%9D%A2%E6%96%99", 422, platform.CodeInvalid},
			{"limit too big", "limit=100000", 422, platform.CodeInvalid},
			{"suggest too long", "", 422, platform.CodeInvalid},
		}
		for _, c := range cases {
			path := "/api/v1/search?" + c.query
			if c.name == "suggest too long" {
				path = "/api/v1/search/suggest?q=" + strings.Repeat("x", 51)
			}
			code, body := get(t, base, path, nil)
			var p struct {
				Code platform.Code `json:"code"`
			}
			_ = json.Unmarshal([]byte(body), &p)
			if code != c.status || p.Code != c.code {
				t.Errorf("%s: %d %s, want %d %s", c.name, code, body, c.status, c.code)
			}
		}
		// Punctuation, symbols and operators are only separators.
		for _, q := range []string{`"; DROP TABLE products; --`, `%_%`, `\\\\`, "()[]{}*?", " ", "😀😀"} {
			if code, body := get(t, base, "/api/v1/search?q="+url.QueryEscape(q), nil); code != http.StatusOK {
				t.Errorf("%q: %d %s", q, code, body)
			}
		}

		resp, err := http.Post(base+"/api/v1/search/clicks", "application/json",
			strings.NewReader(`{"search_id":"`+res.SearchID.String()+`","product_id":"`+s.dress.String()+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Errorf("click: %d", resp.StatusCode)
		}
		for _, body := range []string{`{"search_id":"x"}`, `{}`, `not json`} {
			resp, err := http.Post(base+"/api/v1/search/clicks", "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode < 400 || resp.StatusCode >= 500 {
				t.Errorf("click %s: %d, want 4xx", body, resp.StatusCode)
			}
		}
	})
}

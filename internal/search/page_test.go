package search_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
)

// The storefront search page finds in Chinese and pinyin, highlights,
// offers facets whose links narrow the result, offers "did you mean" for a
// same-sounding word, and answers any query string with a page.
func TestSearchPage(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a.DB)
		base := apptest.Serve(t, a)
		page := func(query string) string {
			t.Helper()
			code, body := get(t, base, "/search?"+query, nil)
			if code != http.StatusOK {
				t.Fatalf("/search?%s: %d %s", query, code, body)
			}
			return body
		}
		for _, q := range []string{"连衣裙", "lianyiqun", "lyq"} {
			body := page("q=" + url.QueryEscape(q))
			if !strings.Contains(body, "<em>连衣裙</em>") || !strings.Contains(body, "/p/"+s.dress.String()) {
				t.Errorf("%q: no highlighted dress on the page", q)
			}
			if strings.Contains(body, "/p/"+s.tee.String()) {
				t.Errorf("%q: the T-shirt is on the page", q)
			}
		}
		// A facet link narrows: the brand 欧时力 among the 纯棉 products.
		if body := page("q=" + url.QueryEscape("连衣裙")); !strings.Contains(body, `data-facet="面料"`) {
			t.Errorf("连衣裙: no fabric facet")
		}
		body := page("q=" + url.QueryEscape("纯棉"))
		if !strings.Contains(body, "/p/"+s.tee.String()) {
			t.Fatalf("纯棉: no T-shirt")
		}
		link := regexp.MustCompile(`href="(/search\?[^"]*brand=` + s.ochirly.String() + `[^"]*)"`).FindStringSubmatch(body)
		if link == nil {
			t.Fatalf("纯棉: no brand facet link for 欧时力")
		}
		body = page(strings.TrimPrefix(strings.ReplaceAll(link[1], "&amp;", "&"), "/search?"))
		if !strings.Contains(body, "/p/"+s.dress2.String()) || strings.Contains(body, "/p/"+s.tee.String()) {
			t.Errorf("brand facet did not narrow to the knitted dress")
		}
		if !strings.Contains(body, `id="active-filters"`) {
			t.Errorf("applied brand filter not shown")
		}
		// A same-sounding character: 连衣群 → 连衣裙; a typo in Latin.
		body = page("q=" + url.QueryEscape("连衣群"))
		if !strings.Contains(body, `id="did-you-mean"`) || !strings.Contains(body, "q="+url.QueryEscape("连衣裙")) {
			t.Errorf("连衣群: no did-you-mean 连衣裙")
		}
		// Never an error page: long, hostile, malformed parameters.
		for _, q := range []string{
			"q=" + strings.Repeat("长", 500),
			"q=" + url.QueryEscape("<script>alert(1)</script>"),
			"q=x&sort=nope&brand=abc&price_min=-1&attr=bad&cursor=%%%",
			"q=%ff%fe",
			"category=999999",
		} {
			body := page(q)
			if strings.Contains(body, "<script>alert") {
				t.Errorf("%s: script not escaped", q)
			}
		}
	})
}

// The category page lists through the search engine: its facets narrow
// the category's products.
func TestCategoryPageFacets(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a.DB)
		base := apptest.Serve(t, a)
		code, body := get(t, base, "/c/"+s.apparel.String(), nil)
		if code != http.StatusOK || !strings.Contains(body, `id="facets"`) || !strings.Contains(body, `data-facet="面料"`) {
			t.Fatalf("category page: %d, no facets", code)
		}
		code, body = get(t, base, "/c/"+s.apparel.String()+"?attr="+url.QueryEscape("面料:雪纺"), nil)
		if code != http.StatusOK || !strings.Contains(body, "/p/"+s.dress.String()) || strings.Contains(body, "/p/"+s.tee.String()) {
			t.Errorf("attribute facet on the category page did not narrow (%d)", code)
		}
	})
}

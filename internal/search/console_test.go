package search_test

import (
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

func TestSynonymsConsolePage(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a.DB)
		base := apptest.Serve(t, a)
		token := apptest.StaffToken(t, a, platform.RoleCatalog)
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		do := func(method, path string, form url.Values) (int, string) {
			t.Helper()
			req, err := http.NewRequest(method, base+path, strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			if method == http.MethodPost {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(body)
		}
		if code, body := do(http.MethodGet, "/console/search/synonyms", nil); code != http.StatusOK || !strings.Contains(body, "synonym-form") {
			t.Fatalf("page: %d", code)
		}
		if code, _ := do(http.MethodPost, "/console/search/synonyms", url.Values{"terms": {"手机壳，保护壳"}}); code != http.StatusSeeOther {
			t.Fatalf("add: %d", code)
		}
		code, body := do(http.MethodGet, "/console/search/synonyms?saved=1", nil)
		if code != http.StatusOK || !strings.Contains(body, "保护壳 = 手机壳") {
			t.Errorf("list after add: %d", code)
		}
		if code, body := do(http.MethodPost, "/console/search/synonyms", url.Values{"terms": {"只有一个"}}); code != http.StatusUnprocessableEntity || !strings.Contains(body, "form-error") {
			t.Errorf("one word: %d", code)
		}
		if code, _ := do(http.MethodPost, "/console/search/synonyms", url.Values{"terms": {"保护壳,手机壳"}}); code != http.StatusConflict {
			t.Errorf("duplicate: %d", code)
		}
		// The API follows once this node hears of the change (here: the
		// lazily built index sees the group on its first build).
		var res search.Result
		if code, _ := get(t, base, "/api/v1/search?q="+url.QueryEscape("手机壳"), &res); code != http.StatusOK || res.Total != 1 || res.Items[0].ID != s.caseP {
			t.Errorf("手机壳 via the API: %d %+v", code, res.Items)
		}
		groups, err := search.NewSynonyms(a.DB).List(t.Context())
		if err != nil || len(groups) != 1 {
			t.Fatalf("groups %v %v", groups, err)
		}
		if code, _ := do(http.MethodPost, "/console/search/synonyms/"+groups[0].ID.String()+"/delete", nil); code != http.StatusSeeOther {
			t.Errorf("delete: %d", code)
		}
		if code, _ := do(http.MethodPost, "/console/search/synonyms/"+groups[0].ID.String()+"/delete", nil); code != http.StatusNotFound {
			t.Errorf("delete again: %d", code)
		}
	})
}

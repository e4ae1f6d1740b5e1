package search_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
)

// Whatever the query string, a search is a result or a client error,
// never a panic or an internal error.
func FuzzSearch(f *testing.F) {
	db := apptest.Open(f, store.SQLite, apptest.Options{})
	newShop(f, db)
	e := search.NewEngine(db, search.EngineConfig{})
	for _, seed := range []string{"q=lyq", "q=%E8%BF%9E%E8%A1%A3%E8%A3%99&sort=price_asc", "q=iphnoe&limit=1",
		"q=&attr=a:b&price_min=1&price_max=2", "cursor=eyJrIjoicmVsZXZhbmNlOk5hTiIsImkiOiIxIn0", "q=%ff", "q=a+b+c+d+e+f+g+h+i+j+k+l+m+n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		r, err := search.ParseRequest(v)
		if err == nil {
			_, err = e.Search(context.Background(), r)
		}
		var pe *platform.Error
		if err != nil && (!errors.As(err, &pe) || pe.Code.Status() >= 500) {
			t.Fatalf("%q: %v", raw, err)
		}
		if len(raw) < 200 {
			if _, err := e.Suggest(context.Background(), v.Get("q")); err != nil && (!errors.As(err, &pe) || pe.Code.Status() >= 500) {
				t.Fatalf("suggest %q: %v", raw, err)
			}
		}
	})
}

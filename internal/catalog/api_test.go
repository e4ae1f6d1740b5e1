package catalog_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
)

// getJSON fetches path and decodes the body into v (when non-nil).
func getJSON(t *testing.T, base, path string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("%s: %v: %s", path, err, body)
		}
	}
	return resp
}

// apiFixture: 服饰 > 上衣 > T恤 with products on each level, 数码 apart,
// and an off-sale product that must never show.
type apiFixture struct {
	apparel, tops, tees, digital platform.ID
	inApparel                    map[platform.ID]bool
	offSale                      platform.ID
}

func newAPIFixture(t *testing.T, a *app.App) apiFixture {
	f := catalogtest.New(t, a.DB)
	x := apiFixture{inApparel: map[platform.ID]bool{}}
	x.apparel = f.Category("服饰", "Apparel", 0)
	x.tops = f.Category("上衣", "Tops", x.apparel)
	x.tees = f.Category("T恤", "Tees", x.tops)
	x.digital = f.Category("数码", "Digital", 0)
	for i, c := range []platform.ID{x.apparel, x.tops, x.tees, x.tees, x.tops, x.apparel, x.tees} {
		id, _ := f.Create(catalogtest.Product{Category: c, Title: "服饰商品", SKUs: []catalogtest.SKU{{Price: platform.Money(1000 + (i%3)*100), Stock: i}}})
		x.inApparel[id] = true
	}
	for range 4 {
		f.Create(catalogtest.Product{Category: x.digital, Title: "数码商品"})
	}
	x.offSale, _ = f.Create(catalogtest.Product{Category: x.tees, Title: "下架", Status: catalog.StatusOffSale})
	return x
}

func TestProductsAPI(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		x := newAPIFixture(t, a)
		base := apptest.Serve(t, a)

		// walk pages every way; each product once, in order, none off sale.
		walk := func(t *testing.T, query string, limit string) []catalog.ProductCard {
			var all []catalog.ProductCard
			seen := map[platform.ID]bool{}
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 50 {
					t.Fatal("pagination does not end")
				}
				var p platform.Page[catalog.ProductCard]
				resp := getJSON(t, base, "/api/v1/products?limit="+limit+query+"&cursor="+cursor, &p)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d", resp.StatusCode)
				}
				for _, c := range p.Items {
					if seen[c.ID] {
						t.Fatalf("product %d on two pages", c.ID)
					}
					if c.ID == x.offSale {
						t.Fatal("off-sale product listed")
					}
					seen[c.ID] = true
					all = append(all, c)
				}
				if p.NextCursor == "" {
					return all
				}
				cursor = p.NextCursor
			}
		}
		for _, sort := range []string{"", "newest", "price_asc", "price_desc"} {
			t.Run("all/"+sort, func(t *testing.T) {
				all := walk(t, "&sort="+sort, "3")
				if len(all) != 11 {
					t.Fatalf("walked %d products, want 11", len(all))
				}
				for i := 1; i < len(all); i++ {
					prev, cur := all[i-1], all[i]
					switch sort {
					case "price_asc":
						if prev.PriceMin > cur.PriceMin || (prev.PriceMin == cur.PriceMin && prev.ID > cur.ID) {
							t.Fatalf("not ascending at %d", i)
						}
					case "price_desc":
						if prev.PriceMin < cur.PriceMin || (prev.PriceMin == cur.PriceMin && prev.ID < cur.ID) {
							t.Fatalf("not descending at %d", i)
						}
					default:
						if prev.ID < cur.ID {
							t.Fatalf("not newest first at %d", i)
						}
					}
				}
			})
		}
		t.Run("category includes sub-categories", func(t *testing.T) {
			got := walk(t, "&category="+x.apparel.String(), "2")
			if len(got) != len(x.inApparel) {
				t.Fatalf("got %d, want %d", len(got), len(x.inApparel))
			}
			for _, c := range got {
				if !x.inApparel[c.ID] || !strings.HasPrefix(c.PriceText, "¥") {
					t.Fatalf("unexpected %+v", c)
				}
			}
			if n := len(walk(t, "&category="+x.tees.String(), "20")); n != 3 {
				t.Fatalf("T恤 has %d, want 3", n)
			}
		})
	})
}

func TestProductAPI(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		f := catalogtest.New(t, a.DB)
		cat := f.Category("服饰", "Apparel", 0)
		id, skus := f.Create(catalogtest.Product{Category: cat, Title: "T恤", Attributes: `{"材质":"棉","克重":180}`, Images: 1,
			SKUs: []catalogtest.SKU{{SpecText: "黑 / M", Price: 5900, CompareAt: 7900, Stock: 10, Reserved: 4}, {SpecText: "白 / L", Price: 5900, Stock: 1, Reserved: 1}}})
		base := apptest.Serve(t, a)
		var p map[string]any
		if resp := getJSON(t, base, "/api/v1/products/"+id.String(), &p); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if p["id"] != id.String() {
			t.Errorf("id %v is not the string %s", p["id"], id)
		}
		s := p["skus"].([]any)
		first := s[0].(map[string]any)
		if first["id"] != skus[0].String() || first["price"] != 5900.0 || first["price_text"] != "¥59.00" ||
			first["compare_at_price"] != 7900.0 || first["stock"] != 6.0 || s[1].(map[string]any)["stock"] != 0.0 {
			t.Errorf("skus %v", s)
		}
		attrs := p["attributes"].([]any)
		if len(attrs) != 2 || attrs[1].(map[string]any)["value"] != "180" {
			t.Errorf("attributes %v", attrs)
		}
		if u := p["images"].([]any)[0].(map[string]any)["url"].(string); !strings.HasPrefix(u, "/images/") {
			t.Errorf("image url %q", u)
		}
		var tree catalog.Tree
		if resp := getJSON(t, base, "/api/v1/categories", &tree); resp.StatusCode != 200 || len(tree.Roots) != 1 || tree.Roots[0].Name != "服饰" {
			t.Errorf("categories: %d %+v", resp.StatusCode, tree)
		}
	})
}

func TestCatalogAPIErrors(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		f := catalogtest.New(t, a.DB)
		cat := f.Category("服饰", "Apparel", 0)
		off, _ := f.Create(catalogtest.Product{Category: cat, Title: "下架", Status: catalog.StatusOffSale})
		base := apptest.Serve(t, a)
		priceCursor := platform.Cursor{Key: "100", ID: 5}.Encode()
		cases := []struct {
			Name, Path string
			Status     int
			Code       platform.Code
		}{
			{"UnknownProduct", "/api/v1/products/123456789", 404, platform.CodeNotFound},
			{"MalformedProduct", "/api/v1/products/abc", 404, platform.CodeNotFound},
			{"OffSaleProduct", "/api/v1/products/" + off.String(), 404, platform.CodeNotFound},
			{"BadCategory", "/api/v1/products?category=abc", 422, platform.CodeInvalid},
			{"UnknownCategory", "/api/v1/products?category=999", 422, platform.CodeInvalid},
			{"BadCursor", "/api/v1/products?cursor=!!!", 400, platform.CodeBadCursor},
			{"GarbageCursor", "/api/v1/products?cursor=bm90LWpzb24", 400, platform.CodeBadCursor},
			{"CursorOfOtherSort", "/api/v1/products?cursor=" + priceCursor, 400, platform.CodeBadCursor},
			{"BadSort", "/api/v1/products?sort=random", 422, platform.CodeInvalid},
			{"BadLimit", "/api/v1/products?limit=0", 422, platform.CodeInvalid},
		}
		for _, c := range cases {
			t.Run(c.Name, func(t *testing.T) {
				var p struct {
					Code   platform.Code `json:"code"`
					Status int           `json:"status"`
				}
				resp := getJSON(t, base, c.Path, &p)
				if resp.StatusCode != c.Status || p.Code != c.Code || p.Status != c.Status {
					t.Errorf("got %d %s, want %d %s", resp.StatusCode, p.Code, c.Status, c.Code)
				}
				if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("content type %q", ct)
				}
			})
		}
	})
}

package shop_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
)

// The storefront and the catalog API serve the demo shop: every on-sale
// product is listed exactly once, and product pages render its titles,
// prices and SKUs.
func TestStorefrontDemoShop(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		asOf := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
		if _, err := demo.Generate(context.Background(), a.DB, demo.Steps(a.Modules), demo.Options{Seed: 7, Scale: 0.1, AsOf: asOf}); err != nil {
			t.Fatal(err)
		}
		onSale := storetest.Count(t, a.DB, "SELECT COUNT(*) FROM products WHERE status = 'on_sale'")
		b := newBrowser(t, apptest.Serve(t, a))

		var all []catalog.ProductCard
		seen := map[platform.ID]bool{}
		for cursor := ""; ; {
			resp, body := b.get("/api/v1/products?limit=50&cursor=" + cursor)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			var p platform.Page[catalog.ProductCard]
			if err := json.Unmarshal([]byte(body), &p); err != nil {
				t.Fatal(err)
			}
			for _, c := range p.Items {
				if seen[c.ID] {
					t.Fatalf("product %d listed twice", c.ID)
				}
				seen[c.ID] = true
			}
			all = append(all, p.Items...)
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		if len(all) != onSale || onSale == 0 {
			t.Fatalf("API listed %d products, the shop has %d on sale", len(all), onSale)
		}

		if resp, body := b.get("/"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "¥") || !strings.Contains(body, "/p/") {
			t.Fatalf("home: %d", resp.StatusCode)
		}
		for i := 0; i < len(all); i += max(1, len(all)/15) {
			c := all[i]
			resp, body := b.get("/p/" + c.ID.String())
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("product %d: status %d", c.ID, resp.StatusCode)
			}
			mustContain(t, body, html.EscapeString(c.Title), c.PriceText, `name="sku"`)
		}
	})
}

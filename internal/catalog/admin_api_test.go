package catalog_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
)

// The staff API creates, validates, updates, lists and moves products
// with real tokens; roles without catalog.edit are refused.
func TestAdminProductsAPI(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		f := catalogtest.New(t, a.DB)
		apparel := f.Category("服饰", "Apparel", 0)
		dresses := f.Category("连衣裙", "Dresses", apparel)
		c := apptest.NewClient(t, base)
		auth := func(role platform.Role) []string {
			return []string{"Authorization", "Bearer " + apptest.StaffToken(t, a, role)}
		}
		cat, analyst, mkt := auth(platform.RoleCatalog), auth(platform.RoleAnalyst), auth(platform.RoleMarketing)

		// The template of 服饰 applies to 连衣裙 below it.
		res, body := c.JSON("PUT", "/api/v1/admin/categories/"+apparel.String()+"/attributes",
			`[{"name":"颜色","kind":"spec","required":true,"choices":["黑色","白色"]},{"name":"材质","kind":"attr","required":true}]`, cat...)
		if res.StatusCode != 200 {
			t.Fatalf("template: %d %s", res.StatusCode, body)
		}
		res, body = c.JSON("GET", "/api/v1/admin/categories/"+dresses.String()+"/attributes", "", analyst...)
		if tpl := apptest.Decode[[]catalog.AttributeDef](t, body); res.StatusCode != 200 || len(tpl) != 2 || tpl[0].CategoryID != apparel {
			t.Fatalf("inherited template: %d %s", res.StatusCode, body)
		}
		res, body = c.JSON("POST", "/api/v1/admin/brands", `{"name":"江南布衣","name_en":"JNBY"}`, cat...)
		brand := apptest.Decode[catalog.Brand](t, body)
		if res.StatusCode != 201 {
			t.Fatalf("brand: %d %s", res.StatusCode, body)
		}
		res, body = c.JSON("POST", "/api/v1/admin/brands", `{"name":"江南布衣"}`, cat...)
		apptest.Problem(t, res, body, 422, platform.CodeInvalid)

		// Every bad field at once.
		bad := `{"category_id":"` + dresses.String() + `","title":"","storage_class":"hot","skus":[
			{"code":"D 1","spec":[{"name":"颜色","value":"红色"}],"price":-1,"cost":0,"barcode":"6901234567890"},
			{"code":"D-2","spec":[{"name":"尺码","value":"M"}],"price":100,"compare_at_price":90,"cost":0}]}`
		res, body = c.JSON("POST", "/api/v1/admin/products", bad, cat...)
		apptest.Problem(t, res, body, 422, platform.CodeInvalid)
		for _, field := range []string{`"title"`, `"storage_class"`, `"attributes.材质"`, `"skus.0.code"`, `"skus.0.spec.颜色"`, `"skus.0.price"`,
			`"skus.0.barcode"`, `"skus.1.spec"`, `"skus.1.compare_at_price"`, `"skus.1.spec.颜色"`} {
			if !strings.Contains(body, field) {
				t.Errorf("no error on %s in %s", field, body)
			}
		}

		good := `{"category_id":"` + dresses.String() + `","brand_id":"` + brand.ID.String() + `","title":"  法式 碎花连衣裙 ","storage_class":"ambient",
			"description":"<p onclick=\"x()\">轻盈<script>alert(1)</script></p>","attributes":[{"name":"材质","value":"雪纺"}],"tags":["新品"],
			"skus":[{"code":"DR-BLK","spec":[{"name":"颜色","value":"黑色"}],"price":19900,"compare_at_price":25900,"cost":8000,"weight_g":300,"volume_cm3":2000,"barcode":"6901234567892"},
			{"code":"DR-WHT","spec":[{"name":"颜色","value":"白色"}],"price":18900,"cost":8000}]}`
		res, body = c.JSON("POST", "/api/v1/admin/products", good, mkt...)
		apptest.Problem(t, res, body, http.StatusForbidden, platform.CodeForbidden)
		res, body = c.JSON("POST", "/api/v1/admin/products", good, cat...)
		p := apptest.Decode[catalog.ProductEdit](t, body)
		if res.StatusCode != 201 || p.Status != catalog.StatusDraft || p.Title != "法式 碎花连衣裙" || len(p.SKUs) != 2 {
			t.Fatalf("create: %d %s", res.StatusCode, body)
		}
		if strings.Contains(p.Description, "script") || strings.Contains(p.Description, "onclick") || !strings.Contains(p.Description, "轻盈") {
			t.Errorf("description not sanitised: %q", p.Description)
		}
		id := p.ID.String()
		if storetest.Count(t, a.DB, `SELECT COUNT(*) FROM products WHERE id = $1 AND price_min = 18900 AND price_max = 19900`, p.ID) != 1 {
			t.Error("price range not kept")
		}

		// Another product may not take its SKU code.
		other := strings.Replace(good, `"DR-WHT"`, `"DR-OTHER"`, 1)
		res, body = c.JSON("POST", "/api/v1/admin/products", other, cat...)
		apptest.Problem(t, res, body, http.StatusConflict, catalog.CodeSKUTaken)

		// Update: drop the white SKU, add a new one; unchanged saves write nothing.
		upd := strings.Replace(good, `"DR-WHT"`, `"DR-WHT2"`, 1)
		res, body = c.JSON("PUT", "/api/v1/admin/products/"+id, upd, cat...)
		if res.StatusCode != 200 {
			t.Fatalf("update: %d %s", res.StatusCode, body)
		}
		if storetest.Count(t, a.DB, `SELECT COUNT(*) FROM skus WHERE product_id = $1 AND status = 'inactive' AND code = 'DR-WHT'`, p.ID) != 1 {
			t.Error("the SKU left out is still active")
		}
		audits := func() int {
			return storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE entity_id = $1 AND entity_type = 'product'`, id)
		}
		n := audits()
		res, _ = c.JSON("PUT", "/api/v1/admin/products/"+id, upd, cat...)
		if res.StatusCode != 200 || audits() != n {
			t.Errorf("an unchanged save was audited: %d → %d", n, audits())
		}

		res, body = c.JSON("POST", "/api/v1/admin/products/"+id+"/status", `{"status":"archived"}`, cat...)
		apptest.Problem(t, res, body, http.StatusConflict, catalog.CodeStatusTransition)
		res, body = c.JSON("POST", "/api/v1/admin/products/"+id+"/status", `{"status":"on_sale","reason":"首发"}`, analyst...)
		apptest.Problem(t, res, body, http.StatusForbidden, platform.CodeForbidden)
		res, body = c.JSON("POST", "/api/v1/admin/products/"+id+"/status", `{"status":"on_sale","reason":"首发"}`, cat...)
		if got := apptest.Decode[catalog.ProductEdit](t, body); res.StatusCode != 200 || got.Status != catalog.StatusOnSale || got.ListedAt == nil {
			t.Fatalf("list: %d %s", res.StatusCode, body)
		}
		// The public API shows it at once.
		res, body = c.JSON("GET", "/api/v1/products/"+id, "")
		if res.StatusCode != 200 || !strings.Contains(body, "法式 碎花连衣裙") {
			t.Fatalf("public page: %d %s", res.StatusCode, body)
		}
		res, body = c.JSON("POST", "/api/v1/admin/products/"+id+"/tags", `{"add":["清仓"],"remove":["新品"]}`, cat...)
		if got := apptest.Decode[catalog.ProductEdit](t, body); res.StatusCode != 200 || len(got.Tags) != 1 || got.Tags[0] != "清仓" {
			t.Fatalf("tags: %d %s", res.StatusCode, body)
		}

		f.Create(catalogtest.Product{Category: apparel, Title: "别的商品", Status: catalog.StatusDraft})
		for q, want := range map[string]int{
			"":                              2,
			"?status=on_sale":               1,
			"?tag=" + url.QueryEscape("清仓"): 1,
			"?category=" + dresses.String(): 1,
			"?category=" + apparel.String(): 2,
			"?brand=" + brand.ID.String():   1,
			"?q=" + url.QueryEscape("碎花"):   1,
			"?q=DR-BLK":                     1,
			"?q=6901234567892":              1,
			"?limit=1":                      1,
		} {
			res, body := c.JSON("GET", "/api/v1/admin/products"+q, "", analyst...)
			if page := apptest.Decode[platform.Page[catalog.ProductRow]](t, body); res.StatusCode != 200 || len(page.Items) != want {
				t.Errorf("list %q: %d, %d rows, want %d", q, res.StatusCode, len(page.Items), want)
			}
		}
		res, body = c.JSON("GET", "/api/v1/admin/products?status=sold", "", analyst...)
		apptest.Problem(t, res, body, 422, platform.CodeInvalid)
		res, body = c.JSON("GET", "/api/v1/admin/products/123", "", analyst...)
		apptest.Problem(t, res, body, 404, platform.CodeNotFound)
	})
}

// The console list, editor and lifecycle forms work for catalog staff;
// the list exports to XLSX; a form with bad fields comes back with them.
func TestConsoleProducts(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		f := catalogtest.New(t, a.DB)
		cat := f.Category("食品", "Food", 0)
		for _, role := range platform.StaffRoles {
			w := apptest.Console(t, a, role, "GET", "/console/products", nil)
			want := http.StatusForbidden
			if platform.Can(role, catalog.PermView) {
				want = http.StatusOK
			}
			if w.Code != want {
				t.Errorf("%s: %d, want %d", role, w.Code, want)
			}
		}
		form := url.Values{"title": {"<b>冷冻水饺</b>"}, "category_id": {cat.String()}, "storage_class": {"frozen"}, "attributes": {"馅料=猪肉白菜; 产地=山东"},
			"tags": {"速冻, 新品"}, "list_at": {"2030-01-01T09:00"},
			"sku_code": {"JZ-500", "JZ-1000", ""}, "sku_spec": {"规格=500g", "规格=1000g", ""}, "sku_price": {"19.9", "35", ""},
			"sku_compare_at": {"", "", ""}, "sku_cost": {"8", "15.50", ""}, "sku_weight_g": {"520", "1030", ""}, "sku_volume_cm3": {"", "", ""}, "sku_barcode": {"", "", ""}}
		w := apptest.Console(t, a, platform.RoleCatalog, "POST", "/console/products", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		loc := w.Header().Get("Location")
		id, _ := platform.ParseID(strings.TrimPrefix(strings.Split(loc, "?")[0], "/console/products/"))
		p, err := catalog.NewAdmin(a.DB).Get(t.Context(), id)
		if err != nil || p.StorageClass != catalog.Frozen || len(p.SKUs) != 2 || p.SKUs[0].Price != 1990 || p.SKUs[1].Cost != 1550 ||
			p.ListAt == nil || p.ListAt.Hour() != 1 || len(p.Attributes) != 2 || len(p.Tags) != 2 {
			t.Fatalf("created %+v %v", p, err)
		}
		w = apptest.Console(t, a, platform.RoleCatalog, "GET", loc, nil)
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, "&lt;b&gt;冷冻水饺") || !strings.Contains(body, `/console/products/`+id.String()+`/images`) ||
			!strings.Contains(body, `id="move-on_sale"`) || !strings.Contains(body, `value="19.90"`) {
			t.Fatalf("editor: %d %s", w.Code, body)
		}
		form.Set("sku_price", "abc")
		form["sku_price"] = []string{"abc", "35", ""}
		w = apptest.Console(t, a, platform.RoleCatalog, "POST", "/console/products/"+id.String(), form)
		if w.Code != 422 || !strings.Contains(w.Body.String(), `data-field="skus.0.price"`) {
			t.Fatalf("bad price: %d %s", w.Code, w.Body)
		}
		w = apptest.Console(t, a, platform.RoleCatalog, "POST", "/console/products/"+id.String()+"/status", url.Values{"status": {"archived"}})
		if w.Code != 409 {
			t.Fatalf("draft → archived: %d", w.Code)
		}
		w = apptest.Console(t, a, platform.RoleCatalog, "POST", "/console/products/"+id.String()+"/status", url.Values{"status": {"on_sale"}})
		if w.Code != http.StatusSeeOther || storetest.Count(t, a.DB, `SELECT COUNT(*) FROM products WHERE id = $1 AND status = 'on_sale'`, id) != 1 {
			t.Fatalf("list: %d %s", w.Code, w.Body)
		}
		w = apptest.Console(t, a, platform.RoleAnalyst, "POST", "/console/products/"+id.String()+"/status", url.Values{"status": {"off_sale"}})
		if w.Code != http.StatusForbidden {
			t.Fatalf("analyst delists: %d", w.Code)
		}
		w = apptest.Console(t, a, platform.RoleAnalyst, "GET", "/console/products?status=on_sale&format=xlsx&table=products-table", nil)
		if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Type"), "spreadsheet") || w.Body.Len() < 1000 {
			t.Fatalf("export: %d %s", w.Code, w.Header())
		}
		w = apptest.Console(t, a, platform.RoleAnalyst, "GET", "/console/products?status=nope", nil)
		if w.Code != 422 {
			t.Fatalf("bad filter: %d", w.Code)
		}
	})
}

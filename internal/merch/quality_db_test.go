package merch_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/merch"
	"storeops/internal/platform"
)

func TestQualityList(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		f := catalogtest.New(t, a.DB)
		top := f.Category("服饰", "Apparel", 0)
		tees := f.Category("T恤", "T-shirts", top)
		if err := catalog.NewAdmin(a.DB).SetTemplate(ctx, audit.System, tees, []catalog.AttributeDef{{Name: "材质"}, {Name: "产地"}, {Name: "颜色", Kind: catalog.KindSpec}}); err != nil {
			t.Fatal(err)
		}
		desc := "<p>精选新疆长绒棉，柔软亲肤，透气吸汗；宽松版型，四季可穿，机洗不变形。</p>"
		sku := func(price platform.Money) []catalogtest.SKU {
			return []catalogtest.SKU{{Spec: map[string]string{"颜色": "白色"}, Price: price, Stock: 4}}
		}
		good, _ := f.Create(catalogtest.Product{Category: tees, Title: "新疆长绒棉纯棉短袖T恤 男女同款", Description: desc,
			Attributes: `{"材质":"棉","产地":"新疆"}`, SKUs: sku(5900), Images: 3})
		f.Create(catalogtest.Product{Category: tees, Title: "基础款圆领纯棉T恤 白色打底", Description: desc,
			Attributes: `{"材质":"棉","产地":"广东"}`, SKUs: sku(6900), Images: 3})
		// Cheap by a factor of ten, one image, no origin, a short title
		// without the category word, no description.
		bad, _ := f.Create(catalogtest.Product{Category: tees, Title: "夏季短袖", Attributes: `{"材质":"棉","产地":""}`, SKUs: sku(590), Images: 1})
		archived, _ := f.Create(catalogtest.Product{Category: tees, Title: "x", Status: catalog.StatusArchived})

		rows, err := merch.QualityList(ctx, a.DB)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0].ID != bad || rows[2].Score != 100 {
			t.Fatalf("rows %+v", rows)
		}
		for _, r := range rows {
			if r.ID == archived {
				t.Fatal("archived product listed")
			}
		}
		// 100 − no_description 20 − title_short (4 characters) 15 −
		// price_low 15 (median ¥59) − few_images 13 − title_keyword 10 −
		// missing_attrs (1 of 3) 7.
		var codes []string
		for _, f := range rows[0].Fixes {
			codes = append(codes, f.Code)
		}
		if rows[0].Score != 20 || strings.Join(codes, ",") != "no_description,title_short,price_low,few_images,title_keyword,missing_attrs" {
			t.Fatalf("bad product: %d %v", rows[0].Score, codes)
		}
		if rows[0].Category != "T恤" {
			t.Fatalf("category %q", rows[0].Category)
		}
		q, err := merch.ProductQuality(ctx, a.DB, bad)
		if err != nil || q.Score != 20 {
			t.Fatalf("one product: %+v %v", q, err)
		}
		if q, err := merch.ProductQuality(ctx, a.DB, good); err != nil || q.Score != 100 {
			t.Fatalf("good product: %+v %v", q, err)
		}
		if _, err := merch.ProductQuality(ctx, a.DB, 12345); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Fatalf("unknown: %v", err)
		}

		page := staffDo(t, a, platform.RoleMarketing, http.MethodGet, "/console/merch/quality", "", nil)
		body := page.Body.String()
		if page.Code != 200 || strings.Index(body, bad.String()) > strings.Index(body, good.String()) ||
			!strings.Contains(body, "价格 ¥5.90 远低于类目中位价 ¥59.00") || !strings.Contains(body, "补全类目属性：产地") {
			t.Fatalf("page %d %s", page.Code, body)
		}
		if x := staffDo(t, a, platform.RoleAnalyst, http.MethodGet, "/console/merch/quality?format=xlsx&table=quality-table", "", nil); x.Code != 200 || !strings.Contains(x.Header().Get("Content-Type"), "spreadsheet") {
			t.Fatalf("export %d %s", x.Code, x.Header().Get("Content-Type"))
		}
		img := staffDo(t, a, platform.RoleCatalog, http.MethodGet, "/console/products/"+bad.String()+"/images", "", nil)
		if !strings.Contains(img.Body.String(), `id="quality-score">20<`) {
			t.Fatalf("images page lacks the score: %s", img.Body)
		}
	})
}

package catalog_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
	"storeops/internal/web"
)

const importCSV = "\ufeff商品编号,标题,分类,品牌,储存方式,商品属性,标签,商品详情,状态,SKU编码,规格,售价,划线价,成本,重量(克),条码\n" +
	"D1,法式碎花连衣裙,服饰/连衣裙,,常温,材质=雪纺,新品,<p>轻盈<script>x()</script></p>,on_sale,DR-BLK-S,颜色=黑色; 尺码=S,199,259,80,300,6901234567892\n" +
	"D1,,,,,,,,,DR-BLK-M,颜色=黑色; 尺码=M,199,259,80,310,\n" +
	",冷冻水饺,食品,,冷冻,,,,,JZ-500,,19.9,,8,520,\n"

func importRows(t *testing.T, s string) []catalog.ImportRow {
	t.Helper()
	rows, err := catalog.ParseImport(strings.NewReader(s), catalog.FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func importFixture(t *testing.T, db *store.DB) {
	f := catalogtest.New(t, db)
	apparel := f.Category("服饰", "Apparel", 0)
	f.Category("连衣裙", "Dresses", apparel)
	f.Category("食品", "Food", 0)
}

// Import creates, then a second import of the same file changes and
// records nothing; a changed price updates one product; the XLSX export
// imports back unchanged.
func TestImportIdempotent(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		importFixture(t, db)
		a := catalog.NewAdmin(db)
		rep, err := a.Import(ctx, staff, importRows(t, importCSV), catalog.ImportOptions{})
		if err != nil || !rep.Applied || rep.Created != 2 || len(rep.Errors) != 0 || rep.Products != 2 || rep.Rows != 3 {
			t.Fatalf("first import %+v %v", rep, err)
		}
		if storetest.Count(t, db, `SELECT COUNT(*) FROM products p JOIN skus s ON s.product_id = p.id WHERE p.title = '法式碎花连衣裙' AND p.status = 'on_sale' AND s.price = 19900 AND s.compare_at_price = 25900`) != 2 {
			t.Error("the dress is not on sale with both SKUs")
		}
		if storetest.Count(t, db, `SELECT COUNT(*) FROM products WHERE description LIKE '%script%'`) != 0 {
			t.Error("script kept in a description")
		}
		snapshot := func() [4]int {
			return [4]int{storetest.Count(t, db, `SELECT COUNT(*) FROM products`), storetest.Count(t, db, `SELECT COUNT(*) FROM skus`),
				storetest.Count(t, db, `SELECT COUNT(*) FROM audit_log`), storetest.Count(t, db, `SELECT COUNT(*) FROM outbox_events`)}
		}
		before := snapshot()
		rep, err = a.Import(ctx, staff, importRows(t, importCSV), catalog.ImportOptions{})
		if err != nil || rep.Unchanged != 2 || rep.Created != 0 || rep.Updated != 0 {
			t.Fatalf("second import %+v %v", rep, err)
		}
		if after := snapshot(); after != before {
			t.Errorf("re-import wrote: %v → %v", before, after)
		}
		changed := strings.Replace(importCSV, "JZ-500,,19.9", "JZ-500,,21.5", 1)
		rep, err = a.Import(ctx, staff, importRows(t, changed), catalog.ImportOptions{})
		if err != nil || rep.Updated != 1 || rep.Unchanged != 1 {
			t.Fatalf("changed import %+v %v", rep, err)
		}
		if storetest.Count(t, db, `SELECT COUNT(*) FROM skus WHERE code = 'JZ-500' AND price = 2150`) != 1 {
			t.Error("price not updated")
		}

		var buf bytes.Buffer
		if err := a.ExportXLSX(ctx, &buf, catalog.AdminFilter{}); err != nil {
			t.Fatal(err)
		}
		rows, err := catalog.ParseImport(bytes.NewReader(buf.Bytes()), catalog.FormatOf("x.xlsx", buf.Bytes()))
		if err != nil || len(rows) != 3 {
			t.Fatalf("export rows %d %v", len(rows), err)
		}
		before = snapshot()
		rep, err = a.Import(ctx, staff, rows, catalog.ImportOptions{})
		if err != nil || rep.Unchanged != 2 || len(rep.Errors) != 0 {
			t.Fatalf("re-import of the export %+v %v", rep, err)
		}
		if after := snapshot(); after != before {
			t.Errorf("re-importing the export wrote: %v → %v", before, after)
		}
		buf.Reset()
		if err := a.ExportCSV(ctx, &buf, catalog.AdminFilter{}); err != nil {
			t.Fatal(err)
		}
		if rep, err := a.Import(ctx, staff, importRows(t, buf.String()), catalog.ImportOptions{DryRun: true}); err != nil || len(rep.Errors) != 0 {
			t.Fatalf("CSV export check %+v %v", rep, err)
		}
	})
}

// A file with bad rows reports every one (row, column, reason) and
// applies nothing; a dry run writes nothing; confirming applies the
// valid products only.
func TestImportBadRows(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		importFixture(t, db)
		a := catalog.NewAdmin(db)
		bad := "标题,分类,SKU编码,规格,售价,成本,条码,状态\n" +
			"好商品,食品,OK-1,,10,5,,\n" +
			"坏价格,食品,BAD-1,,十元,5,,\n" +
			"无分类,不存在,BAD-2,,10,5,,\n" +
			"重复编码,食品,OK-1,,10,5,,\n" +
			",食品,BAD-3,,10,5,123,\n" +
			"下架草稿,食品,BAD-4,,10,5,,off_sale\n"
		count := func() int { return storetest.Count(t, db, `SELECT COUNT(*) FROM products`) }
		n := count()
		rep, err := a.Import(ctx, staff, importRows(t, bad), catalog.ImportOptions{DryRun: true})
		if err != nil || rep.Applied || count() != n {
			t.Fatalf("dry run %+v %v", rep, err)
		}
		rep, err = a.Import(ctx, staff, importRows(t, bad), catalog.ImportOptions{})
		if err != nil || rep.Applied || count() != n {
			t.Fatalf("bad file applied %+v %v", rep, err)
		}
		rep.Localize(platform.EN)
		want := map[[2]any]bool{{3, "price"}: true, {4, "category"}: true, {5, "sku_code"}: true, {6, "title"}: true, {6, "barcode"}: true, {7, "status"}: true}
		for _, e := range rep.Errors {
			if !want[[2]any{e.Row, e.Column}] {
				t.Errorf("unexpected error %+v", e)
			}
			if e.Reason == "" || strings.HasPrefix(e.Reason, "catalog.") {
				t.Errorf("reason not rendered: %+v", e)
			}
			delete(want, [2]any{e.Row, e.Column})
		}
		if len(want) != 0 {
			t.Errorf("missing errors %v in %+v", want, rep.Errors)
		}
		rep.Localize(platform.ZH)
		if !strings.Contains(rep.Errors[0].Reason, "金额") {
			t.Errorf("zh reason %q", rep.Errors[0].Reason)
		}
		rep, err = a.Import(ctx, staff, importRows(t, bad), catalog.ImportOptions{ApplyValid: true})
		if err != nil || !rep.Applied || rep.Created != 1 || count() != n+1 {
			t.Fatalf("apply valid %+v %v", rep, err)
		}
		// A SKU code of an existing product cannot be given to another.
		other := "商品编号,标题,分类,SKU编码,规格,售价\nX,甲,食品,OK-1,规格=小,10\nX,甲,食品,NEW-1,规格=大,10\nY,乙,食品,OK-2,,1\n"
		if rep, err := a.Import(ctx, staff, importRows(t, other), catalog.ImportOptions{}); err != nil || rep.Updated != 1 || rep.Created != 1 {
			t.Fatalf("update by code %+v %v", rep, err)
		}
		mix := "商品编号,标题,分类,SKU编码,规格,售价\nZ,丙,食品,OK-1,规格=小,10\nZ,丙,食品,OK-2,规格=大,10\n"
		rep, err = a.Import(ctx, staff, importRows(t, mix), catalog.ImportOptions{})
		if err != nil || rep.Applied || len(rep.Errors) != 1 || rep.Errors[0].Column != "sku_code" {
			t.Fatalf("codes of two products %+v %v", rep, err)
		}
	})
}

// Files that cannot be read are refused as a whole with a reason.
func TestParseImportRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"empty":    "",
		"no sku":   "标题,售价\n甲,1\n",
		"repeated": "SKU编码,sku_code\nA,B\n",
		"not utf8": "SKU编码\n\xff\xfe\n",
		"bad xlsx": "PK\x03\x04garbage",
	} {
		_, err := catalog.ParseImport(strings.NewReader(in), catalog.FormatOf("", []byte(in)))
		if e := platform.AsError(err); err == nil || e.Code != platform.CodeInvalid || e.Fields[0].Field != "file" {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func uploadImport(t *testing.T, a *app.App, role platform.Role, name, content string, fields map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	req := httptest.NewRequest("POST", "/console/products/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	p := &web.Principal{StaffID: 42, Role: role, Name: "测试", Email: "t@example.com", Via: "session"}
	req = req.WithContext(web.WithPrincipal(req.Context(), p))
	w := httptest.NewRecorder()
	a.Handler.ServeHTTP(w, req)
	return w
}

// The console's import page checks, refuses and applies an upload.
func TestConsoleImport(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		importFixture(t, a.DB)
		if w := apptest.Console(t, a, platform.RoleCatalog, "GET", "/console/products/import", nil); w.Code != 200 || !strings.Contains(w.Body.String(), "import-form") {
			t.Fatalf("page: %d", w.Code)
		}
		if w := uploadImport(t, a, platform.RoleAnalyst, "p.csv", importCSV, map[string]string{"action": "import"}); w.Code != http.StatusForbidden {
			t.Fatalf("analyst import: %d", w.Code)
		}
		w := uploadImport(t, a, platform.RoleCatalog, "p.csv", importCSV, map[string]string{"action": "check"})
		if w.Code != 200 || !strings.Contains(w.Body.String(), `data-applied="false"`) || storetest.Count(t, a.DB, `SELECT COUNT(*) FROM products`) != 0 {
			t.Fatalf("check: %d", w.Code)
		}
		bad := strings.Replace(importCSV, "JZ-500,,19.9", "JZ-500,,abc", 1)
		w = uploadImport(t, a, platform.RoleCatalog, "p.csv", bad, map[string]string{"action": "import"})
		if w.Code != 422 || !strings.Contains(w.Body.String(), "import-refused") || !strings.Contains(w.Body.String(), "售价") {
			t.Fatalf("bad: %d %s", w.Code, w.Body)
		}
		w = uploadImport(t, a, platform.RoleCatalog, "p.csv", bad, map[string]string{"action": "import", "apply_valid": "1"})
		if w.Code != 200 || !strings.Contains(w.Body.String(), "import-applied") || storetest.Count(t, a.DB, `SELECT COUNT(*) FROM products`) != 1 {
			t.Fatalf("apply valid: %d", w.Code)
		}
		w = uploadImport(t, a, platform.RoleCatalog, "p.xlsx", "PK\x03\x04nonsense", map[string]string{"action": "check"})
		if w.Code != 422 {
			t.Fatalf("bad xlsx: %d", w.Code)
		}
		w = apptest.Console(t, a, platform.RoleAnalyst, "GET", "/console/products/export?format=csv", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "DR-BLK-M") {
			t.Fatalf("export: %d %s", w.Code, w.Body)
		}
	})
}

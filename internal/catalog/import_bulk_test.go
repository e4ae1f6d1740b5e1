package catalog_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// A file of more than one apply batch of new products (written with
// multi-row inserts) leaves every product with its SKUs, tags in file
// order, one create audit row whose snapshot names the saved SKU ids,
// and one change event; importing it again writes nothing.
func TestImportBulkCreate(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		importFixture(t, db)
		const n = 520
		var b strings.Builder
		b.WriteString("商品编号,标题,分类,标签,状态,SKU编码,规格,售价\n")
		for i := range n {
			fmt.Fprintf(&b, "B%d,速干T恤 %d,服饰,新品、热卖,on_sale,B%d-S,尺码=S,49\n", i, i, i)
			fmt.Fprintf(&b, "B%d,,,,,B%d-M,尺码=M,59\n", i, i)
		}
		a := catalog.NewAdmin(db)
		rep, err := a.Import(ctx, staff, importRows(t, b.String()), catalog.ImportOptions{})
		if err != nil || !rep.Applied || rep.Created != n || len(rep.Errors) != 0 {
			t.Fatalf("import %+v %v", rep, err)
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM products WHERE status = 'on_sale' AND price_min = 4900 AND price_max = 5900 AND listed_at IS NOT NULL`: n,
			`SELECT COUNT(*) FROM skus WHERE status = 'active'`:                                                                          2 * n,
			`SELECT COUNT(*) FROM product_tags`:                                                                                          2 * n,
			`SELECT COUNT(*) FROM audit_log WHERE action = 'product.create' AND actor_id = 42 AND before_json IS NULL`:                   n,
			`SELECT COUNT(*) FROM outbox_events WHERE topic = '` + catalog.TopicProductChanged + `'`:                                     n,
		} {
			if got := storetest.Count(t, db, q); got != want {
				t.Errorf("%s: %d, want %d", q, got, want)
			}
		}
		var id platform.ID
		if err := db.R.QueryRow(`SELECT p.id FROM products p JOIN skus s ON s.product_id = p.id WHERE s.code = 'B517-M'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		p, err := a.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Tags, []string{"新品", "热卖"}) || len(p.SKUs) != 2 || p.SKUs[0].Code != "B517-S" || p.SKUs[1].Code != "B517-M" {
			t.Fatalf("product %+v", p)
		}
		var after string
		if err := db.R.QueryRow(`SELECT after_json FROM audit_log WHERE action = 'product.create' AND entity_id = $1`, p.ID.String()).Scan(&after); err != nil {
			t.Fatal(err)
		}
		for _, s := range p.SKUs {
			if !strings.Contains(after, `"id":"`+s.ID.String()+`"`) {
				t.Errorf("audit snapshot %s lacks SKU %s", after, s.ID)
			}
		}
		var payload string
		if err := db.R.QueryRow(`SELECT payload FROM outbox_events WHERE key = $1`, p.ID.String()).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(payload, `"create"`) {
			t.Errorf("event payload %s", payload)
		}
		audits := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_log`)
		rep, err = a.Import(ctx, staff, importRows(t, b.String()), catalog.ImportOptions{})
		if err != nil || rep.Unchanged != n || rep.Created != 0 || rep.Updated != 0 {
			t.Fatalf("re-import %+v %v", rep, err)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM audit_log`); got != audits {
			t.Errorf("re-import audited %d rows", got-audits)
		}
	})
}

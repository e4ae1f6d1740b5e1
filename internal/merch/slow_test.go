package merch_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/merch"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// sell records a paid order of qty units of sku (of product) paid ago
// before now, in status st.
func sell(t *testing.T, db *store.DB, product, sku platform.ID, qty int, ago time.Duration, st order.Status) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		at := store.Time(tx.Now.Add(-ago))
		no, err := order.NewOrderNo(ctx, tx, at)
		if err != nil {
			return err
		}
		id := tx.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, item_count,
			placed_at, paid_at, created_at, updated_at) VALUES ($1, $2, 1, $3, 1000, 1000, $4, $5, $5, $5, $5)`, id, no, st, qty, at); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO order_lines (id, order_id, product_id, sku_id, category_id, title, quantity, unit_price, line_total, unit_cost)
			VALUES ($1, $2, $3, $4, 1, 't', $5, 1000, 1000, 500)`, tx.NewID(), id, product, sku, qty)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSlowMovers(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		f := catalogtest.New(t, a.DB)
		cat := f.Category("家居", "Home", 0)
		day := 24 * time.Hour
		mk := func(title string, price platform.Money, stock int, st catalog.Status) (platform.ID, platform.ID) {
			p, skus := f.Create(catalogtest.Product{Category: cat, Title: title, Status: st, SKUs: []catalogtest.SKU{{Price: price, Stock: stock}}})
			return p, skus[0]
		}
		// catalogtest costs a SKU at half its price.
		pa, sa := mk("陶瓷马克杯", 1000, 10, "") // sold 3 forty days ago
		pb, _ := mk("亚麻抱枕", 2000, 4, "")    // never sold
		pc, sc := mk("玻璃水杯", 800, 6, "")    // sold 1 five days ago
		mk("竹制托盘", 500, 0, "")              // no stock
		mk("旧款台灯", 3000, 5, catalog.StatusOffSale)
		pf, sf := mk("香薰蜡烛", 600, 2, "") // its only recent order was cancelled
		sell(t, a.DB, pa, sa, 3, 40*day, order.Completed)
		sell(t, a.DB, pc, sc, 1, 5*day, order.Paid)
		sell(t, a.DB, pf, sf, 2, 10*day, order.Cancelled)
		sell(t, a.DB, pa, sa, 9, 200*day, order.Completed) // before the rate window

		rows, err := merch.SlowMovers(ctx, a.DB, 30)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("rows %+v", rows)
		}
		// A: 10 on hand × ¥5 = ¥50 tied up; 3 sold in 90 days → 10×90/3 = 300 days.
		r := rows[0]
		if r.ID != pa || r.Stock != 10 || r.TiedUp != 5000 || r.SoldRecent != 3 || r.RateDays != 90 || r.DaysOfCover == nil || *r.DaysOfCover != 300 ||
			r.LastSale == nil || a.DB.Now().Sub(*r.LastSale).Round(day) != 40*day || r.Category != "家居" {
			t.Fatalf("A %+v", r)
		}
		// B: 4 × ¥10 = ¥40, nothing sold: cover forever.
		if r := rows[1]; r.ID != pb || r.Stock != 4 || r.TiedUp != 4000 || r.SoldRecent != 0 || r.DaysOfCover != nil || r.LastSale != nil {
			t.Fatalf("B %+v", r)
		}
		if r := rows[2]; r.ID != pf || r.TiedUp != 600 || r.SoldRecent != 0 {
			t.Fatalf("F %+v", r)
		}
		// A 45-day window sees A's sale: only B and F are left.
		if rows, err := merch.SlowMovers(ctx, a.DB, 45); err != nil || len(rows) != 2 || rows[0].ID != pb {
			t.Fatalf("45 days: %+v %v", rows, err)
		}
		if _, err := merch.SlowMovers(ctx, a.DB, 3); platform.ErrorCode(err) != platform.CodeInvalid {
			t.Fatalf("3 days: %v", err)
		}

		page := staffDo(t, a, platform.RoleCatalog, http.MethodGet, "/console/merch/slow", "", nil)
		if body := page.Body.String(); page.Code != 200 || !strings.Contains(body, "3 个商品，共占用成本 ¥96.00") || !strings.Contains(body, "discount-"+pa.String()) {
			t.Fatalf("page %d %s", page.Code, body)
		}
		if x := staffDo(t, a, platform.RoleAnalyst, http.MethodGet, "/console/merch/slow?format=xlsx&table=slow-table", "", nil); x.Code != 200 || !strings.Contains(x.Header().Get("Content-Type"), "spreadsheet") {
			t.Fatalf("export %d", x.Code)
		}
		if page := staffDo(t, a, platform.RoleAnalyst, http.MethodGet, "/console/merch/slow", "", nil); strings.Contains(page.Body.String(), "discount-"+pa.String()) {
			t.Fatal("an analyst sees the action buttons")
		}

		// The one-click actions, each audited by the domain that owns it.
		back := url.Values{"back": {"/console/merch/slow?days=30"}}
		res := form(t, a, platform.RoleCatalog, "/console/merch/slow/"+pa.String()+"/discount", url.Values{"percent": {"25"}, "back": back["back"]})
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/console/merch/slow?days=30&done=discount" {
			t.Fatalf("discount %d %s", res.Code, res.Body)
		}
		var js string
		if err := a.DB.R.QueryRow(`SELECT rule_json FROM promo_rules WHERE status = 'active' AND kind = 'percent_off'`).Scan(&js); err != nil ||
			!strings.Contains(js, pa.String()) || !strings.Contains(js, `"percent":25`) {
			t.Fatalf("rule %s %v", js, err)
		}
		if res := form(t, a, platform.RoleCatalog, "/console/merch/slow/"+pb.String()+"/delist", back); res.Code != http.StatusSeeOther {
			t.Fatalf("delist %d %s", res.Code, res.Body)
		}
		if res := form(t, a, platform.RoleCatalog, "/console/merch/slow/"+pf.String()+"/clearance", back); res.Code != http.StatusSeeOther {
			t.Fatalf("clearance %d %s", res.Code, res.Body)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM products WHERE id = $1 AND status = 'off_sale'`, pb); n != 1 {
			t.Fatal("not delisted")
		}
		if n := count(t, a, `SELECT COUNT(*) FROM product_tags WHERE product_id = $1 AND tag = '清仓'`, pf); n != 1 {
			t.Fatal("not tagged")
		}
		for _, c := range []struct {
			entity string
			id     platform.ID
		}{{"promo_rule", 0}, {"product", pb}, {"product", pf}} {
			q, args := `SELECT COUNT(*) FROM audit_log WHERE entity_type = $1 AND actor_kind = 'staff'`, []any{c.entity}
			if c.id != 0 {
				q += ` AND entity_id = $2`
				args = append(args, c.id.String())
			}
			if n := count(t, a, q, args...); n == 0 {
				t.Fatalf("no audit for %s %d", c.entity, c.id)
			}
		}
		rows, _ = merch.SlowMovers(ctx, a.DB, 30)
		if len(rows) != 2 || rows[1].ID != pf || strings.Join(rows[1].Tags, ",") != "清仓" {
			t.Fatalf("after actions %+v", rows)
		}

		// Bad input: a percent out of range shows the report with a 422;
		// a delisted product cannot be delisted again (409); unknown is 404.
		if res := form(t, a, platform.RoleCatalog, "/console/merch/slow/"+pa.String()+"/discount", url.Values{"percent": {"95"}}); res.Code != 422 || !strings.Contains(res.Body.String(), "form-error") {
			t.Fatalf("percent 95: %d", res.Code)
		}
		if res := form(t, a, platform.RoleCatalog, "/console/merch/slow/"+pb.String()+"/delist", nil); res.Code != 409 && res.Code != http.StatusSeeOther {
			t.Fatalf("delist twice: %d", res.Code)
		}
		for _, target := range []string{"/console/merch/slow/999/delist", "/console/merch/slow/999/discount", "/console/merch/slow/" + pa.String() + "/explode"} {
			if res := form(t, a, platform.RoleCatalog, target, url.Values{"percent": {"10"}}); res.Code != 404 {
				t.Fatalf("%s: %d", target, res.Code)
			}
		}
		if res := form(t, a, platform.RoleAnalyst, "/console/merch/slow/"+pa.String()+"/clearance", nil); res.Code != http.StatusForbidden {
			t.Fatalf("analyst: %d", res.Code)
		}
	})
}

package demo_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var asOf = time.Date(2026, 11, 25, 0, 0, 0, 0, platform.ShopZone)

func generate(t testing.TB, db *store.DB, steps []module.DemoStep, opt demo.Options) demo.Summary {
	t.Helper()
	if opt.AsOf.IsZero() {
		opt.AsOf = asOf
	}
	sum, err := demo.Generate(context.Background(), db, steps, opt)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// shopDB builds the app on a fresh database of dialect d and generates a
// shop on it.
func shopDB(t testing.TB, d store.Dialect, seed int64, scale float64) *store.DB {
	t.Helper()
	a := apptest.New(t, d, apptest.Options{})
	generate(t, a.DB, demo.Steps(a.Modules), demo.Options{Seed: seed, Scale: scale})
	return a.DB
}

// digest hashes the rows of query in order.
func digest(t testing.TB, db *store.DB, query string) string {
	t.Helper()
	rows, err := db.R.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	h := sha256.New()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if tm, ok := v.(time.Time); ok {
				v = tm.UTC().Format(time.RFC3339Nano)
			}
			fmt.Fprintf(h, "%v|", v)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d:%s", n, hex.EncodeToString(h.Sum(nil))[:16])
}

var digestQueries = map[string]string{
	"orders":      `SELECT id, order_no, customer_id, status, channel, session_id, items_total, discount_total, shipping_fee, total, cost_total, refunded_total, item_count, province_code, city, placed_at, paid_at, shipped_at, delivered_at, completed_at, cancelled_at FROM orders ORDER BY id`,
	"order_lines": `SELECT id, order_id, product_id, sku_id, category_id, title, spec_text, quantity, unit_price, discount, line_total, unit_cost, refunded FROM order_lines ORDER BY id`,
	"customers":   `SELECT id, email, mobile, name, province_code, province, city, gender, birthday, source, created_at FROM customers ORDER BY id`,
}

func TestSameSeedSameShopOtherSeedOtherShop(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			a, b, c := shopDB(t, d, 7, 0.03), shopDB(t, d, 7, 0.03), shopDB(t, d, 8, 0.03)
			for table, q := range digestQueries {
				da, db, dc := digest(t, a, q), digest(t, b, q), digest(t, c, q)
				if da != db {
					t.Errorf("%s: seed 7 twice gave %s and %s", table, da, db)
				}
				if da == dc {
					t.Errorf("%s: seeds 7 and 8 gave the same rows %s", table, da)
				}
			}
		})
	}
}

// check fails when query finds any row: each is a broken invariant.
func check(t *testing.T, db *store.DB, what, query string, args ...any) {
	t.Helper()
	if n := storetest.Count(t, db, `SELECT COUNT(*) FROM (`+query+`) AS broken`, args...); n > 0 {
		t.Errorf("%s: %d rows break it", what, n)
	}
}

func TestTinyShopInvariants(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			db := shopDB(t, d, 1, 0.1)
			if n := storetest.Count(t, db, `SELECT COUNT(*) FROM orders`); n < 4000 || n > 5500 {
				t.Errorf("%d orders at scale 0.1", n)
			}
			if d == store.SQLite {
				// The generation writes with foreign keys off; the
				// finished shop must satisfy them all the same.
				check(t, db, "foreign keys hold", `SELECT * FROM pragma_foreign_key_check`)
				var on int
				if err := db.W.QueryRow(`PRAGMA foreign_keys`).Scan(&on); err != nil || on != 1 {
					t.Errorf("foreign_keys = %d after the generation (%v), want 1", on, err)
				}
			}
			check(t, db, "every order has a line", `SELECT o.id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)`)
			check(t, db, "items_total = Σ(line_total + discount) = Σ unit_price×quantity, cost_total = Σ unit_cost×quantity, item_count = Σ quantity", `
				SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id
				GROUP BY o.id, o.items_total, o.discount_total, o.cost_total, o.item_count
				HAVING o.items_total <> SUM(l.line_total + l.discount) OR o.items_total <> SUM(l.unit_price * l.quantity)
				    OR o.discount_total <> SUM(l.discount) OR o.cost_total <> SUM(l.unit_cost * l.quantity) OR o.item_count <> SUM(l.quantity)`)
			check(t, db, "total = items_total - discount_total + shipping_fee", `SELECT id FROM orders WHERE total <> items_total - discount_total + shipping_fee OR total <= 0`)
			check(t, db, "refunded_total = Σ refunded refunds ≤ total", `
				SELECT o.id FROM orders o LEFT JOIN refunds r ON r.order_id = o.id AND r.status = 'refunded'
				GROUP BY o.id, o.refunded_total, o.total
				HAVING o.refunded_total <> COALESCE(SUM(r.amount), 0) OR o.refunded_total > o.total`)
			check(t, db, "Σ line refunds ≤ refunded_total, each ≤ its line", `
				SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id
				GROUP BY o.id, o.refunded_total HAVING SUM(l.refunded) > o.refunded_total OR MAX(l.refunded - l.line_total) > 0`)
			check(t, db, "every order's status is its last transition", `
				SELECT o.id FROM orders o WHERE o.status <> (SELECT t.to_status FROM order_transitions t WHERE t.order_id = o.id ORDER BY t.at DESC, t.id DESC LIMIT 1)`)
			check(t, db, "paid orders have a captured payment", `
				SELECT o.id FROM orders o WHERE o.paid_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'captured')`)
			check(t, db, "nothing after the as-of day", `SELECT id FROM orders WHERE placed_at >= $1 OR updated_at >= $1`, asOf.AddDate(0, 0, 1))
			check(t, db, "orders link to a converting session of their customer and channel", `
				SELECT o.id FROM orders o LEFT JOIN visit_sessions s ON s.id = o.session_id
				WHERE o.session_id IS NOT NULL AND (s.id IS NULL OR s.customer_id <> o.customer_id OR s.source <> o.channel OR s.started_at > o.placed_at)`)
			for _, status := range []string{"pending_payment", "paid", "shipped", "delivered", "completed", "cancelled", "after_sale"} {
				if n := storetest.Count(t, db, `SELECT COUNT(*) FROM orders WHERE status = $1`, status); n == 0 {
					t.Errorf("no %s orders", status)
				}
			}
			if n := storetest.Count(t, db, `SELECT COUNT(*) FROM orders WHERE status = 'completed' AND placed_at > $1`, asOf.AddDate(0, 0, -3)); n > 0 {
				t.Errorf("%d orders of the last three days already completed", n)
			}
			orders := storetest.Count(t, db, `SELECT COUNT(*) FROM orders`)
			refunded := storetest.Count(t, db, `SELECT COUNT(DISTINCT order_id) FROM refunds`)
			if share := float64(refunded) / float64(orders); share < 0.03 || share > 0.08 {
				t.Errorf("refunds on %.1f%% of orders, want 3–8%%", share*100)
			}
			if n := storetest.Count(t, db, `SELECT COUNT(*) FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.status = 'refunded' AND r.amount < o.total`); n == 0 {
				t.Error("no partial refunds")
			}
			for _, m := range []string{"online", "cod", "bank_transfer"} {
				if n := storetest.Count(t, db, `SELECT COUNT(*) FROM payments WHERE method = $1`, m); n == 0 {
					t.Errorf("no %s payments", m)
				}
			}
			check(t, db, "order numbers: 16 digits starting with the Shanghai date", `SELECT id FROM orders WHERE LENGTH(order_no) <> 16`)

			// Customers: the four remote provinces and nearly all 31.
			for _, code := range []string{"540000", "650000", "630000", "150000"} {
				if n := storetest.Count(t, db, `SELECT COUNT(*) FROM customers WHERE province_code = $1`, code); n == 0 {
					t.Errorf("no customers in %s", code)
				}
			}
			if n := storetest.Count(t, db, `SELECT COUNT(DISTINCT province_code) FROM customers`); n != 31 {
				t.Errorf("customers in %d provinces, want 31", n)
			}
			check(t, db, "customers well formed", `SELECT id FROM customers WHERE LENGTH(mobile) <> 11 OR LENGTH(province_code) <> 6 OR name = '' OR city = ''`)
			// Buying habits: many buy once, a loyal core buys often.
			once := storetest.Count(t, db, `SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING COUNT(*) = 1) AS c`)
			loyal := storetest.Count(t, db, `SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING COUNT(*) >= 8) AS c`)
			buyers := storetest.Count(t, db, `SELECT COUNT(DISTINCT customer_id) FROM orders`)
			if float64(once) < 0.35*float64(buyers) || loyal == 0 {
				t.Errorf("%d buyers: %d bought once, %d eight times or more", buyers, once, loyal)
			}
			lapsed := storetest.Count(t, db, `SELECT COUNT(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING COUNT(*) >= 3 AND MAX(placed_at) < $1) AS c`, asOf.AddDate(0, -6, 0))
			if lapsed == 0 {
				t.Error("no churned customers (three or more orders, none in six months)")
			}

			// Catalog: eight top categories, each with on-sale products that
			// have two or more images.
			if n := storetest.Count(t, db, `SELECT COUNT(*) FROM categories WHERE parent_id IS NULL`); n != 8 {
				t.Errorf("%d top categories", n)
			}
			check(t, db, "every top category has on-sale products", `
				SELECT c.id FROM categories c WHERE c.parent_id IS NULL AND NOT EXISTS (
					SELECT 1 FROM categories s JOIN products p ON p.category_id = s.id WHERE s.parent_id = c.id AND p.status = 'on_sale')`)
			check(t, db, "every product has two or more images", `
				SELECT p.id FROM products p WHERE (SELECT COUNT(*) FROM product_images i WHERE i.product_id = p.id) < 2`)
			check(t, db, "clothing SKUs have 颜色 and 尺码", `
				SELECT k.id FROM skus k JOIN products p ON p.id = k.product_id JOIN categories s ON s.id = p.category_id JOIN categories c ON c.id = s.parent_id
				WHERE c.name = '服饰' AND (k.spec NOT LIKE '%颜色%' OR k.spec NOT LIKE '%尺码%')`)
			check(t, db, "生鲜 is chilled or frozen", `
				SELECT p.id FROM products p JOIN categories s ON s.id = p.category_id JOIN categories c ON c.id = s.parent_id
				WHERE c.name = '生鲜' AND p.storage_class NOT IN ('chilled', 'frozen')`)
			check(t, db, "prices above cost, price range matches SKUs", `
				SELECT p.id FROM products p JOIN skus k ON k.product_id = p.id GROUP BY p.id, p.price_min, p.price_max
				HAVING MIN(k.price) <> p.price_min OR MAX(k.price) <> p.price_max OR MIN(k.price - k.cost) <= 0`)
			check(t, db, "stock for every SKU", `SELECT k.id FROM skus k WHERE NOT EXISTS (SELECT 1 FROM stock_levels s WHERE s.sku_id = k.id)`)
			check(t, db, "cold goods only in cold-chain warehouses", `
				SELECT s.sku_id FROM stock_levels s JOIN warehouses w ON w.id = s.warehouse_id JOIN skus k ON k.id = s.sku_id JOIN products p ON p.id = k.product_id
				WHERE (p.storage_class <> 'ambient') <> w.cold_chain`)

			// Traffic: 2–4 % of sessions convert, 3–8 views a session.
			sessions := storetest.Count(t, db, `SELECT COUNT(*) FROM visit_sessions`)
			converting := storetest.Count(t, db, `SELECT COUNT(*) FROM orders WHERE session_id IS NOT NULL`)
			if conv := float64(converting) / float64(sessions); sessions == 0 || conv < 0.02 || conv > 0.045 {
				t.Errorf("%d sessions, %d converting", sessions, converting)
			}
			events := storetest.Count(t, db, `SELECT COUNT(*) FROM visit_events`)
			if per := float64(events) / float64(sessions); per < 3 || per > 8 {
				t.Errorf("%.1f events per session", per)
			}
			check(t, db, "page_views counts the events", `
				SELECT s.id FROM visit_sessions s WHERE s.page_views <> (SELECT COUNT(*) FROM visit_events e WHERE e.session_id = s.id)`)
		})
	}
}

func TestSeasonalityAndGrowth(t *testing.T) {
	db := shopDB(t, store.SQLite, 1, 0.1)
	z := platform.ShopZone
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, z) }
	count := func(from, to time.Time) float64 {
		return float64(storetest.Count(t, db, `SELECT COUNT(*) FROM orders WHERE placed_at >= $1 AND placed_at < $2`, from.UTC(), to.UTC()))
	}
	gmv := func(from, to time.Time) float64 {
		return float64(storetest.Count(t, db, `SELECT COALESCE(SUM(total), 0) FROM orders WHERE status NOT IN ('pending_payment', 'cancelled') AND placed_at >= $1 AND placed_at < $2`, from.UTC(), to.UTC()))
	}
	for _, y := range []int{2025, 2026} {
		oct := count(day(y, 10, 1), day(y, 11, 1)) / 31
		if d11 := count(day(y, 11, 11), day(y, 11, 12)); d11 <= 3*oct {
			t.Errorf("%d: %v orders on 11-11, October averaged %.1f a day", y, d11, oct)
		}
		june := count(day(y, 6, 1), day(y, 6, 18)) / 17
		if d618 := count(day(y, 6, 18), day(y, 6, 19)); d618 <= 2*june {
			t.Errorf("%d: %v orders on 6-18, June 1–17 averaged %.1f", y, d618, june)
		}
		sf := demokit.SpringFestival(y)
		sf = time.Date(sf.Year(), sf.Month(), sf.Day(), 0, 0, 0, 0, z)
		week := count(sf.AddDate(0, 0, -3), sf.AddDate(0, 0, 4))
		around := (count(sf.AddDate(0, 0, -17), sf.AddDate(0, 0, -10)) + count(sf.AddDate(0, 0, 11), sf.AddDate(0, 0, 18))) / 2
		if week >= around {
			t.Errorf("%d: 春节 week had %v orders, the weeks around it %.0f on average", y, week, around)
		}
	}
	end := asOf.AddDate(0, 0, 1)
	last, prev := gmv(end.AddDate(-1, 0, 0), end), gmv(end.AddDate(-2, 0, 0), end.AddDate(-1, 0, 0))
	if last <= prev*1.1 {
		t.Errorf("GMV of the last 12 months %.0f, of the 12 before %.0f", last, prev)
	}
	// Evenings outsell early mornings.
	var evening, night int
	rows, err := db.R.Query(`SELECT placed_at FROM orders`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var at time.Time
		if err := rows.Scan(&at); err != nil {
			t.Fatal(err)
		}
		switch h := at.In(z).Hour(); {
		case h >= 20 && h <= 22:
			evening++
		case h >= 3 && h <= 5:
			night++
		}
	}
	rows.Close()
	if evening < 5*night {
		t.Errorf("%d orders 20–23h, %d at 3–6h", evening, night)
	}
}

func TestRefusesAShopWithDataUnlessReplace(t *testing.T) {
	a := apptest.New(t, store.SQLite, apptest.Options{})
	steps := demo.Steps(a.Modules)
	first := generate(t, a.DB, steps, demo.Options{Seed: 3, Scale: 0.02})
	before := digest(t, a.DB, digestQueries["orders"])
	_, err := demo.Generate(context.Background(), a.DB, steps, demo.Options{Seed: 4, Scale: 0.02, AsOf: asOf})
	if !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("second run without replace: %v", err)
	}
	if got := digest(t, a.DB, digestQueries["orders"]); got != before {
		t.Fatal("a refused run changed the orders")
	}
	again := generate(t, a.DB, steps, demo.Options{Seed: 3, Scale: 0.02, Replace: true})
	if got := digest(t, a.DB, digestQueries["orders"]); got != before || again.Orders != first.Orders {
		t.Fatalf("replace with the same seed gave %s, want %s", got, before)
	}
}

func TestProgressGoesOnlyWhereAsked(t *testing.T) {
	a := apptest.New(t, store.SQLite, apptest.Options{})
	var buf bytes.Buffer
	generate(t, a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.02, Progress: &buf})
	for _, step := range []string{"catalog", "customers", "orders", "traffic"} {
		if !bytes.Contains(buf.Bytes(), []byte(step)) {
			t.Errorf("progress output lacks %q: %q", step, buf.String())
		}
	}
}

func TestFirstRunOnlyWhenAsked(t *testing.T) {
	db := apptest.Open(t, store.SQLite, apptest.Options{})
	m, err := demo.Module(&module.Deps{DB: db, FirstRunDemo: false})
	if err != nil {
		t.Fatal(err)
	}
	if line, err := m.FirstRun(context.Background()); err != nil || line != "" {
		t.Fatalf("FirstRun without FirstRunDemo = %q, %v", line, err)
	}
	if n := storetest.Count(t, db, `SELECT COUNT(*) FROM products`); n != 0 {
		t.Fatalf("%d products after a first run that was not asked for", n)
	}
}

func TestSummaryLine(t *testing.T) {
	s := demo.Summary{Seed: 1, Orders: 52310}
	if got, want := s.String(), "demo shop: 52,310 orders over 25 months (seed 1)"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
}

// TestGeneratesBesideAnOpenReader holds a read transaction open for the
// whole generation, as a running server's background readers may: the
// load cannot leave WAL then and must still finish, in WAL.
func TestGeneratesBesideAnOpenReader(t *testing.T) {
	a := apptest.New(t, store.SQLite, apptest.Options{})
	ctx := context.Background()
	tx, err := a.DB.R.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM products`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	sum := generate(t, a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.02})
	if sum.Orders == 0 {
		t.Fatal("no orders generated")
	}
	var mode string
	if err := a.DB.W.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode after generation = %q, %v", mode, err)
	}
}

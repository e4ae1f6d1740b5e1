package analytics

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// countedSQL selects counted orders (order.Status.Counted); a test checks
// it against every status.
const countedSQL = `status NOT IN ('pending_payment', 'cancelled')`

// shopDay is the one dialect difference of the analytics queries: the
// shop-zone calendar day of a UTC timestamp column, as a key to group by
// and the label (YYYY-MM-DD) of a group's key. PostgreSQL converts with
// the zone's rules; SQLite has no zone database, so it adds the zone's
// current UTC offset, which is exact for zones without daylight saving
// time (Asia/Shanghai has had none since 1991). SQLite groups by the
// whole day number since the epoch and formats only each group's label:
// formatting every row's date costs about twice the rest of a daily
// aggregate there.
func shopDay(d store.Dialect, col string) (key, label string) {
	if d == store.Postgres {
		key = fmt.Sprintf(`to_char(%s AT TIME ZONE '%s', 'YYYY-MM-DD')`, col, platform.ShopZone.String())
		return key, key
	}
	_, offset := time.Now().In(platform.ShopZone).Zone()
	key = fmt.Sprintf(`((unixepoch(%s) + %d) / 86400)`, col, offset)
	return key, `date(` + key + ` * 86400, 'unixepoch')`
}

// daily sums the counted orders of r per shop-zone day; days without
// orders are present with zeros.
func daily(ctx context.Context, tx *store.Tx, r Range) ([]Day, error) {
	p, err := planRange(ctx, tx, r)
	if err != nil {
		return nil, err
	}
	return dailyOf(ctx, tx, r, p)
}

// dailyOf is daily along plan p: rolled-up days from analytics_days, the
// raw segments from the orders.
func dailyOf(ctx context.Context, tx *store.Tx, r Range, p plan) ([]Day, error) {
	byDay := map[time.Time]Day{}
	scan := func(q string, args ...any) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("analytics: daily: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var key string
			var d Day
			if err := rows.Scan(&key, &d.GMV, &d.Orders, &d.Cost, &d.Refunds); err != nil {
				return fmt.Errorf("analytics: daily: %w", err)
			}
			if d.Day, err = time.Parse(time.DateOnly, key); err != nil {
				return fmt.Errorf("analytics: daily: day %q: %w", key, err)
			}
			sum := byDay[d.Day]
			sum.GMV += d.GMV
			sum.Orders += d.Orders
			sum.Cost += d.Cost
			sum.Refunds += d.Refunds
			byDay[d.Day] = sum
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("analytics: daily: %w", err)
		}
		return nil
	}
	for _, run := range p.runs {
		if err := scan(`SELECT day, gmv, orders, cost, refunds FROM analytics_days WHERE day >= $1 AND day <= $2`, run[0], run[1]); err != nil {
			return nil, err
		}
	}
	key, label := shopDay(tx.Dialect, "placed_at")
	raw := `SELECT ` + label + `,
		COALESCE(SUM(total), 0), COUNT(*), COALESCE(SUM(cost_total), 0), COALESCE(SUM(refunded_total), 0)
		FROM orders
		WHERE placed_at >= $1 AND placed_at < $2 AND ` + countedSQL + `
		GROUP BY ` + key
	for _, seg := range p.raw {
		if err := scan(raw, seg.From, seg.To); err != nil {
			return nil, err
		}
	}
	days := r.Days()
	out := make([]Day, len(days))
	for i, day := range days {
		out[i] = byDay[day]
		out[i].Day = day
	}
	return out, nil
}

// customers counts the range's distinct customers, the new ones among them
// (no counted order before the range) and the repeat ones (two or more
// counted orders before the range's end).
//
// The distinct customers come from analytics_day_customers for the
// rolled-up days and the orders for the rest. With analytics_customers
// built, the new ones are those whose first counted order falls in the
// range, and the repeat ones the returning customers (an order before and
// one in the range) plus the new ones whose second order falls before the
// range's end; the customers named by change rows are counted from their
// raw orders instead. Without it, each customer's earlier orders are
// probed through the orders_customer index.
func customers(ctx context.Context, tx *store.Tx, r Range, p plan) (total, fresh, repeat int64, err error) {
	if len(p.runs) == 0 && len(p.raw) == 0 {
		return 0, 0, 0, nil
	}
	if !p.customers {
		set, setArgs := p.customerSet(3)
		args := append([]any{r.From, r.To}, setArgs...)
		q := `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM orders p WHERE p.customer_id = c.customer_id AND p.placed_at < $1 AND p.` + countedSQL + `) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN (SELECT COUNT(*) FROM orders p WHERE p.customer_id = c.customer_id AND p.placed_at < $2 AND p.` + countedSQL + `) >= 2 THEN 1 ELSE 0 END), 0)
		FROM (SELECT DISTINCT customer_id FROM (` + set + `) u) c`
		if err = tx.QueryRowContext(ctx, q, args...).Scan(&total, &fresh, &repeat); err != nil {
			err = fmt.Errorf("analytics: customers: %w", err)
		}
		return
	}
	set, setArgs := p.customerSet(1)
	if err = tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT customer_id) FROM (`+set+`) u`, setArgs...).Scan(&total); err != nil {
		return 0, 0, 0, fmt.Errorf("analytics: customers: %w", err)
	}
	var known, knownRepeat, stale, staleRepeat int64
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN second_at < $2 THEN 1 ELSE 0 END), 0)
		FROM analytics_customers f
		WHERE first_at >= $1 AND first_at < $2 AND NOT EXISTS (SELECT 1 FROM analytics_dirty m WHERE m.customer_id = f.customer_id)`,
		r.From, r.To).Scan(&known, &knownRepeat)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("analytics: customers: first orders: %w", err)
	}
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN n_in > 0 AND n_before = 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN n_in > 1 AND n_before = 0 THEN 1 ELSE 0 END), 0)
		FROM (SELECT
			(SELECT COUNT(*) FROM orders p WHERE p.customer_id = s.customer_id AND p.placed_at >= $1 AND p.placed_at < $2 AND p.`+countedSQL+`) AS n_in,
			(SELECT COUNT(*) FROM orders p WHERE p.customer_id = s.customer_id AND p.placed_at < $1 AND p.`+countedSQL+`) AS n_before
			FROM (SELECT DISTINCT customer_id FROM analytics_dirty) s) x`,
		r.From, r.To).Scan(&stale, &staleRepeat)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("analytics: customers: changed customers: %w", err)
	}
	fresh = known + stale
	repeat = total - fresh + knownRepeat + staleRepeat
	return total, fresh, repeat, nil
}

// lineSales ranks the products and the categories of the range's counted
// orders by line sales, largest first, ties by id; limit ≤ 0 means all.
// Rolled-up days are summed from the day tables; the raw segments' lines
// are read once (through covering indexes on both tables) and summed in
// Go, so both rankings and their distinct order counts come from one pass.
// An order lies in one day, so the days' distinct order counts add up.
func lineSales(ctx context.Context, tx *store.Tx, r Range, p plan, limit int) (byProduct, byCategory []lineGroup, all platform.Money, err error) {
	products, categories := map[platform.ID]*lineGroup{}, map[platform.ID]*lineGroup{}
	group := func(m map[platform.ID]*lineGroup, id platform.ID) *lineGroup {
		g := m[id]
		if g == nil {
			g = &lineGroup{id: id, seen: map[platform.ID]bool{}}
			m[id] = g
		}
		return g
	}
	for _, run := range p.runs {
		for _, t := range []struct {
			q string
			m map[platform.ID]*lineGroup
		}{
			{`SELECT product_id, SUM(quantity), SUM(orders), SUM(sales) FROM analytics_day_products WHERE day >= $1 AND day <= $2 GROUP BY product_id`, products},
			{`SELECT category_id, SUM(quantity), SUM(orders), SUM(sales) FROM analytics_day_categories WHERE day >= $1 AND day <= $2 GROUP BY category_id`, categories},
		} {
			if err := func() error {
				rows, err := tx.QueryContext(ctx, t.q, run[0], run[1])
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var id platform.ID
					var qty, orders int64
					var sales platform.Money
					if err := rows.Scan(&id, &qty, &orders, &sales); err != nil {
						return err
					}
					g := group(t.m, id)
					g.quantity += qty
					g.orders += orders
					g.sales += sales
				}
				return rows.Err()
			}(); err != nil {
				return nil, nil, 0, fmt.Errorf("analytics: line sales: %w", err)
			}
		}
	}
	for _, g := range products {
		all += g.sales
	}
	add := func(m map[platform.ID]*lineGroup, id, orderID platform.ID, qty int64, total platform.Money) {
		g := group(m, id)
		g.quantity += qty
		g.sales += total
		if !g.seen[orderID] {
			g.seen[orderID] = true
			g.orders++
		}
	}
	for _, seg := range p.raw {
		if err := func() error {
			rows, err := tx.QueryContext(ctx, `SELECT l.order_id, l.product_id, l.category_id, l.quantity, l.line_total
				FROM orders o JOIN order_lines l ON l.order_id = o.id
				WHERE o.placed_at >= $1 AND o.placed_at < $2 AND o.`+countedSQL, seg.From, seg.To)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var orderID, product, category platform.ID
				var qty int64
				var total platform.Money
				if err := rows.Scan(&orderID, &product, &category, &qty, &total); err != nil {
					return err
				}
				add(products, product, orderID, qty, total)
				add(categories, category, orderID, qty, total)
				all += total
			}
			return rows.Err()
		}(); err != nil {
			return nil, nil, 0, fmt.Errorf("analytics: line sales: %w", err)
		}
	}
	return rank(products, limit), rank(categories, limit), all, nil
}

func rank(m map[platform.ID]*lineGroup, limit int) []lineGroup {
	out := make([]lineGroup, 0, len(m))
	for _, g := range m {
		g.seen = nil
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].sales != out[j].sales {
			return out[i].sales > out[j].sales
		}
		return out[i].id < out[j].id
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

type lineGroup struct {
	id       platform.ID
	quantity int64
	orders   int64
	sales    platform.Money
	seen     map[platform.ID]bool
}

// topProducts names the ranked products with the catalog's current title
// ("#id" when the product is gone).
func topProducts(ctx context.Context, tx *store.Tx, groups []lineGroup, all platform.Money) ([]ProductSales, error) {
	titles, err := names(ctx, tx, `SELECT id, title FROM products WHERE id IN `, groups)
	if err != nil {
		return nil, err
	}
	out := make([]ProductSales, len(groups))
	for i, g := range groups {
		t, ok := titles[g.id]
		if !ok {
			t = "#" + g.id.String()
		}
		out[i] = ProductSales{ProductID: g.id, Title: t, Quantity: g.quantity, Orders: g.orders, Sales: g.sales, ShareBP: RatioBP(int64(g.sales), int64(all))}
	}
	return out, nil
}

// topCategories names the ranked categories by their path from the root
// ("生鲜 / 水果").
func topCategories(ctx context.Context, tx *store.Tx, groups []lineGroup, all platform.Money, lang platform.Lang) ([]CategorySales, error) {
	paths, err := categoryPaths(ctx, tx, lang)
	if err != nil {
		return nil, err
	}
	out := make([]CategorySales, len(groups))
	for i, g := range groups {
		name, ok := paths[g.id]
		if !ok {
			name = "#" + g.id.String()
		}
		out[i] = CategorySales{CategoryID: g.id, Name: name, Quantity: g.quantity, Orders: g.orders, Sales: g.sales, ShareBP: RatioBP(int64(g.sales), int64(all))}
	}
	return out, nil
}

// names reads id → text for the groups' ids with query (which ends in
// "WHERE id IN ").
func names(ctx context.Context, tx *store.Tx, query string, groups []lineGroup) (map[platform.ID]string, error) {
	out := map[platform.ID]string{}
	if len(groups) == 0 {
		return out, nil
	}
	ph := make([]string, len(groups))
	args := make([]any, len(groups))
	for i, g := range groups {
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = int64(g.id)
	}
	rows, err := tx.QueryContext(ctx, query+"("+strings.Join(ph, ", ")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("analytics: names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id platform.ID
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, fmt.Errorf("analytics: names: %w", err)
		}
		out[id] = s
	}
	return out, rows.Err()
}

// categoryPaths names every category by its path from the root, in lang
// (the English name when there is one).
func categoryPaths(ctx context.Context, tx *store.Tx, lang platform.Lang) (map[platform.ID]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, parent_id, name, name_en FROM categories`)
	if err != nil {
		return nil, fmt.Errorf("analytics: categories: %w", err)
	}
	defer rows.Close()
	type cat struct {
		parent *int64
		name   string
	}
	cats := map[platform.ID]cat{}
	for rows.Next() {
		var id platform.ID
		var c cat
		var en string
		if err := rows.Scan(&id, &c.parent, &c.name, &en); err != nil {
			return nil, fmt.Errorf("analytics: categories: %w", err)
		}
		if lang == platform.EN && en != "" {
			c.name = en
		}
		cats[id] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("analytics: categories: %w", err)
	}
	out := make(map[platform.ID]string, len(cats))
	for id := range cats {
		var parts []string
		cur, ok := id, true
		for depth := 0; ok && depth < 16; depth++ {
			c := cats[cur]
			parts = append([]string{c.name}, parts...)
			if c.parent == nil {
				break
			}
			cur = platform.ID(*c.parent)
			_, ok = cats[cur]
		}
		out[id] = strings.Join(parts, " / ")
	}
	return out, nil
}

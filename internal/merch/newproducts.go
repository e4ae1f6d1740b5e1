package merch

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// NewWindowDays is the new-product tracker's window: products listed in
// it are new, and their figures cover it.
const NewWindowDays = 30

// NewProduct is a product listed in the last NewWindowDays with its
// figures since listing beside its category's 30-day medians.
type NewProduct struct {
	ID       platform.ID `json:"id"`
	Title    string      `json:"title"`
	Category string      `json:"category"`
	ListedAt time.Time   `json:"listed_at"`
	// Days since listing, at least 1.
	Days   int   `json:"days"`
	Views  int64 `json:"views"`
	Units  int64 `json:"units"`
	Orders int64 `json:"orders"`
	// Conversion is orders per view in basis points (1234 = 12.34%), nil
	// with no views.
	Conversion *int64 `json:"conversion_bp"`
	// Pace is Units projected to 30 days (Units × 30 ÷ Days).
	Pace int64 `json:"pace"`
	// The category's medians over its on-sale products in the last 30
	// days; MedianConversion only over products that had views.
	MedianViews      int64  `json:"median_views"`
	MedianUnits      int64  `json:"median_units"`
	MedianConversion *int64 `json:"median_conversion_bp"`
	// Ahead is whether Pace reaches the category's median units.
	Ahead bool `json:"ahead"`
}

type productFigures struct{ views, units, orders int64 }

// NewProducts lists the products listed in the last NewWindowDays (not
// archived), newest first. Views are product page views; sales count
// paid orders that were not cancelled.
func NewProducts(ctx context.Context, db *store.DB) ([]NewProduct, error) {
	q := db.R
	now := db.Now()
	since := now.AddDate(0, 0, -NewWindowDays)
	tree, err := catalog.LoadTree(ctx, q)
	if err != nil {
		return nil, err
	}
	figs := map[platform.ID]*productFigures{}
	fig := func(id platform.ID) *productFigures {
		f := figs[id]
		if f == nil {
			f = &productFigures{}
			figs[id] = f
		}
		return f
	}
	rows, err := q.QueryContext(ctx, `SELECT product_id, COUNT(*) FROM visit_events
		WHERE kind = 'product_view' AND product_id IS NOT NULL AND at >= $1 GROUP BY product_id`, since)
	if err != nil {
		return nil, fmt.Errorf("merch: views: %w", err)
	}
	for rows.Next() {
		var id platform.ID
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("merch: views: %w", err)
		}
		fig(id).views = n
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT ol.product_id, SUM(ol.quantity), COUNT(DISTINCT ol.order_id)
		FROM order_lines ol JOIN orders o ON o.id = ol.order_id
		WHERE o.paid_at >= $1 AND o.status <> 'cancelled' GROUP BY ol.product_id`, since)
	if err != nil {
		return nil, fmt.Errorf("merch: sales: %w", err)
	}
	for rows.Next() {
		var id platform.ID
		var units, orders int64
		if err := rows.Scan(&id, &units, &orders); err != nil {
			rows.Close()
			return nil, fmt.Errorf("merch: sales: %w", err)
		}
		f := fig(id)
		f.units, f.orders = units, orders
	}
	rows.Close()
	// The categories' on-sale products, for the medians.
	type medians struct {
		views, units, conv []int64
	}
	cats := map[platform.ID]*medians{}
	rows, err = q.QueryContext(ctx, `SELECT id, category_id FROM products WHERE status = 'on_sale'`)
	if err != nil {
		return nil, fmt.Errorf("merch: category products: %w", err)
	}
	for rows.Next() {
		var id, cat platform.ID
		if err := rows.Scan(&id, &cat); err != nil {
			rows.Close()
			return nil, fmt.Errorf("merch: category products: %w", err)
		}
		m := cats[cat]
		if m == nil {
			m = &medians{}
			cats[cat] = m
		}
		f := figs[id]
		if f == nil {
			f = &productFigures{}
		}
		m.views = append(m.views, f.views)
		m.units = append(m.units, f.units)
		if f.views > 0 {
			m.conv = append(m.conv, f.orders*10000/f.views)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, title, category_id, listed_at FROM products
		WHERE status <> 'archived' AND listed_at >= $1`, since)
	if err != nil {
		return nil, fmt.Errorf("merch: new products: %w", err)
	}
	defer rows.Close()
	out := []NewProduct{}
	for rows.Next() {
		var p NewProduct
		var cat platform.ID
		if err := rows.Scan(&p.ID, &p.Title, &cat, &p.ListedAt); err != nil {
			return nil, fmt.Errorf("merch: new products: %w", err)
		}
		if n, ok := tree.Find(cat); ok {
			p.Category = n.Name
		}
		p.Days = max(1, int(now.Sub(p.ListedAt)/(24*time.Hour)))
		if f := figs[p.ID]; f != nil {
			p.Views, p.Units, p.Orders = f.views, f.units, f.orders
		}
		if p.Views > 0 {
			c := p.Orders * 10000 / p.Views
			p.Conversion = &c
		}
		p.Pace = p.Units * NewWindowDays / int64(p.Days)
		if m := cats[cat]; m != nil {
			p.MedianViews, _ = medianInt(m.views)
			p.MedianUnits, _ = medianInt(m.units)
			if c, ok := medianInt(m.conv); ok {
				p.MedianConversion = &c
			}
		}
		p.Ahead = p.Pace >= p.MedianUnits
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ListedAt.After(out[j].ListedAt) })
	return out, nil
}

// medianInt is the median of vs (an even count takes the mean of the
// two middle values, rounded down), false when empty.
func medianInt(vs []int64) (int64, bool) {
	if len(vs) == 0 {
		return 0, false
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

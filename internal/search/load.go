package search

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// boostWindow is how far back sales and views count towards relevance.
const boostWindow = 30 * 24 * time.Hour

// productColumns reads what the index keeps of a product; the first
// image is the listing picture, as in the catalog's own listings.
const productColumns = `SELECT p.id, p.title, p.subtitle, p.category_id, COALESCE(p.brand_id, 0), COALESCE(b.name, ''),
	p.price_min, p.price_max, p.attributes, p.updated_at,
	COALESCE((SELECT i.id FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1), 0)
	FROM products p LEFT JOIN brands b ON b.id = p.brand_id`

func scanProducts(rows *sql.Rows) ([]*doc, error) {
	defer rows.Close()
	var out []*doc
	for rows.Next() {
		d := &doc{}
		var attrs string
		if err := rows.Scan(&d.ID, &d.Title, &d.Subtitle, &d.CategoryID, &d.BrandID, &d.Brand,
			&d.PriceMin, &d.PriceMax, &attrs, &d.UpdatedAt, &d.ImageID); err != nil {
			return nil, err
		}
		d.Attrs = parseAttributes(attrs)
		out = append(out, d)
	}
	return out, rows.Err()
}

// loadAll reads every on-sale product.
func loadAll(ctx context.Context, q store.Querier) ([]*doc, error) {
	rows, err := q.QueryContext(ctx, productColumns+` WHERE p.status = $1`, string(catalog.StatusOnSale))
	if err != nil {
		return nil, fmt.Errorf("search: load products: %w", err)
	}
	docs, err := scanProducts(rows)
	if err != nil {
		return nil, fmt.Errorf("search: load products: %w", err)
	}
	return docs, nil
}

// loadOne reads one product; nil when it is gone or not on sale (the
// index then drops it).
func loadOne(ctx context.Context, q store.Querier, id platform.ID, since time.Time) (*doc, error) {
	rows, err := q.QueryContext(ctx, productColumns+` WHERE p.id = $1 AND p.status = $2`, id, string(catalog.StatusOnSale))
	if err != nil {
		return nil, fmt.Errorf("search: load product %d: %w", id, err)
	}
	docs, err := scanProducts(rows)
	if err != nil || len(docs) == 0 {
		return nil, err
	}
	d := docs[0]
	err = q.QueryRowContext(ctx, `SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
		WHERE l.product_id = $1 AND o.paid_at IS NOT NULL AND o.placed_at >= $2`, id, since).Scan(&d.Sales)
	if err != nil {
		return nil, fmt.Errorf("search: sales of %d: %w", id, err)
	}
	err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM visit_events WHERE product_id = $1 AND at >= $2`,
		id, since).Scan(&d.Views)
	if err != nil {
		return nil, fmt.Errorf("search: views of %d: %w", id, err)
	}
	return d, nil
}

// loadCategories reads the category tree.
func loadCategories(ctx context.Context, q store.Querier) ([]category, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(parent_id, 0), name, name_en FROM categories`)
	if err != nil {
		return nil, fmt.Errorf("search: load categories: %w", err)
	}
	defer rows.Close()
	var out []category
	for rows.Next() {
		var c category
		if err := rows.Scan(&c.ID, &c.Parent, &c.Name, &c.NameEN); err != nil {
			return nil, fmt.Errorf("search: load categories: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// loadBrands reads brand names by id.
func loadBrands(ctx context.Context, q store.Querier) (map[platform.ID]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM brands`)
	if err != nil {
		return nil, fmt.Errorf("search: load brands: %w", err)
	}
	defer rows.Close()
	out := map[platform.ID]string{}
	for rows.Next() {
		var id platform.ID
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("search: load brands: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

// loadBoosts reads units sold on paid orders and product page views per
// product since the given time.
func loadBoosts(ctx context.Context, q store.Querier, since time.Time) (sales, views map[platform.ID]int64, err error) {
	sales, views = map[platform.ID]int64{}, map[platform.ID]int64{}
	read := func(query string, into map[platform.ID]int64) error {
		rows, err := q.QueryContext(ctx, query, since)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id platform.ID
			var n int64
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			into[id] = n
		}
		return rows.Err()
	}
	// The paid orders of the window first, then their lines: SQLite
	// otherwise walks every order line and looks each order up (30×
	// slower on the scale-1 demo shop).
	if err := read(`SELECT product_id, SUM(quantity) FROM order_lines
		WHERE order_id IN (SELECT id FROM orders WHERE placed_at >= $1 AND paid_at IS NOT NULL) GROUP BY product_id`, sales); err != nil {
		return nil, nil, fmt.Errorf("search: load sales: %w", err)
	}
	// Only product views carry a product, so the (product_id, at) index
	// answers alone, without reading the events.
	if err := read(`SELECT product_id, COUNT(*) FROM visit_events
		WHERE product_id IS NOT NULL AND at >= $1 GROUP BY product_id`, views); err != nil {
		return nil, nil, fmt.Errorf("search: load views: %w", err)
	}
	return sales, views, nil
}

// catalogState is a cheap fingerprint of the on-sale catalog: how many
// products and the latest change. An index whose fingerprint differs has
// missed a change.
type catalogState struct {
	Count      int64
	MaxUpdated time.Time
	Categories int64
	Brands     int64
}

func loadState(ctx context.Context, q store.Querier) (catalogState, error) {
	var s catalogState
	err := q.QueryRowContext(ctx, `SELECT COUNT(*), (SELECT COUNT(*) FROM categories), (SELECT COUNT(*) FROM brands)
		FROM products WHERE status = $1`, string(catalog.StatusOnSale)).Scan(&s.Count, &s.Categories, &s.Brands)
	if err != nil {
		return s, fmt.Errorf("search: catalog state: %w", err)
	}
	// MAX(updated_at) would lose the column type on SQLite; order instead.
	var last sql.NullTime
	err = q.QueryRowContext(ctx, `SELECT updated_at FROM products WHERE status = $1 ORDER BY updated_at DESC LIMIT 1`,
		string(catalog.StatusOnSale)).Scan(&last)
	if err != nil && err != sql.ErrNoRows {
		return s, fmt.Errorf("search: catalog state: %w", err)
	}
	if last.Valid {
		s.MaxUpdated = last.Time.UTC()
	}
	return s, nil
}

// parseAttributes reads a product's attributes JSON object into pairs in
// the object's order; anything else gives none, so one bad row never
// stops an index build.
func parseAttributes(s string) []catalog.Attribute {
	var out []catalog.Attribute
	dec := json.NewDecoder(strings.NewReader(s))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return out
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return out
		}
		name, _ := k.(string)
		val, ok := v.(string)
		if !ok {
			b, _ := json.Marshal(v)
			val = string(b)
		}
		out = append(out, catalog.Attribute{Name: name, Value: val})
	}
	return out
}

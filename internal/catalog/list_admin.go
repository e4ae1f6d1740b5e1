package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// AdminFilter narrows the staff product list. Zero fields do not filter.
type AdminFilter struct {
	Status Status
	// CategoryID keeps the category and its sub-categories.
	CategoryID platform.ID
	BrandID    platform.ID
	Tag        string
	// Q matches the title, or a SKU code or barcode exactly.
	Q    string
	Page platform.PageRequest
}

// Validate checks the filter's values. Errors: CodeInvalid.
func (f *AdminFilter) Validate() error {
	f.Q, f.Tag = cleanLine(f.Q), cleanLine(f.Tag)
	if f.Status != "" && !f.Status.Valid() {
		return platform.Invalid("status", "field.invalid")
	}
	if len([]rune(f.Q)) > 100 {
		return platform.Invalid("q", "field.too_long", 100)
	}
	if f.Page.Limit == 0 {
		f.Page.Limit = platform.DefaultPageSize
	}
	return nil
}

// ProductRow is a product as the staff list shows it.
type ProductRow struct {
	ID           platform.ID    `json:"id"`
	Title        string         `json:"title"`
	Status       Status         `json:"status"`
	CategoryID   platform.ID    `json:"category_id"`
	Category     string         `json:"category"`
	Brand        string         `json:"brand,omitempty"`
	PriceMin     platform.Money `json:"price_min"`
	PriceMax     platform.Money `json:"price_max"`
	SKUs         int            `json:"sku_count"`
	Stock        int64          `json:"stock"`
	Tags         []string       `json:"tags"`
	StorageClass StorageClass   `json:"storage_class"`
	ListAt       *time.Time     `json:"list_at,omitempty"`
	DelistAt     *time.Time     `json:"delist_at,omitempty"`
	UpdatedAt    time.Time      `json:"updated_at"`
}

// List is the staff product list, newest first, a page at a time.
// Errors: CodeInvalid (filter), CodeBadCursor.
func (a *Admin) List(ctx context.Context, f AdminFilter) (platform.Page[ProductRow], error) {
	if err := f.Validate(); err != nil {
		return platform.Page[ProductRow]{}, err
	}
	var rows []ProductRow
	err := a.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		rows, err = listAdmin(ctx, tx, f)
		return err
	})
	if err != nil {
		return platform.Page[ProductRow]{}, err
	}
	return platform.NewPage(rows, f.Page.Limit, func(r ProductRow) platform.Cursor { return platform.Cursor{ID: r.ID} }), nil
}

func listAdmin(ctx context.Context, tx *store.Tx, f AdminFilter) ([]ProductRow, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Status != "" {
		where = append(where, "p.status = "+arg(string(f.Status)))
	}
	if f.CategoryID != 0 {
		tree, err := LoadTree(ctx, tx)
		if err != nil {
			return nil, err
		}
		ids := tree.Subtree(f.CategoryID)
		if len(ids) == 0 {
			return nil, platform.Invalid("category", "catalog.unknown_category")
		}
		ph := make([]string, len(ids))
		for i, id := range ids {
			ph[i] = arg(id)
		}
		where = append(where, "p.category_id IN ("+strings.Join(ph, ", ")+")")
	}
	if f.BrandID != 0 {
		where = append(where, "p.brand_id = "+arg(f.BrandID))
	}
	if f.Tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM product_tags t WHERE t.product_id = p.id AND t.tag = "+arg(f.Tag)+")")
	}
	if f.Q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(f.Q) + "%"
		q := arg(f.Q)
		where = append(where, "(p.title LIKE "+arg(like)+` ESCAPE '\' OR EXISTS (SELECT 1 FROM skus s WHERE s.product_id = p.id AND (s.code = `+q+" OR s.barcode = "+q+")))")
	}
	if c := f.Page.After; c != nil {
		if c.Key != "" {
			return nil, platform.E(platform.CodeBadCursor)
		}
		where = append(where, "p.id < "+arg(c.ID))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.title, p.status, p.category_id, c.name, COALESCE(b.name, ''), p.price_min, p.price_max,
			p.storage_class, p.list_at, p.delist_at, p.updated_at,
			(SELECT COUNT(*) FROM skus s WHERE s.product_id = p.id AND s.status = 'active'),
			COALESCE((SELECT SUM(l.on_hand - l.reserved) FROM skus s JOIN stock_levels l ON l.sku_id = s.id WHERE s.product_id = p.id AND s.status = 'active'), 0)
		FROM products p JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id`+cond+`
		ORDER BY p.id DESC LIMIT `+arg(f.Page.Limit+1), args...)
	if err != nil {
		return nil, fmt.Errorf("catalog: admin list: %w", err)
	}
	defer rows.Close()
	out := []ProductRow{}
	for rows.Next() {
		var r ProductRow
		var listAt, delistAt sql.NullTime
		if err := rows.Scan(&r.ID, &r.Title, &r.Status, &r.CategoryID, &r.Category, &r.Brand, &r.PriceMin, &r.PriceMax,
			&r.StorageClass, &listAt, &delistAt, &r.UpdatedAt, &r.SKUs, &r.Stock); err != nil {
			return nil, fmt.Errorf("catalog: admin list: %w", err)
		}
		r.ListAt, r.DelistAt, r.UpdatedAt = timePtr(listAt), timePtr(delistAt), r.UpdatedAt.UTC()
		r.Tags = []string{}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: admin list: %w", err)
	}
	rows.Close()
	if len(out) == 0 {
		return out, nil
	}
	ph := make([]string, len(out))
	ids := make([]any, len(out))
	byID := map[platform.ID]*ProductRow{}
	for i := range out {
		ph[i], ids[i] = "$"+strconv.Itoa(i+1), out[i].ID
		byID[out[i].ID] = &out[i]
	}
	trows, err := tx.QueryContext(ctx, `SELECT product_id, tag FROM product_tags WHERE product_id IN (`+strings.Join(ph, ", ")+`) ORDER BY created_at, tag`, ids...)
	if err != nil {
		return nil, fmt.Errorf("catalog: admin list tags: %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var id platform.ID
		var t string
		if err := trows.Scan(&id, &t); err != nil {
			return nil, fmt.Errorf("catalog: admin list tags: %w", err)
		}
		byID[id].Tags = append(byID[id].Tags, t)
	}
	return out, trows.Err()
}

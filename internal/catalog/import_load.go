package catalog

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// importReadChunk is how many products one IN (…) query of an import's
// check reads.
const importReadChunk = 500

// inList is "$1, $2, …" for n parameters.
func inList(n int) string {
	ph := make([]string, n)
	for i := range ph {
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	return strings.Join(ph, ", ")
}

// loadEdits is loadEdit for many products at once: three queries per
// 500 products instead of three per product, so re-checking a big file
// against the catalog costs a few round trips. Products that do not
// exist are absent from the map.
func loadEdits(ctx context.Context, q store.Querier, ids []platform.ID) (map[platform.ID]*ProductEdit, error) {
	out := make(map[platform.ID]*ProductEdit, len(ids))
	for start := 0; start < len(ids); start += importReadChunk {
		chunk := ids[start:min(start+importReadChunk, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := loadEditChunk(ctx, q, args, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func loadEditChunk(ctx context.Context, q store.Querier, args []any, out map[platform.ID]*ProductEdit) error {
	in := inList(len(args))
	rows, err := q.QueryContext(ctx, `SELECT id, category_id, brand_id, title, subtitle, description, attributes, status, storage_class,
			list_at, delist_at, listed_at, created_at, updated_at
		FROM products WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return fmt.Errorf("catalog: import read products: %w", err)
	}
	for rows.Next() {
		p := &ProductEdit{ProductInput: ProductInput{SKUs: []SKUInput{}}}
		var attrs string
		var brand sql.NullInt64
		var listAt, delistAt, listedAt sql.NullTime
		if err := rows.Scan(&p.ID, &p.CategoryID, &brand, &p.Title, &p.Subtitle, &p.Description, &attrs, &p.Status,
			&p.StorageClass, &listAt, &delistAt, &listedAt, &p.CreatedAt, &p.UpdatedAt); err != nil {
			rows.Close()
			return fmt.Errorf("catalog: import read products: %w", err)
		}
		if brand.Valid {
			b := platform.ID(brand.Int64)
			p.BrandID = &b
		}
		p.Attributes = parseAttributes(attrs)
		p.ListAt, p.DelistAt, p.ListedAt = timePtr(listAt), timePtr(delistAt), timePtr(listedAt)
		p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		p.Tags = []string{}
		out[p.ID] = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("catalog: import read products: %w", err)
	}
	// Same order as loadEdit: by position, then id, within each product.
	rows, err = q.QueryContext(ctx, `SELECT product_id, id, code, spec, price, compare_at_price, cost, weight_g, volume_cm3, barcode
		FROM skus WHERE product_id IN (`+in+`) AND status = 'active' ORDER BY product_id, position, id`, args...)
	if err != nil {
		return fmt.Errorf("catalog: import read skus: %w", err)
	}
	for rows.Next() {
		var pid platform.ID
		var s SKUInput
		var spec string
		var compare sql.NullInt64
		if err := rows.Scan(&pid, &s.ID, &s.Code, &spec, &s.Price, &compare, &s.Cost, &s.WeightG, &s.VolumeCM3, &s.Barcode); err != nil {
			rows.Close()
			return fmt.Errorf("catalog: import read skus: %w", err)
		}
		s.Spec = parseAttributes(spec)
		if compare.Valid {
			m := platform.Money(compare.Int64)
			s.CompareAt = &m
		}
		if p := out[pid]; p != nil {
			p.SKUs = append(p.SKUs, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("catalog: import read skus: %w", err)
	}
	// Same order as tagsOf.
	rows, err = q.QueryContext(ctx, `SELECT product_id, tag FROM product_tags WHERE product_id IN (`+in+`)
		ORDER BY product_id, created_at, tag`, args...)
	if err != nil {
		return fmt.Errorf("catalog: import read tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid platform.ID
		var t string
		if err := rows.Scan(&pid, &t); err != nil {
			return fmt.Errorf("catalog: import read tags: %w", err)
		}
		if p := out[pid]; p != nil {
			p.Tags = append(p.Tags, t)
		}
	}
	return rows.Err()
}

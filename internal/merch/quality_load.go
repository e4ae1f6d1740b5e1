package merch

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// medianSample is how many priced products a category needs before a
// price far from its median is flagged.
const medianSample = 3

// QualityRow is one product of the fix-it list.
type QualityRow struct {
	ID         platform.ID    `json:"id"`
	Title      string         `json:"title"`
	Status     catalog.Status `json:"status"`
	CategoryID platform.ID    `json:"category_id"`
	Category   string         `json:"category"`
	Quality
}

// qualityProduct is what the loader reads of a product.
type qualityProduct struct {
	row         QualityRow
	description string
	attributes  string
	price       platform.Money
	images      int
	specs       []string
}

// QualityList scores every product that is not archived, worst first
// (ties by id), with the catalog's average score.
func QualityList(ctx context.Context, db *store.DB) ([]QualityRow, error) {
	return qualityOf(ctx, db, 0)
}

// ProductQuality scores one product. Errors: CodeNotFound.
func ProductQuality(ctx context.Context, db *store.DB, id platform.ID) (*Quality, error) {
	rows, err := qualityOf(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, platform.NotFound("product")
	}
	return &rows[0].Quality, nil
}

// qualityOf scores product only (or all when 0) against medians taken
// over every product of each category.
func qualityOf(ctx context.Context, db *store.DB, only platform.ID) ([]QualityRow, error) {
	q := db.R
	tree, err := catalog.LoadTree(ctx, q)
	if err != nil {
		return nil, err
	}
	where, args := `p.status <> 'archived'`, []any{}
	if only != 0 {
		// The product itself plus its category's prices for the median.
		where += ` AND p.category_id = (SELECT category_id FROM products WHERE id = $1)`
		args = append(args, only)
	}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.title, p.status, p.category_id, p.description, p.attributes, p.price_min,
			(SELECT COUNT(*) FROM product_images i WHERE i.product_id = p.id)
		FROM products p WHERE `+where+` ORDER BY p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("merch: quality: %w", err)
	}
	var ps []*qualityProduct
	byID := map[platform.ID]*qualityProduct{}
	prices := map[platform.ID][]platform.Money{}
	for rows.Next() {
		p := &qualityProduct{}
		if err := rows.Scan(&p.row.ID, &p.row.Title, &p.row.Status, &p.row.CategoryID, &p.description, &p.attributes, &p.price, &p.images); err != nil {
			rows.Close()
			return nil, fmt.Errorf("merch: quality: %w", err)
		}
		prices[p.row.CategoryID] = append(prices[p.row.CategoryID], p.price)
		if only == 0 || p.row.ID == only {
			ps = append(ps, p)
			byID[p.row.ID] = p
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadSpecs(ctx, q, only, byID); err != nil {
		return nil, err
	}
	admin := catalog.NewAdmin(db)
	templates := map[platform.ID][]catalog.AttributeDef{}
	out := make([]QualityRow, 0, len(ps))
	for _, p := range ps {
		cat := p.row.CategoryID
		tpl, ok := templates[cat]
		if !ok {
			if tpl, err = admin.Template(ctx, cat); err != nil && platform.ErrorCode(err) != platform.CodeNotFound {
				return nil, err
			}
			templates[cat] = tpl
		}
		var keywords []string
		path := tree.Path(cat)
		for i := len(path) - 1; i >= 0; i-- {
			keywords = append(keywords, path[i].Name)
			if path[i].NameEN != "" {
				keywords = append(keywords, path[i].NameEN)
			}
		}
		if len(path) > 0 {
			p.row.Category = path[len(path)-1].Name
		}
		p.row.Quality = Score(QualityInput{Title: p.row.Title, Description: p.description, Keywords: keywords, Images: p.images,
			Filled: append(filledAttrs(p.attributes), p.specs...), Template: tpl,
			Price: p.price, Median: Median(prices[cat], medianSample)})
		out = append(out, p.row)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score < out[j].Score })
	return out, nil
}

// loadSpecs adds each product's SKU spec names (颜色, 尺码…).
func loadSpecs(ctx context.Context, q store.Querier, only platform.ID, byID map[platform.ID]*qualityProduct) error {
	query, args := `SELECT product_id, spec FROM skus WHERE status = 'active'`, []any{}
	if only != 0 {
		query += ` AND product_id = $1`
		args = append(args, only)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("merch: quality specs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id platform.ID
		var spec string
		if err := rows.Scan(&id, &spec); err != nil {
			return fmt.Errorf("merch: quality specs: %w", err)
		}
		if p := byID[id]; p != nil {
			for _, name := range filledAttrs(spec) {
				if !slices.Contains(p.specs, name) {
					p.specs = append(p.specs, name)
				}
			}
		}
	}
	return rows.Err()
}

// filledAttrs lists the names of a JSON object's non-empty values; bad
// JSON has none.
func filledAttrs(s string) []string {
	var m map[string]any
	if json.Unmarshal([]byte(s), &m) != nil {
		return nil
	}
	var out []string
	for k, v := range m {
		switch v := v.(type) {
		case nil:
			continue
		case string:
			if strings.TrimSpace(v) == "" {
				continue
			}
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package catalog

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Sort orders a product listing.
type Sort string

const (
	SortNewest    Sort = "newest"     // most recently created first
	SortPriceAsc  Sort = "price_asc"  // cheapest first
	SortPriceDesc Sort = "price_desc" // dearest first
)

// ParseSort reads a ?sort= value; "" is SortNewest, anything unknown is
// CodeInvalid.
func ParseSort(s string) (Sort, error) {
	switch Sort(s) {
	case "":
		return SortNewest, nil
	case SortNewest, SortPriceAsc, SortPriceDesc:
		return Sort(s), nil
	}
	return "", platform.Invalid("sort", "field.invalid")
}

// ProductFilter narrows a listing of on-sale products. Nil fields do not
// filter.
type ProductFilter struct {
	// CategoryID keeps products of the category and all its
	// sub-categories. An unknown category is CodeInvalid.
	CategoryID *platform.ID
	Sort       Sort
}

// ProductCard is a product as listings show it.
type ProductCard struct {
	ID         platform.ID    `json:"id"`
	CategoryID platform.ID    `json:"category_id"`
	Title      string         `json:"title"`
	Subtitle   string         `json:"subtitle"`
	PriceMin   platform.Money `json:"price_min"`
	PriceMax   platform.Money `json:"price_max"`
	// PriceText is the formatted lowest price, "¥59.00".
	PriceText string `json:"price_text"`
	// ImageURL is the first image as a 480-pixel-wide variant, or "".
	ImageURL string      `json:"image_url"`
	ImageID  platform.ID `json:"-"`
}

// ImageURL is the path of an image; width > 0 asks for a resized JPEG.
func ImageURL(id platform.ID, width int) string {
	if id == 0 {
		return ""
	}
	if width > 0 {
		return "/images/" + id.String() + "?w=" + strconv.Itoa(width)
	}
	return "/images/" + id.String()
}

// Products lists on-sale products a page at a time in f's order.
// Errors: CodeInvalid for an unknown category, CodeBadCursor for a cursor
// that does not fit the sort.
func (s *Service) Products(ctx context.Context, f ProductFilter, page platform.PageRequest) (platform.Page[ProductCard], error) {
	if f.Sort == "" {
		f.Sort = SortNewest
	}
	var cats []platform.ID
	if f.CategoryID != nil {
		tree, err := s.Tree(ctx)
		if err != nil {
			return platform.Page[ProductCard]{}, err
		}
		if cats = tree.Subtree(*f.CategoryID); len(cats) == 0 {
			return platform.Page[ProductCard]{}, platform.Invalid("category", "catalog.unknown_category")
		}
	}
	var rows []ProductCard
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		rows, err = listProducts(ctx, tx, cats, f.Sort, page)
		return err
	})
	if err != nil {
		return platform.Page[ProductCard]{}, err
	}
	return platform.NewPage(rows, page.Limit, func(c ProductCard) platform.Cursor {
		if f.Sort == SortNewest {
			return platform.Cursor{ID: c.ID}
		}
		return platform.Cursor{Key: strconv.FormatInt(int64(c.PriceMin), 10), ID: c.ID}
	}), nil
}

// listProducts fetches limit+1 on-sale products of the given categories
// (all when nil) after the cursor, keyset-paginated.
func listProducts(ctx context.Context, q store.Querier, cats []platform.ID, sort Sort, page platform.PageRequest) ([]ProductCard, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	where = append(where, "p.status = "+arg(string(StatusOnSale)))
	if cats != nil {
		ph := make([]string, len(cats))
		for i, c := range cats {
			ph[i] = arg(c)
		}
		where = append(where, "p.category_id IN ("+strings.Join(ph, ", ")+")")
	}
	var order string
	switch sort {
	case SortPriceAsc, SortPriceDesc:
		op, dir := ">", "ASC"
		if sort == SortPriceDesc {
			op, dir = "<", "DESC"
		}
		if c := page.After; c != nil {
			price, err := strconv.ParseInt(c.Key, 10, 64)
			if err != nil {
				return nil, platform.E(platform.CodeBadCursor).Wrap(err)
			}
			pa, pb, id := arg(price), arg(price), arg(c.ID)
			where = append(where, fmt.Sprintf("(p.price_min %s %s OR (p.price_min = %s AND p.id %s %s))", op, pa, pb, op, id))
		}
		order = "p.price_min " + dir + ", p.id " + dir
	default:
		if c := page.After; c != nil {
			if c.Key != "" {
				return nil, platform.E(platform.CodeBadCursor)
			}
			where = append(where, "p.id < "+arg(c.ID))
		}
		order = "p.id DESC"
	}
	query := `SELECT p.id, p.category_id, p.title, p.subtitle, p.price_min, p.price_max,
		COALESCE((SELECT i.id FROM product_images i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1), 0)
		FROM products p WHERE ` + strings.Join(where, " AND ") + ` ORDER BY ` + order + ` LIMIT ` + arg(page.Limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("catalog: list products: %w", err)
	}
	defer rows.Close()
	out := []ProductCard{}
	for rows.Next() {
		var c ProductCard
		if err := rows.Scan(&c.ID, &c.CategoryID, &c.Title, &c.Subtitle, &c.PriceMin, &c.PriceMax, &c.ImageID); err != nil {
			return nil, fmt.Errorf("catalog: list products: %w", err)
		}
		c.PriceText = c.PriceMin.String()
		c.ImageURL = ImageURL(c.ImageID, 480)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: list products: %w", err)
	}
	return out, nil
}

// Shelf is a top category with a few of its on-sale products, for the
// storefront home page.
type Shelf struct {
	Category Category      `json:"category"`
	Products []ProductCard `json:"products"`
}

// Home lists each top category that has on-sale products (in its own or a
// sub-category) with up to perShelf of the newest (cached for ProductTTL).
func (s *Service) Home(ctx context.Context, perShelf int) ([]Shelf, error) {
	if h, ok := s.home.get(perShelf); ok {
		return h, nil
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	var out []Shelf
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		for _, root := range tree.Roots {
			cards, err := listProducts(ctx, tx, tree.Subtree(root.ID), SortNewest, platform.PageRequest{Limit: perShelf})
			if err != nil {
				return err
			}
			if len(cards) > perShelf {
				cards = cards[:perShelf]
			}
			if len(cards) > 0 {
				out = append(out, Shelf{Category: root.Category, Products: cards})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.home.put(perShelf, out)
	return out, nil
}

package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// ProductDetail is everything a product page shows.
type ProductDetail struct {
	ID          platform.ID    `json:"id"`
	Title       string         `json:"title"`
	Subtitle    string         `json:"subtitle"`
	Description string         `json:"description"`
	Brand       string         `json:"brand,omitempty"`
	Category    Category       `json:"category"`
	Breadcrumb  []Category     `json:"breadcrumb"`
	Attributes  []Attribute    `json:"attributes"`
	PriceMin    platform.Money `json:"price_min"`
	PriceMax    platform.Money `json:"price_max"`
	PriceText   string         `json:"price_text"`
	SKUs        []SKU          `json:"skus"`
	Images      []Image        `json:"images"`
	// Stock is the sum of the SKUs' available stock.
	Stock int64 `json:"stock"`
}

// Attribute is one name/value pair of a product's attributes (材质: 棉),
// in the order the product lists them.
type Attribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SKU is a purchasable variant with its price and available stock.
type SKU struct {
	ID       platform.ID    `json:"id"`
	Code     string         `json:"code"`
	SpecText string         `json:"spec_text"`
	Spec     []Attribute    `json:"spec"`
	Price    platform.Money `json:"price"`
	// PriceText is Price formatted, "¥59.00".
	PriceText string `json:"price_text"`
	// CompareAt is the struck-through "was" price, when there is one.
	CompareAt     *platform.Money `json:"compare_at_price,omitempty"`
	CompareAtText string          `json:"compare_at_price_text,omitempty"`
	// Stock is on hand minus reserved over all warehouses, never below 0.
	Stock int64 `json:"stock"`
}

// SoldOut reports whether nothing of the SKU can be bought.
func (s SKU) SoldOut() bool { return s.Stock <= 0 }

// Image is an image's metadata and its URLs.
type Image struct {
	ID       platform.ID `json:"id"`
	Width    int         `json:"width"`
	Height   int         `json:"height"`
	URL      string      `json:"url"`
	ThumbURL string      `json:"thumb_url"`
	SHA256   string      `json:"-"`
}

// Product returns an on-sale product's page (cached for ProductTTL).
// Errors: CodeNotFound when there is no such product or it is not on sale.
func (s *Service) Product(ctx context.Context, id platform.ID) (*ProductDetail, error) {
	if p, ok := s.products.get(id); ok {
		return p, nil
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	var p *ProductDetail
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		p, err = loadProduct(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if n, ok := tree.Find(p.Category.ID); ok {
		p.Category = n.Category
		p.Breadcrumb = tree.Path(n.ID)
	}
	s.products.put(id, p)
	return p, nil
}

// loadProduct reads an on-sale product with its SKUs and images.
func loadProduct(ctx context.Context, q store.Querier, id platform.ID) (*ProductDetail, error) {
	p := &ProductDetail{ID: id, Breadcrumb: []Category{}}
	var attrs string
	var brand sql.NullString
	err := q.QueryRowContext(ctx, `SELECT p.title, p.subtitle, p.description, p.attributes, p.category_id,
			p.price_min, p.price_max, b.name
		FROM products p LEFT JOIN brands b ON b.id = p.brand_id
		WHERE p.id = $1 AND p.status = $2`, id, string(StatusOnSale)).
		Scan(&p.Title, &p.Subtitle, &p.Description, &attrs, &p.Category.ID, &p.PriceMin, &p.PriceMax, &brand)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.NotFound("product")
	}
	if err != nil {
		return nil, fmt.Errorf("catalog: product %d: %w", id, err)
	}
	p.Brand = brand.String
	p.Attributes = parseAttributes(attrs)
	p.PriceText = p.PriceMin.String()
	if p.SKUs, err = loadSKUs(ctx, q, id); err != nil {
		return nil, err
	}
	for _, s := range p.SKUs {
		p.Stock += s.Stock
	}
	if p.Images, err = loadImages(ctx, q, id); err != nil {
		return nil, err
	}
	return p, nil
}

func loadSKUs(ctx context.Context, q store.Querier, productID platform.ID) ([]SKU, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.id, s.code, s.spec, s.spec_text, s.price, s.compare_at_price,
			COALESCE((SELECT SUM(l.on_hand - l.reserved) FROM stock_levels l WHERE l.sku_id = s.id), 0)
		FROM skus s WHERE s.product_id = $1 AND s.status = 'active' ORDER BY s.position, s.id`, productID)
	if err != nil {
		return nil, fmt.Errorf("catalog: skus of %d: %w", productID, err)
	}
	defer rows.Close()
	out := []SKU{}
	for rows.Next() {
		var s SKU
		var spec string
		var compare sql.NullInt64
		if err := rows.Scan(&s.ID, &s.Code, &spec, &s.SpecText, &s.Price, &compare, &s.Stock); err != nil {
			return nil, fmt.Errorf("catalog: skus of %d: %w", productID, err)
		}
		s.Spec = parseAttributes(spec)
		if s.SpecText == "" {
			parts := make([]string, len(s.Spec))
			for i, a := range s.Spec {
				parts[i] = a.Value
			}
			s.SpecText = strings.Join(parts, " / ")
		}
		s.PriceText = s.Price.String()
		if compare.Valid && platform.Money(compare.Int64) > s.Price {
			m := platform.Money(compare.Int64)
			s.CompareAt, s.CompareAtText = &m, m.String()
		}
		s.Stock = max(s.Stock, 0)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: skus of %d: %w", productID, err)
	}
	return out, nil
}

func loadImages(ctx context.Context, q store.Querier, productID platform.ID) ([]Image, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, width, height, sha256 FROM product_images
		WHERE product_id = $1 ORDER BY position, id`, productID)
	if err != nil {
		return nil, fmt.Errorf("catalog: images of %d: %w", productID, err)
	}
	defer rows.Close()
	out := []Image{}
	for rows.Next() {
		var im Image
		if err := rows.Scan(&im.ID, &im.Width, &im.Height, &im.SHA256); err != nil {
			return nil, fmt.Errorf("catalog: images of %d: %w", productID, err)
		}
		im.URL = ImageURL(im.ID, 960)
		im.ThumbURL = ImageURL(im.ID, 240)
		out = append(out, im)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: images of %d: %w", productID, err)
	}
	return out, nil
}

// parseAttributes reads a JSON object into name/value pairs, keeping the
// object's order. Non-string values are shown as their JSON text; anything
// that is not an object yields no attributes rather than an error, so one
// bad row never breaks a page.
func parseAttributes(s string) []Attribute {
	out := []Attribute{}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return out
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return out
		}
		name, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return out
		}
		var v string
		if json.Unmarshal(raw, &v) != nil {
			var buf bytes.Buffer
			if json.Compact(&buf, raw) == nil {
				v = buf.String()
			}
		}
		out = append(out, Attribute{Name: name, Value: v})
	}
	return out
}

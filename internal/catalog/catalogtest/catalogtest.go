// Package catalogtest makes small catalogs for tests: categories, products
// with SKUs, stock and images, written straight to the tables.
package catalogtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"testing"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Factory writes catalog rows for one test.
type Factory struct {
	tb        testing.TB
	db        *store.DB
	n         int
	warehouse [2]platform.ID
}

// New makes a factory on db.
func New(tb testing.TB, db *store.DB) *Factory { return &Factory{tb: tb, db: db} }

func (f *Factory) write(fn func(tx *store.Tx) error) {
	f.tb.Helper()
	if err := f.db.Write(context.Background(), fn); err != nil {
		f.tb.Fatal(err)
	}
}

// Category adds a category under parent (0 for a top category).
func (f *Factory) Category(name, nameEN string, parent platform.ID) platform.ID {
	f.tb.Helper()
	var id platform.ID
	f.n++
	f.write(func(tx *store.Tx) error {
		id = tx.NewID()
		var p any
		if parent != 0 {
			p = parent
		}
		_, err := tx.Exec(`INSERT INTO categories (id, parent_id, slug, name, name_en, position, storage_class, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'ambient', $7, $7)`, id, p, fmt.Sprintf("cat-%d-%d", id, f.n), name, nameEN, f.n, tx.Now)
		return err
	})
	return id
}

// SKU describes one variant for Product.
type SKU struct {
	Spec      map[string]string
	SpecText  string
	Price     platform.Money
	CompareAt platform.Money // 0: none
	// Stock is on hand per warehouse row; Reserved is held by unpaid orders.
	Stock, Reserved int
}

// Product describes a product for Create.
type Product struct {
	Category    platform.ID
	Title       string
	Subtitle    string
	Description string
	Attributes  string // a JSON object; "" is {}
	Status      catalog.Status
	SKUs        []SKU
	Images      int
}

// Create adds a product with its SKUs (stock split over two warehouses)
// and images, and returns its id and its SKUs' ids.
func (f *Factory) Create(p Product) (platform.ID, []platform.ID) {
	f.tb.Helper()
	if p.Status == "" {
		p.Status = catalog.StatusOnSale
	}
	if p.Attributes == "" {
		p.Attributes = "{}"
	}
	if len(p.SKUs) == 0 {
		p.SKUs = []SKU{{Price: 1000, Stock: 5}}
	}
	lo, hi := p.SKUs[0].Price, p.SKUs[0].Price
	for _, s := range p.SKUs {
		lo, hi = min(lo, s.Price), max(hi, s.Price)
	}
	var id platform.ID
	var skus []platform.ID
	f.write(func(tx *store.Tx) error {
		if err := f.warehouses(tx); err != nil {
			return err
		}
		id = tx.NewID()
		if _, err := tx.Exec(`INSERT INTO products (id, category_id, title, subtitle, description, attributes, status,
				price_min, price_max, listed_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10)`,
			id, p.Category, p.Title, p.Subtitle, p.Description, p.Attributes, string(p.Status), lo, hi, tx.Now); err != nil {
			return err
		}
		for i, s := range p.SKUs {
			sid := tx.NewID()
			skus = append(skus, sid)
			spec, _ := json.Marshal(s.Spec)
			var compare any
			if s.CompareAt != 0 {
				compare = s.CompareAt
			}
			if _, err := tx.Exec(`INSERT INTO skus (id, product_id, code, spec, spec_text, price, compare_at_price, cost, position, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
				sid, id, "SKU-"+sid.String(), string(spec), s.SpecText, s.Price, compare, s.Price/2, i, tx.Now); err != nil {
				return err
			}
			// Half the stock in each warehouse, reservations in the first.
			first := s.Stock / 2
			for j, q := range []int{first, s.Stock - first} {
				res := 0
				if j == 0 {
					res = s.Reserved
				}
				if _, err := tx.Exec(`INSERT INTO stock_levels (sku_id, warehouse_id, on_hand, reserved, updated_at)
					VALUES ($1, $2, $3, $4, $5)`, sid, f.warehouse[j], q, res, tx.Now); err != nil {
					return err
				}
			}
		}
		for i := range p.Images {
			data := PNG(64+i, 48)
			sum := sha256.Sum256(data)
			if _, err := tx.Exec(`INSERT INTO product_images (id, product_id, position, content_type, width, height, sha256, data, created_at)
				VALUES ($1, $2, $3, 'image/png', $4, 48, $5, $6, $7)`, tx.NewID(), id, i, 64+i, hex.EncodeToString(sum[:]), data, tx.Now); err != nil {
				return err
			}
		}
		return nil
	})
	return id, skus
}

// warehouses adds two warehouses with consecutive ids on first use.
func (f *Factory) warehouses(tx *store.Tx) error {
	if f.warehouse[0] != 0 {
		return nil
	}
	a := tx.NewID()
	ids := [2]platform.ID{a, tx.NewID()}
	for j, id := range ids {
		if _, err := tx.Exec(`INSERT INTO warehouses (id, code, name, province_code, province, city, created_at)
			VALUES ($1, $2, $3, '310000', '上海市', '上海市', $4)`, id, fmt.Sprintf("WH%d-%d", a, j), fmt.Sprintf("仓库%d", j), tx.Now); err != nil {
			return err
		}
	}
	f.warehouse = ids
	return nil
}

// PNG is a small gradient image w×h.
func PNG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 4), 128, 255})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// ProductEdit is a product as the editor and the staff API show it: its
// input fields with the SKU ids, status and times.
type ProductEdit struct {
	ID     platform.ID `json:"id"`
	Status Status      `json:"status"`
	ProductInput
	ListedAt  *time.Time `json:"listed_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// Get reads product id (any status) for editing.
// Errors: CodeNotFound.
func (a *Admin) Get(ctx context.Context, id platform.ID) (*ProductEdit, error) {
	return loadEdit(ctx, a.db.R, id)
}

// templates caches the attribute templates of one save or import.
type templates map[platform.ID][]AttributeDef

// prepare checks in against the database: its category (and template)
// and brand exist; then validates it. Errors: CodeInvalid.
func prepare(ctx context.Context, q store.Querier, in *ProductInput, tpls templates) error {
	var tpl []AttributeDef
	var catErr *platform.Error
	if in.CategoryID != 0 {
		var ok bool
		if tpl, ok = tpls[in.CategoryID]; !ok {
			var err error
			tpl, err = loadTemplate(ctx, q, in.CategoryID)
			if platform.ErrorCode(err) == platform.CodeNotFound {
				catErr = platform.Invalid("category_id", "catalog.unknown_category")
			} else if err != nil {
				return err
			}
			if tpls != nil && catErr == nil {
				tpls[in.CategoryID] = tpl
			}
		}
	}
	verr := in.Validate(tpl)
	e := platform.E(platform.CodeInvalid)
	if verr != nil {
		e = platform.AsError(verr)
	}
	if catErr != nil {
		e.Fields = append(catErr.Fields, e.Fields...)
	}
	if in.BrandID != nil {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM brands WHERE id = $1`, *in.BrandID).Scan(&n); err != nil {
			return fmt.Errorf("catalog: brand %d: %w", *in.BrandID, err)
		}
		if n == 0 {
			e.With("brand_id", "catalog.unknown_brand")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// Create adds a draft product with its SKUs and tags, audited as actor.
//
// Errors: CodeInvalid (field errors), CodeSKUTaken (409, a SKU code of
// another product, with the field), or a database error.
func (a *Admin) Create(ctx context.Context, actor audit.Actor, in ProductInput) (*ProductEdit, error) {
	var out *ProductEdit
	err := a.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, _, err = saveProduct(ctx, tx, actor, 0, in, templates{})
		return err
	})
	return out, err
}

// Update replaces product id's fields and SKUs with in (SKUs are matched
// by code; those left out stop being sold but keep their history; nil
// Tags keep the tags), audited as actor. Saving what the product already
// has writes nothing.
//
// Errors: CodeInvalid, CodeNotFound, CodeSKUTaken (409), or a database
// error.
func (a *Admin) Update(ctx context.Context, actor audit.Actor, id platform.ID, in ProductInput) (*ProductEdit, error) {
	var out *ProductEdit
	err := a.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, _, err = saveProduct(ctx, tx, actor, id, in, templates{})
		return err
	})
	return out, err
}

// saveProduct creates (id 0) or updates product id from in inside tx and
// reports whether anything changed.
func saveProduct(ctx context.Context, tx *store.Tx, actor audit.Actor, id platform.ID, in ProductInput, tpls templates) (*ProductEdit, bool, error) {
	var before *ProductEdit
	if id != 0 {
		var err error
		if before, err = loadEdit(ctx, tx, id); err != nil {
			return nil, false, err
		}
		if in.Tags == nil {
			in.Tags = before.Tags
		}
	}
	if err := prepare(ctx, tx, &in, tpls); err != nil {
		return nil, false, err
	}
	if in.Tags == nil {
		in.Tags = []string{}
	}
	if before != nil && sameInput(before.ProductInput, in) {
		return before, false, nil
	}
	lo, hi := in.SKUs[0].Price, in.SKUs[0].Price
	for _, s := range in.SKUs {
		lo, hi = min(lo, s.Price), max(hi, s.Price)
	}
	attrs := attrsJSON(in.Attributes)
	if before == nil {
		id = tx.NewID()
		_, err := tx.ExecContext(ctx, `INSERT INTO products (id, category_id, brand_id, title, subtitle, description, attributes, status,
				storage_class, price_min, price_max, list_at, delist_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
			id, in.CategoryID, in.BrandID, in.Title, in.Subtitle, in.Description, attrs, string(StatusDraft),
			string(in.StorageClass), lo, hi, in.ListAt, in.DelistAt, tx.Now)
		if err != nil {
			return nil, false, fmt.Errorf("catalog: create product: %w", err)
		}
	} else {
		_, err := tx.ExecContext(ctx, `UPDATE products SET category_id = $1, brand_id = $2, title = $3, subtitle = $4, description = $5,
				attributes = $6, storage_class = $7, price_min = $8, price_max = $9, list_at = $10, delist_at = $11, updated_at = $12
			WHERE id = $13`,
			in.CategoryID, in.BrandID, in.Title, in.Subtitle, in.Description, attrs, string(in.StorageClass), lo, hi,
			in.ListAt, in.DelistAt, tx.Now, id)
		if err != nil {
			return nil, false, fmt.Errorf("catalog: update product %d: %w", id, err)
		}
	}
	if err := saveSKUs(ctx, tx, id, in.SKUs); err != nil {
		return nil, false, err
	}
	var oldTags []string
	if before != nil {
		oldTags = before.Tags
	}
	if _, err := writeTags(ctx, tx, id, oldTags, in.Tags); err != nil {
		return nil, false, err
	}
	after, err := loadEdit(ctx, tx, id)
	if err != nil {
		return nil, false, err
	}
	action := "product.update"
	var snap any
	if before == nil {
		action = "product.create"
	} else {
		snap = before
	}
	if err := audit.Change(ctx, tx, actor, action, "product", id, snap, after); err != nil {
		return nil, false, err
	}
	if err := PublishProductChanged(ctx, tx, id, strings.TrimPrefix(action, "product."), after.Status); err != nil {
		return nil, false, err
	}
	return after, true, nil
}

// sameInput reports whether saving in would leave the product as it is
// (SKU ids aside).
func sameInput(have, in ProductInput) bool {
	strip := func(p ProductInput) []byte {
		p.SKUs = append([]SKUInput(nil), p.SKUs...)
		for i := range p.SKUs {
			p.SKUs[i].ID = 0
		}
		b, _ := json.Marshal(p)
		return b
	}
	return bytes.Equal(strip(have), strip(in))
}

// saveSKUs writes skus at their positions: a code the product has is
// updated (and active again), a new code inserted; the product's other
// active SKUs become inactive (orders still point at them).
func saveSKUs(ctx context.Context, tx *store.Tx, productID platform.ID, skus []SKUInput) error {
	codes := make([]any, 0, len(skus)+1)
	codes = append(codes, productID)
	ph := make([]string, 0, len(skus))
	for i, s := range skus {
		var owner, sid platform.ID
		err := tx.QueryRowContext(ctx, `SELECT id, product_id FROM skus WHERE code = $1`, s.Code).Scan(&sid, &owner)
		spec := attrsJSON(s.Spec)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO skus (id, product_id, code, spec, spec_text, price, compare_at_price, cost, weight_g,
					volume_cm3, barcode, status, position, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'active', $12, $13, $13)`,
				tx.NewID(), productID, s.Code, spec, specText(s.Spec), s.Price, s.CompareAt, s.Cost, s.WeightG, s.VolumeCM3, s.Barcode, i, tx.Now)
		case err != nil:
		case owner != productID:
			return platform.E(CodeSKUTaken).With(fmt.Sprintf("skus.%d.code", i), "catalog.field.code_taken", s.Code)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE skus SET spec = $1, spec_text = $2, price = $3, compare_at_price = $4, cost = $5, weight_g = $6,
					volume_cm3 = $7, barcode = $8, status = 'active', position = $9, updated_at = $10 WHERE id = $11`,
				spec, specText(s.Spec), s.Price, s.CompareAt, s.Cost, s.WeightG, s.VolumeCM3, s.Barcode, i, tx.Now, sid)
		}
		if err != nil {
			return fmt.Errorf("catalog: save sku %s: %w", s.Code, err)
		}
		codes = append(codes, s.Code)
		ph = append(ph, fmt.Sprintf("$%d", len(codes)))
	}
	_, err := tx.ExecContext(ctx, `UPDATE skus SET status = 'inactive', updated_at = $`+fmt.Sprint(len(codes)+1)+`
		WHERE product_id = $1 AND status = 'active' AND code NOT IN (`+strings.Join(ph, ", ")+`)`, append(codes, tx.Now)...)
	if err != nil {
		return fmt.Errorf("catalog: retire skus of %d: %w", productID, err)
	}
	return nil
}

// attrsJSON writes attributes as a JSON object in their order (the read
// side keeps that order).
func attrsJSON(attrs []Attribute) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, a := range attrs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(a.Name)
		v, _ := json.Marshal(a.Value)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

// loadEdit reads product id with its active SKUs and tags.
func loadEdit(ctx context.Context, q store.Querier, id platform.ID) (*ProductEdit, error) {
	p := &ProductEdit{ID: id}
	var attrs string
	var brand sql.NullInt64
	var listAt, delistAt, listedAt sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT category_id, brand_id, title, subtitle, description, attributes, status, storage_class,
			list_at, delist_at, listed_at, created_at, updated_at
		FROM products WHERE id = $1`, id).Scan(&p.CategoryID, &brand, &p.Title, &p.Subtitle, &p.Description, &attrs, &p.Status,
		&p.StorageClass, &listAt, &delistAt, &listedAt, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.NotFound("product")
	}
	if err != nil {
		return nil, fmt.Errorf("catalog: edit product %d: %w", id, err)
	}
	if brand.Valid {
		b := platform.ID(brand.Int64)
		p.BrandID = &b
	}
	p.Attributes = parseAttributes(attrs)
	p.ListAt, p.DelistAt, p.ListedAt = timePtr(listAt), timePtr(delistAt), timePtr(listedAt)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	rows, err := q.QueryContext(ctx, `SELECT id, code, spec, price, compare_at_price, cost, weight_g, volume_cm3, barcode
		FROM skus WHERE product_id = $1 AND status = 'active' ORDER BY position, id`, id)
	if err != nil {
		return nil, fmt.Errorf("catalog: edit skus of %d: %w", id, err)
	}
	defer rows.Close()
	p.SKUs = []SKUInput{}
	for rows.Next() {
		var s SKUInput
		var spec string
		var compare sql.NullInt64
		if err := rows.Scan(&s.ID, &s.Code, &spec, &s.Price, &compare, &s.Cost, &s.WeightG, &s.VolumeCM3, &s.Barcode); err != nil {
			return nil, fmt.Errorf("catalog: edit skus of %d: %w", id, err)
		}
		s.Spec = parseAttributes(spec)
		if compare.Valid {
			m := platform.Money(compare.Int64)
			s.CompareAt = &m
		}
		p.SKUs = append(p.SKUs, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalog: edit skus of %d: %w", id, err)
	}
	rows.Close()
	if p.Tags, err = productTags(ctx, q, id); err != nil {
		return nil, err
	}
	return p, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

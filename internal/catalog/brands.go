package catalog

import (
	"context"
	"fmt"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Brand is a product brand.
type Brand struct {
	ID     platform.ID `json:"id"`
	Name   string      `json:"name"`
	NameEN string      `json:"name_en"`
}

// Brands lists every brand by name.
func (a *Admin) Brands(ctx context.Context) ([]Brand, error) {
	return listBrands(ctx, a.db.R)
}

func listBrands(ctx context.Context, q store.Querier) ([]Brand, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, name_en FROM brands ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("catalog: brands: %w", err)
	}
	defer rows.Close()
	out := []Brand{}
	for rows.Next() {
		var b Brand
		if err := rows.Scan(&b.ID, &b.Name, &b.NameEN); err != nil {
			return nil, fmt.Errorf("catalog: brands: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// CreateBrand adds a brand, audited as actor.
// Errors: CodeInvalid (name missing, too long or taken), or a database
// error.
func (a *Admin) CreateBrand(ctx context.Context, actor audit.Actor, name, nameEN string) (Brand, error) {
	b := Brand{Name: cleanLine(name), NameEN: cleanLine(nameEN)}
	e := platform.E(platform.CodeInvalid)
	textField(e, "name", b.Name, true, 50)
	textField(e, "name_en", b.NameEN, false, 50)
	if len(e.Fields) > 0 {
		return Brand{}, e
	}
	err := a.db.Write(ctx, func(tx *store.Tx) error {
		b.ID = tx.NewID()
		_, err := tx.ExecContext(ctx, `INSERT INTO brands (id, name, name_en, created_at) VALUES ($1, $2, $3, $4)`, b.ID, b.Name, b.NameEN, tx.Now)
		if store.IsUniqueViolation(err) {
			return platform.Invalid("name", "catalog.field.brand_taken")
		}
		if err != nil {
			return fmt.Errorf("catalog: create brand: %w", err)
		}
		if err := audit.Change(ctx, tx, actor, "brand.create", "brand", b.ID, nil, b); err != nil {
			return err
		}
		return PublishCatalogChanged(ctx, tx, "brand", b.ID)
	})
	if err != nil {
		return Brand{}, err
	}
	return b, nil
}

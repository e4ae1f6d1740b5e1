package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// AttrKind says what an attribute of a template describes.
type AttrKind string

const (
	// KindSpec attributes tell a product's SKUs apart (颜色, 尺码, 规格).
	KindSpec AttrKind = "spec"
	// KindAttr attributes describe the product as a whole (材质, 产地).
	KindAttr AttrKind = "attr"
)

// AttributeDef is one attribute of a category's template: products of
// the category (and of its sub-categories) have it, must have it when
// Required, and pick its value from Choices when there are any.
type AttributeDef struct {
	Name     string   `json:"name"`
	Kind     AttrKind `json:"kind"`
	Required bool     `json:"required"`
	Choices  []string `json:"choices"`
	// CategoryID is the category that defines it (an ancestor's
	// attributes apply below it); set on reads.
	CategoryID platform.ID `json:"category_id,omitempty"`
}

const maxTemplate = 50

// normalizeTemplate trims and checks defs. Errors: CodeInvalid with
// fields "attributes.<i>".
func normalizeTemplate(defs []AttributeDef) ([]AttributeDef, error) {
	e := platform.E(platform.CodeInvalid)
	if len(defs) > maxTemplate {
		return nil, e.With("attributes", "catalog.field.too_many_attrs", maxTemplate)
	}
	out := make([]AttributeDef, 0, len(defs))
	for i, d := range defs {
		f := fmt.Sprintf("attributes.%d", i)
		d.Name = cleanLine(d.Name)
		if d.Name == "" {
			continue
		}
		if utf8.RuneCountInString(d.Name) > maxAttrName || strings.ContainsAny(d.Name, "=;") {
			e.With(f, "field.invalid")
		}
		if d.Kind == "" {
			d.Kind = KindAttr
		}
		if d.Kind != KindAttr && d.Kind != KindSpec {
			e.With(f+".kind", "field.invalid")
		}
		var choices []string
		for _, c := range d.Choices {
			if c = cleanLine(c); c != "" && !slices.Contains(choices, c) {
				choices = append(choices, c)
			}
		}
		d.Choices = choices
		if d.Choices == nil {
			d.Choices = []string{}
		}
		if slices.ContainsFunc(out, func(o AttributeDef) bool { return o.Name == d.Name }) {
			e.With(f, "catalog.field.attr_repeated")
		}
		d.CategoryID = 0
		out = append(out, d)
	}
	if len(e.Fields) > 0 {
		return nil, e
	}
	return out, nil
}

// loadTemplate reads the attributes that apply to category id: its own
// and its ancestors', nearest last so a sub-category can tighten a name
// an ancestor defines.
func loadTemplate(ctx context.Context, q store.Querier, id platform.ID) ([]AttributeDef, error) {
	tree, err := LoadTree(ctx, q)
	if err != nil {
		return nil, err
	}
	cats := tree.Ancestry(id)
	if len(cats) == 0 {
		return nil, platform.NotFound("category")
	}
	var out []AttributeDef
	for i := len(cats) - 1; i >= 0; i-- {
		own, err := ownTemplate(ctx, q, cats[i])
		if err != nil {
			return nil, err
		}
		for _, d := range own {
			out = slices.DeleteFunc(out, func(o AttributeDef) bool { return o.Name == d.Name })
			out = append(out, d)
		}
	}
	return out, nil
}

func ownTemplate(ctx context.Context, q store.Querier, id platform.ID) ([]AttributeDef, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, kind, required, choices FROM category_attributes WHERE category_id = $1 ORDER BY position, id`, id)
	if err != nil {
		return nil, fmt.Errorf("catalog: template of %d: %w", id, err)
	}
	defer rows.Close()
	out := []AttributeDef{}
	for rows.Next() {
		d := AttributeDef{CategoryID: id}
		var choices string
		if err := rows.Scan(&d.Name, &d.Kind, &d.Required, &choices); err != nil {
			return nil, fmt.Errorf("catalog: template of %d: %w", id, err)
		}
		if json.Unmarshal([]byte(choices), &d.Choices) != nil || d.Choices == nil {
			d.Choices = []string{}
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Template is the attribute template that applies to category id (its
// own attributes and its ancestors').
// Errors: CodeNotFound for an unknown category.
func (a *Admin) Template(ctx context.Context, id platform.ID) ([]AttributeDef, error) {
	return loadTemplate(ctx, a.db.R, id)
}

// OwnTemplate is the attributes category id itself defines.
func (a *Admin) OwnTemplate(ctx context.Context, id platform.ID) ([]AttributeDef, error) {
	return ownTemplate(ctx, a.db.R, id)
}

// SetTemplate replaces the attributes category id defines, audited as
// actor, and publishes TopicCatalogChanged. Existing products keep their
// values; the template applies when they are next saved.
//
// Errors: CodeInvalid, CodeNotFound, or a database error.
func (a *Admin) SetTemplate(ctx context.Context, actor audit.Actor, id platform.ID, defs []AttributeDef) error {
	defs, err := normalizeTemplate(defs)
	if err != nil {
		return err
	}
	return a.db.Write(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM categories WHERE id = $1`, id).Scan(&n); err != nil {
			return fmt.Errorf("catalog: template of %d: %w", id, err)
		}
		if n == 0 {
			return platform.NotFound("category")
		}
		before, err := ownTemplate(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM category_attributes WHERE category_id = $1`, id); err != nil {
			return fmt.Errorf("catalog: template of %d: %w", id, err)
		}
		for i, d := range defs {
			choices, _ := json.Marshal(d.Choices)
			if _, err := tx.ExecContext(ctx, `INSERT INTO category_attributes (id, category_id, name, kind, required, choices, position)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, tx.NewID(), id, d.Name, string(d.Kind), d.Required, string(choices), i); err != nil {
				return fmt.Errorf("catalog: template of %d: %w", id, err)
			}
		}
		if err := audit.Change(ctx, tx, actor, "category.template", "category", id, before, defs); err != nil {
			return err
		}
		return PublishCatalogChanged(ctx, tx, "template", id)
	})
}

package pricing

import (
	"slices"

	"storeops/internal/platform"
)

// Scope says which lines a rule or coupon covers. Empty lists mean the
// whole shop; otherwise a line is covered when its SKU, its product or one
// of its categories is listed, and it is not excluded.
type Scope struct {
	SKUIDs            []platform.ID `json:"sku_ids,omitempty"`
	ProductIDs        []platform.ID `json:"product_ids,omitempty"`
	CategoryIDs       []platform.ID `json:"category_ids,omitempty"`
	ExcludeSKUIDs     []platform.ID `json:"exclude_sku_ids,omitempty"`
	ExcludeProductIDs []platform.ID `json:"exclude_product_ids,omitempty"`
}

// Level is how specifically a scope names a line; a higher level wins
// among item rules.
type Level int

// Levels, from no match to the most specific.
const (
	LevelNone Level = iota
	LevelShop
	LevelCategory
	LevelProduct
	LevelSKU
)

// Match is the most specific way the scope names line l, or LevelNone.
func (s Scope) Match(l *Line) Level {
	if slices.Contains(s.ExcludeSKUIDs, l.SKUID) || slices.Contains(s.ExcludeProductIDs, l.ProductID) {
		return LevelNone
	}
	switch {
	case slices.Contains(s.SKUIDs, l.SKUID):
		return LevelSKU
	case slices.Contains(s.ProductIDs, l.ProductID):
		return LevelProduct
	case slices.ContainsFunc(l.CategoryPath, func(c platform.ID) bool { return slices.Contains(s.CategoryIDs, c) }):
		return LevelCategory
	case len(s.SKUIDs) == 0 && len(s.ProductIDs) == 0 && len(s.CategoryIDs) == 0:
		return LevelShop
	}
	return LevelNone
}

// Covers reports whether the scope includes line l.
func (s Scope) Covers(l *Line) bool { return s.Match(l) != LevelNone }

func (s Scope) validate(e *platform.Error, field string) {
	check := func(name string, ids []platform.ID) {
		if slices.ContainsFunc(ids, func(id platform.ID) bool { return id <= 0 }) {
			e.With(field+"."+name, "field.invalid")
		}
	}
	check("sku_ids", s.SKUIDs)
	check("product_ids", s.ProductIDs)
	check("category_ids", s.CategoryIDs)
	check("exclude_sku_ids", s.ExcludeSKUIDs)
	check("exclude_product_ids", s.ExcludeProductIDs)
}

package search

import (
	"cmp"
	"slices"

	"storeops/internal/platform"
)

// Facets count the matches of a search (all pages, after the filters) by
// category, brand, price band and attribute value, so a shopper can
// narrow the result.
type Facets struct {
	Categories []FacetCount `json:"categories"`
	Brands     []FacetCount `json:"brands"`
	PriceBands []PriceBand  `json:"price_bands"`
	Attributes []AttrFacet  `json:"attributes"`
}

// FacetCount is a category or brand with its number of matches.
type FacetCount struct {
	ID    platform.ID `json:"id"`
	Name  string      `json:"name"`
	Count int         `json:"count"`
}

// PriceBand counts matches whose lowest price is in [Min, Max) fen; the
// last band has no Max.
type PriceBand struct {
	Min   platform.Money  `json:"min"`
	Max   *platform.Money `json:"max,omitempty"`
	Count int             `json:"count"`
}

// AttrFacet is an attribute with its values' counts.
type AttrFacet struct {
	Name   string      `json:"name"`
	Values []AttrValue `json:"values"`
}

// AttrValue is an attribute value with its number of matches.
type AttrValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// priceBands are the band edges in fen: ¥50, ¥100, ¥200, ¥500, ¥1,000,
// ¥2,000, ¥5,000.
var priceBands = []platform.Money{0, 5000, 10000, 20000, 50000, 100000, 200000, 500000}

// Facet sizes: a long tail of values helps nobody narrow a search.
const (
	maxFacetValues = 20
	maxAttrFacets  = 10
)

func (ix *index) facets(hits []scored) Facets {
	cats := map[platform.ID]int{}
	brands := map[platform.ID]int{}
	bands := make([]int, len(priceBands))
	type attrKey struct{ name, value string }
	attrs := map[attrKey]int{}
	attrDocs := map[string]int{}
	for _, h := range hits {
		d := h.d
		cats[d.CategoryID]++
		if d.BrandID != 0 {
			brands[d.BrandID]++
		}
		i, found := slices.BinarySearch(priceBands, d.PriceMin)
		if !found {
			i--
		}
		bands[max(i, 0)]++
		for j, a := range d.Attrs {
			attrs[attrKey{a.Name, a.Value}]++
			first := true
			for _, b := range d.Attrs[:j] {
				if b.Name == a.Name {
					first = false
					break
				}
			}
			if first {
				attrDocs[a.Name]++
			}
		}
	}
	f := Facets{Categories: []FacetCount{}, Brands: []FacetCount{}, PriceBands: []PriceBand{}, Attributes: []AttrFacet{}}
	for id, n := range cats {
		name := ""
		if c := ix.cats[id]; c != nil {
			name = c.Name
		}
		f.Categories = append(f.Categories, FacetCount{ID: id, Name: name, Count: n})
	}
	for id, n := range brands {
		f.Brands = append(f.Brands, FacetCount{ID: id, Name: ix.brands[id], Count: n})
	}
	f.Categories, f.Brands = topCounts(f.Categories), topCounts(f.Brands)
	for i, n := range bands {
		if n == 0 {
			continue
		}
		b := PriceBand{Min: priceBands[i], Count: n}
		if i+1 < len(priceBands) {
			m := priceBands[i+1]
			b.Max = &m
		}
		f.PriceBands = append(f.PriceBands, b)
	}
	byName := map[string]*AttrFacet{}
	for k, n := range attrs {
		a := byName[k.name]
		if a == nil {
			a = &AttrFacet{Name: k.name}
			byName[k.name] = a
		}
		a.Values = append(a.Values, AttrValue{Value: k.value, Count: n})
	}
	for _, a := range byName {
		slices.SortFunc(a.Values, func(x, y AttrValue) int { return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Value, y.Value)) })
		if len(a.Values) > maxFacetValues {
			a.Values = a.Values[:maxFacetValues]
		}
		f.Attributes = append(f.Attributes, *a)
	}
	// Attributes most matches carry first.
	slices.SortFunc(f.Attributes, func(x, y AttrFacet) int {
		return cmp.Or(cmp.Compare(attrDocs[y.Name], attrDocs[x.Name]), cmp.Compare(x.Name, y.Name))
	})
	if len(f.Attributes) > maxAttrFacets {
		f.Attributes = f.Attributes[:maxAttrFacets]
	}
	return f
}

// topCounts orders by count, then name, and keeps the largest.
func topCounts(fs []FacetCount) []FacetCount {
	slices.SortFunc(fs, func(x, y FacetCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
	if len(fs) > maxFacetValues {
		fs = fs[:maxFacetValues]
	}
	return fs
}

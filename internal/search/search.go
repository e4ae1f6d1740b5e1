package search

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"storeops/internal/catalog"
	"storeops/internal/platform"
)

// Sort orders search results.
type Sort string

const (
	SortRelevance Sort = "relevance"  // text score × sales and conversion boost
	SortSales     Sort = "sales"      // units sold in the last 30 days
	SortPriceAsc  Sort = "price_asc"  // cheapest first
	SortPriceDesc Sort = "price_desc" // dearest first
	SortNewest    Sort = "newest"     // most recently created first
)

// Request is a parsed search.
type Request struct {
	// Query is what the shopper typed; empty lists every product that
	// passes the filters.
	Query      string
	CategoryID *platform.ID
	BrandID    *platform.ID
	// PriceMin and PriceMax bound the product's lowest price, in fen,
	// inclusive.
	PriceMin, PriceMax *platform.Money
	// Attrs keep products having every listed attribute value.
	Attrs []catalog.Attribute
	Sort  Sort
	Page  platform.PageRequest
}

// Filter limits.
const (
	maxAttrFilters = 10
	maxAttrLen     = 64
	maxPrice       = platform.Money(1_000_000_000_00) // ¥1,000,000,000
)

// ParseRequest reads and validates the query string of GET /api/v1/search.
// Errors: CodeInvalid for a too long or malformed query, an unknown sort,
// a malformed id or price, a price range upside down or a malformed
// attribute filter; CodeBadCursor for a cursor that does not decode.
func ParseRequest(v url.Values) (Request, error) {
	var r Request
	q := v.Get("q")
	if len(q) > maxQueryBytes || utf8.RuneCountInString(q) > maxQueryRunes {
		return r, platform.Invalid("q", "search.query_too_long", maxQueryRunes)
	}
	if !utf8.ValidString(q) {
		return r, platform.Invalid("q", "field.invalid")
	}
	r.Query = q
	switch s := Sort(v.Get("sort")); s {
	case "":
		r.Sort = SortRelevance
	case SortRelevance, SortSales, SortPriceAsc, SortPriceDesc, SortNewest:
		r.Sort = s
	default:
		return r, platform.Invalid("sort", "search.unknown_sort")
	}
	var err error
	if r.CategoryID, err = optionalID(v, "category", "catalog.unknown_category"); err != nil {
		return r, err
	}
	if r.BrandID, err = optionalID(v, "brand", "search.unknown_brand"); err != nil {
		return r, err
	}
	if r.PriceMin, err = optionalPrice(v, "price_min"); err != nil {
		return r, err
	}
	if r.PriceMax, err = optionalPrice(v, "price_max"); err != nil {
		return r, err
	}
	if r.PriceMin != nil && r.PriceMax != nil && *r.PriceMin > *r.PriceMax {
		return r, platform.Invalid("price_max", "search.price_range")
	}
	attrs := v["attr"]
	if len(attrs) > maxAttrFilters {
		return r, platform.Invalid("attr", "search.bad_attr")
	}
	for _, a := range attrs {
		name, value, ok := strings.Cut(a, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" || len(a) > maxAttrLen || !utf8.ValidString(a) {
			return r, platform.Invalid("attr", "search.bad_attr")
		}
		r.Attrs = append(r.Attrs, catalog.Attribute{Name: name, Value: value})
	}
	if r.Page, err = platform.ParsePage(v.Get("cursor"), v.Get("limit")); err != nil {
		return r, err
	}
	if r.Page.After != nil {
		if _, err := parseCursorKey(r.Sort, r.Page.After.Key); err != nil {
			return r, err
		}
	}
	return r, nil
}

func optionalID(v url.Values, name, key string) (*platform.ID, error) {
	s := v.Get(name)
	if s == "" {
		return nil, nil
	}
	id, err := platform.ParseID(s)
	if err != nil || id <= 0 {
		return nil, platform.Invalid(name, key)
	}
	return &id, nil
}

func optionalPrice(v url.Values, name string) (*platform.Money, error) {
	s := v.Get(name)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || platform.Money(n) > maxPrice {
		return nil, platform.Invalid(name, "search.bad_price")
	}
	m := platform.Money(n)
	return &m, nil
}

// Hit is one product of a result page.
type Hit struct {
	ID         platform.ID `json:"id"`
	CategoryID platform.ID `json:"category_id"`
	BrandID    platform.ID `json:"brand_id,omitempty"`
	Brand      string      `json:"brand,omitempty"`
	Title      string      `json:"title"`
	// TitleHTML is the title escaped for HTML with the matched words in
	// <em>, safe to insert as markup.
	TitleHTML string         `json:"title_html"`
	Subtitle  string         `json:"subtitle"`
	PriceMin  platform.Money `json:"price_min"`
	PriceMax  platform.Money `json:"price_max"`
	PriceText string         `json:"price_text"`
	ImageURL  string         `json:"image_url"`
	// Sales are units sold in the last 30 days.
	Sales int64 `json:"sales"`
}

// Result is one page of a search with the facets of all its matches.
type Result struct {
	// SearchID identifies this search in the search log; send it back
	// with clicks (POST /api/v1/search/clicks).
	SearchID   platform.ID `json:"search_id"`
	Query      string      `json:"query"`
	Total      int         `json:"total"`
	Items      []Hit       `json:"items"`
	NextCursor string      `json:"next_cursor,omitempty"`
	Facets     Facets      `json:"facets"`
	// DidYouMean is a corrected query (a typo fixed, pinyin or a
	// same-sounding word turned into the catalog's word) offered when the
	// query found fewer than three products and the correction finds more.
	DidYouMean string `json:"did_you_mean,omitempty"`
}

// scored is a matching product with its sort key.
type scored struct {
	d     *doc
	score float64
}

// Search runs r against this node's index, building the index first if
// the node has none. Errors: CodeInvalid for an unknown category or
// brand, CodeBadCursor for a cursor of another sort.
func (e *Engine) Search(ctx context.Context, r Request) (Result, error) {
	ix, err := e.ready(ctx)
	if err != nil {
		return Result{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	norm := normalizeString(r.Query)
	var clauses []clause
	var matched map[platform.ID]float64
	if norm != "" {
		clauses = ix.compile(norm)
		matched = ix.match(clauses)
		if len(matched) == 0 && strings.Contains(norm, " ") && !hasHan(norm) {
			// Pinyin typed with spaces (lian yi qun) or a model number
			// split (iphone 15 pro): try the words run together.
			clauses = ix.compile(strings.ReplaceAll(norm, " ", ""))
			matched = ix.match(clauses)
		}
	}
	var cats map[platform.ID]bool
	if r.CategoryID != nil {
		if cats = ix.subtree(*r.CategoryID); cats == nil {
			return Result{}, platform.Invalid("category", "catalog.unknown_category")
		}
	}
	if r.BrandID != nil {
		if _, ok := ix.brands[*r.BrandID]; !ok {
			return Result{}, platform.Invalid("brand", "search.unknown_brand")
		}
	}
	keep := func(d *doc) bool {
		switch {
		case cats != nil && !cats[d.CategoryID],
			r.BrandID != nil && d.BrandID != *r.BrandID,
			r.PriceMin != nil && d.PriceMin < *r.PriceMin,
			r.PriceMax != nil && d.PriceMin > *r.PriceMax:
			return false
		}
		for _, want := range r.Attrs {
			if !slices.Contains(d.Attrs, want) {
				return false
			}
		}
		return true
	}
	var hits []scored
	if norm == "" {
		for _, d := range ix.docs {
			if keep(d) {
				hits = append(hits, scored{d: d, score: d.boost})
			}
		}
	} else {
		for id, s := range matched {
			if d := ix.docs[id]; d != nil && keep(d) {
				hits = append(hits, scored{d: d, score: s * d.boost})
			}
		}
	}
	res := Result{Query: r.Query, Total: len(hits), Items: []Hit{}, Facets: ix.facets(hits)}
	if norm != "" && len(hits) < didYouMeanBelow {
		if fixed := ix.correct(norm); fixed != norm {
			n := 0
			for id := range ix.match(ix.compile(fixed)) {
				if d := ix.docs[id]; d != nil && keep(d) {
					n++
				}
			}
			if n > len(hits) {
				res.DidYouMean = fixed
			}
		}
	}
	// Only the page is sorted: the matches after the cursor are scanned
	// once for the best Limit+1, so a broad query on a big catalog costs
	// a pass over its matches, not a sort of them.
	page := hits
	if c := r.Page.After; c != nil {
		key, err := parseCursorKey(r.Sort, c.Key)
		if err != nil {
			return Result{}, err
		}
		at := cursorAt{key: key, id: c.ID}
		page = nil
		for _, h := range hits {
			if compareToCursor(h, at, r.Sort) > 0 {
				page = append(page, h)
			}
		}
	}
	top := topHits(page, r.Page.Limit+1, r.Sort)
	more := len(top) > r.Page.Limit
	if more {
		top = top[:r.Page.Limit]
	}
	marks := highlightMarks(clauses)
	for _, h := range top {
		res.Items = append(res.Items, ix.hit(h.d, marks))
	}
	if more && len(top) > 0 {
		last := top[len(top)-1]
		res.NextCursor = platform.Cursor{Key: cursorKey(r.Sort, last), ID: last.d.ID}.Encode()
	}
	return res, nil
}

func (ix *index) hit(d *doc, marks []string) Hit {
	return Hit{ID: d.ID, CategoryID: d.CategoryID, BrandID: d.BrandID, Brand: d.Brand, Title: d.Title,
		TitleHTML: ix.highlight(d.Title, marks), Subtitle: d.Subtitle, PriceMin: d.PriceMin, PriceMax: d.PriceMax,
		PriceText: d.PriceMin.String(), ImageURL: catalog.ImageURL(d.ImageID, 480), Sales: d.Sales}
}

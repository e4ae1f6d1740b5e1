package search

import (
	"context"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"storeops/internal/platform"
)

// Storefront pages (the search page and the shop's category pages) list
// products through the engine and show its facets as filter links. The
// view below is built once here so both pages narrow a listing the same
// way, and their templates only loop over it.

// Page is a storefront listing of search results: the hits with the
// links that sort, filter and page them.
type Page struct {
	Result Result
	// Query is the query as searched (cut to the length limit).
	Query string
	// Path is where the links point (/search or /c/{id}).
	Path    string
	Sorts   []PageLink
	Facets  []FacetGroup
	Active  []PageLink // the filters applied, each linking to the page without it
	NextURL string
	// DidYouMean links to the corrected query when there is one.
	DidYouMean    string
	DidYouMeanURL string
}

// PageLink is a link with its label (already translated) and whether it
// is the current choice.
type PageLink struct {
	Label  string
	URL    string
	Count  int
	Active bool
}

// FacetGroup is one facet (category, brand, price, an attribute) with its
// values as links.
type FacetGroup struct {
	Name  string
	Links []PageLink
}

// pageSorts are the sorts a storefront page offers, relevance only when
// there is a query to be relevant to.
var pageSorts = []Sort{SortRelevance, SortSales, SortPriceAsc, SortPriceDesc, SortNewest}

// ParsePageRequest reads a storefront listing's query string leniently:
// a shopper's page never fails for a bad parameter, it drops it (a query
// over the limit is cut, an unknown sort falls back to the default, an
// unknown filter or a stale cursor is ignored). fixed are values the page
// imposes (the category of a category page). It returns the request and
// the values it kept, from which the page's links are built.
func ParsePageRequest(v url.Values, fixed url.Values, pageSize int) (Request, url.Values) {
	keep := url.Values{}
	for _, k := range []string{"q", "sort", "category", "brand", "price_min", "price_max", "attr", "cursor"} {
		if vs := v[k]; len(vs) > 0 {
			keep[k] = append([]string(nil), vs...)
		}
	}
	if q := keep.Get("q"); q != "" {
		keep.Set("q", cutQuery(q))
	}
	for k, vs := range fixed {
		keep[k] = vs
	}
	keep.Set("limit", strconv.Itoa(pageSize))
	for range 12 {
		r, err := ParseRequest(keep)
		if err == nil {
			keep.Del("limit")
			if r.Query == "" && r.Sort == SortRelevance && keep.Get("sort") == "" {
				// Nothing to be relevant to: list the best sellers.
				r.Sort = SortSales
			}
			return r, keep
		}
		e := platform.AsError(err)
		field := ""
		if len(e.Fields) > 0 {
			field = e.Fields[0].Field
		}
		switch {
		case e.Code == platform.CodeBadCursor:
			keep.Del("cursor")
		case field == "q":
			keep.Set("q", "")
		case field != "" && field != "limit" && keep.Has(field) && fixed.Get(field) == "":
			keep.Del(field)
		default:
			keep = url.Values{"limit": {strconv.Itoa(pageSize)}}
			for k, vs := range fixed {
				keep[k] = vs
			}
		}
	}
	return Request{Sort: SortSales, Page: platform.PageRequest{Limit: pageSize}}, fixed
}

// cutQuery shortens a query to what a search accepts, on a rune boundary.
func cutQuery(q string) string {
	if !utf8.ValidString(q) {
		q = strings.ToValidUTF8(q, " ")
	}
	if utf8.RuneCountInString(q) > maxQueryRunes {
		q = string([]rune(q)[:maxQueryRunes])
	}
	for len(q) > maxQueryBytes {
		rs := []rune(q)
		q = string(rs[:len(rs)-1])
	}
	return q
}

// BuildPage makes the page's links from the request, the values kept by
// ParsePageRequest (fixed ones are never offered for removal) and the
// result. lang translates the labels.
func BuildPage(path string, r Request, keep, fixed url.Values, res Result, lang platform.Lang) Page {
	p := Page{Result: res, Query: r.Query, Path: path}
	link := func(set func(v url.Values)) string {
		v := url.Values{}
		for k, vs := range keep {
			v[k] = append([]string(nil), vs...)
		}
		v.Del("cursor")
		for k := range fixed {
			v.Del(k)
		}
		set(v)
		if s := v.Encode(); s != "" {
			return path + "?" + s
		}
		return path
	}
	for _, s := range pageSorts {
		if s == SortRelevance && r.Query == "" {
			continue
		}
		p.Sorts = append(p.Sorts, PageLink{Label: platform.T(lang, "search.sort."+string(s)), Active: r.Sort == s,
			URL: link(func(v url.Values) { v.Set("sort", string(s)) })})
	}
	f := res.Facets
	if fixed.Get("category") == "" || len(f.Categories) > 1 {
		g := FacetGroup{Name: platform.T(lang, "search.facet.category")}
		for _, c := range f.Categories {
			id := c.ID.String()
			g.Links = append(g.Links, PageLink{Label: c.Name, Count: c.Count, Active: keep.Get("category") == id,
				URL: link(func(v url.Values) { v.Set("category", id) })})
		}
		p.addGroup(g)
	}
	g := FacetGroup{Name: platform.T(lang, "search.facet.brand")}
	for _, b := range f.Brands {
		id := b.ID.String()
		g.Links = append(g.Links, PageLink{Label: b.Name, Count: b.Count, Active: keep.Get("brand") == id,
			URL: link(func(v url.Values) { v.Set("brand", id) })})
	}
	p.addGroup(g)
	g = FacetGroup{Name: platform.T(lang, "search.facet.price")}
	for _, b := range f.PriceBands {
		lo := strconv.FormatInt(int64(b.Min), 10)
		hi := ""
		if b.Max != nil {
			hi = strconv.FormatInt(int64(*b.Max)-1, 10)
		}
		g.Links = append(g.Links, PageLink{Label: bandLabel(b, lang), Count: b.Count,
			Active: keep.Get("price_min") == lo && keep.Get("price_max") == hi,
			URL: link(func(v url.Values) {
				v.Set("price_min", lo)
				if hi != "" {
					v.Set("price_max", hi)
				} else {
					v.Del("price_max")
				}
			})})
	}
	p.addGroup(g)
	for _, a := range f.Attributes {
		if a.Name == "品牌" || len(a.Values) < 2 && !hasAttr(r, a.Name) {
			// The brand facet already says it; one value narrows nothing.
			continue
		}
		g := FacetGroup{Name: a.Name}
		for _, val := range a.Values {
			pair := a.Name + ":" + val.Value
			on := hasAttrValue(keep, pair)
			g.Links = append(g.Links, PageLink{Label: val.Value, Count: val.Count, Active: on,
				URL: link(func(v url.Values) {
					if !on {
						v.Add("attr", pair)
					}
				})})
		}
		p.addGroup(g)
	}
	// Applied filters, each removable.
	remove := func(label string, drop func(v url.Values)) {
		p.Active = append(p.Active, PageLink{Label: label, URL: link(drop), Active: true})
	}
	if id := keep.Get("category"); id != "" && fixed.Get("category") == "" {
		remove(facetName(f.Categories, id), func(v url.Values) { v.Del("category") })
	}
	if id := keep.Get("brand"); id != "" {
		remove(facetName(f.Brands, id), func(v url.Values) { v.Del("brand") })
	}
	if keep.Get("price_min") != "" || keep.Get("price_max") != "" {
		remove(priceLabel(r, lang), func(v url.Values) { v.Del("price_min"); v.Del("price_max") })
	}
	for _, pair := range keep["attr"] {
		remove(pair, func(v url.Values) {
			var rest []string
			for _, x := range v["attr"] {
				if x != pair {
					rest = append(rest, x)
				}
			}
			v["attr"] = rest
		})
	}
	if res.NextCursor != "" {
		v := url.Values{}
		for k, vs := range keep {
			if _, ok := fixed[k]; !ok {
				v[k] = vs
			}
		}
		v.Set("sort", string(r.Sort))
		v.Set("cursor", res.NextCursor)
		p.NextURL = path + "?" + v.Encode()
	}
	if res.DidYouMean != "" {
		p.DidYouMean = res.DidYouMean
		p.DidYouMeanURL = link(func(v url.Values) { v.Set("q", res.DidYouMean) })
	}
	return p
}

func (p *Page) addGroup(g FacetGroup) {
	if len(g.Links) > 0 {
		p.Facets = append(p.Facets, g)
	}
}

func hasAttr(r Request, name string) bool {
	for _, a := range r.Attrs {
		if a.Name == name {
			return true
		}
	}
	return false
}

func hasAttrValue(v url.Values, pair string) bool {
	for _, x := range v["attr"] {
		if strings.TrimSpace(x) == pair {
			return true
		}
	}
	return false
}

func facetName(fs []FacetCount, id string) string {
	for _, f := range fs {
		if f.ID.String() == id {
			return f.Name
		}
	}
	return id
}

// yuan writes fen as whole yuan when it is whole (¥50), else with fen.
func yuan(m platform.Money) string {
	if m%100 == 0 {
		return "¥" + strconv.FormatInt(int64(m)/100, 10)
	}
	return m.String()
}

func bandLabel(b PriceBand, lang platform.Lang) string {
	if b.Max == nil {
		return platform.T(lang, "search.facet.price_over", yuan(b.Min))
	}
	if b.Min == 0 {
		return platform.T(lang, "search.facet.price_under", yuan(*b.Max))
	}
	return yuan(b.Min) + "–" + yuan(*b.Max)
}

func priceLabel(r Request, lang platform.Lang) string {
	switch {
	case r.PriceMin != nil && r.PriceMax != nil:
		return yuan(*r.PriceMin) + "–" + yuan(*r.PriceMax+1)
	case r.PriceMin != nil:
		return platform.T(lang, "search.facet.price_over", yuan(*r.PriceMin))
	case r.PriceMax != nil:
		return platform.T(lang, "search.facet.price_under", yuan(*r.PriceMax+1))
	}
	return ""
}

// TitleMarkup is TitleHTML for templates: the highlighter escapes every
// rune of the title and adds only <em>, so it is safe as markup.
func (h Hit) TitleMarkup() template.HTML { return template.HTML(h.TitleHTML) } //nolint:gosec // escaped by highlight

// SearchPage runs a storefront listing's search, dropping a category or
// brand the index does not know (a stale link) instead of failing; keep
// loses the dropped filter too.
func (e *Engine) SearchPage(ctx context.Context, r Request, keep url.Values) (Result, Request, error) {
	for range 3 {
		res, err := e.Search(ctx, r)
		if err == nil {
			return res, r, nil
		}
		pe := platform.AsError(err)
		switch {
		case pe.Code == platform.CodeBadCursor:
			r.Page.After = nil
			keep.Del("cursor")
		case pe.Code == platform.CodeInvalid && len(pe.Fields) > 0 && pe.Fields[0].Field == "category":
			r.CategoryID = nil
			keep.Del("category")
		case pe.Code == platform.CodeInvalid && len(pe.Fields) > 0 && pe.Fields[0].Field == "brand":
			r.BrandID = nil
			keep.Del("brand")
		default:
			return res, r, err
		}
	}
	res, err := e.Search(ctx, r)
	return res, r, err
}

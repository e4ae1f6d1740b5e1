package shop

import (
	"net/http"
	"net/url"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/traffic"
	"storeops/internal/web"
)

// categoryData is a category page: the category, its sub-categories and
// one page of its products (sub-categories included).
type categoryData struct {
	Category   catalog.Category
	Breadcrumb []catalog.Category
	Children   []*catalog.CategoryNode
	Products   []catalog.ProductCard
	Sort       catalog.Sort
	Sorts      []sortOption
	NextURL    string
	// Page is the listing through the search engine, with facets; nil
	// when the node runs without search (the plain listing above is used).
	Page *search.Page
}

type sortOption struct {
	Label  string // message key
	URL    string
	Active bool
}

// category renders a category's products, newest or by price, a page at
// a time.
func (h *handlers) category(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "category")
	if err != nil {
		return err
	}
	tree, err := h.svc.Tree(r.Context())
	if err != nil {
		return err
	}
	node, ok := tree.Find(id)
	if !ok {
		return platform.NotFound("category")
	}
	q := r.URL.Query()
	base := "/c/" + id.String()
	if e := search.EngineFor(h.db); e != nil {
		// Facets, sorts and paging come from the search engine, the same
		// code as the search page's.
		fixed := url.Values{"category": {id.String()}}
		req, keep := search.ParsePageRequest(q, fixed, 24)
		res, req, err := e.SearchPage(r.Context(), req, keep)
		if err != nil {
			return err
		}
		page := search.BuildPage(base, req, keep, fixed, res, web.LangOf(r))
		data := categoryData{Category: node.Category, Breadcrumb: tree.Path(id), Children: node.Children, Page: &page}
		h.tracker.Visit(w, r, traffic.PageView, 0, customerOf(r))
		return h.page(w, r, "shop/category", data)
	}
	sort, err := catalog.ParseSort(q.Get("sort"))
	if err != nil {
		sort = catalog.SortNewest
	}
	page, err := platform.ParsePage(q.Get("cursor"), "24")
	if err != nil {
		return err
	}
	p, err := h.svc.Products(r.Context(), catalog.ProductFilter{CategoryID: &id, Sort: sort}, page)
	if err != nil {
		return err
	}
	data := categoryData{Category: node.Category, Breadcrumb: tree.Path(id), Children: node.Children, Products: p.Items, Sort: sort}
	for _, s := range []catalog.Sort{catalog.SortNewest, catalog.SortPriceAsc, catalog.SortPriceDesc} {
		data.Sorts = append(data.Sorts, sortOption{Label: "shop.sort_" + string(s), URL: base + "?sort=" + string(s), Active: s == sort})
	}
	if p.NextCursor != "" {
		data.NextURL = base + "?" + url.Values{"sort": {string(sort)}, "cursor": {p.NextCursor}}.Encode()
	}
	h.tracker.Visit(w, r, traffic.PageView, 0, customerOf(r))
	return h.page(w, r, "shop/category", data)
}

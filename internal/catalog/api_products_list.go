package catalog

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// listProducts pages through on-sale products, optionally of one category
// and its sub-categories.
func (h *handlers) listProducts(w http.ResponseWriter, r *http.Request) error {
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var f ProductFilter
	if f.Sort, err = ParseSort(q.Get("sort")); err != nil {
		return err
	}
	if v := q.Get("category"); v != "" {
		id, err := platform.ParseID(v)
		if err != nil {
			return platform.Invalid("category", "catalog.unknown_category")
		}
		f.CategoryID = &id
	}
	p, err := h.svc.Products(r.Context(), f, page)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return web.WriteJSON(w, http.StatusOK, p)
}

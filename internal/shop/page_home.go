package shop

import (
	"net/http"

	"storeops/internal/catalog"
	"storeops/internal/traffic"
)

// homeData is the home page: the top categories, each with a few of its
// newest on-sale products.
type homeData struct {
	Roots   []*catalog.CategoryNode
	Shelves []catalog.Shelf
}

// shelfSize is how many products each home shelf shows.
const shelfSize = 4

// home renders the storefront home page.
func (h *handlers) home(w http.ResponseWriter, r *http.Request) error {
	tree, err := h.svc.Tree(r.Context())
	if err != nil {
		return err
	}
	shelves, err := h.svc.Home(r.Context(), shelfSize)
	if err != nil {
		return err
	}
	h.tracker.Visit(w, r, traffic.PageView, 0, customerOf(r))
	return h.page(w, r, "shop/home", homeData{Roots: tree.Roots, Shelves: shelves})
}

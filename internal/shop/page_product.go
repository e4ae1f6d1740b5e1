package shop

import (
	"net/http"

	"storeops/internal/catalog"
	"storeops/internal/traffic"
	"storeops/internal/web"
)

// productData is a product page.
type productData struct {
	P *catalog.ProductDetail
	// Selected is the SKU shown first: the first one in stock.
	Selected catalog.SKU
}

// product renders an on-sale product; anything else is the 404 page.
func (h *handlers) product(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	p, err := h.svc.Product(r.Context(), id)
	if err != nil {
		return err
	}
	data := productData{P: p}
	if len(p.SKUs) > 0 {
		data.Selected = p.SKUs[0]
		for _, s := range p.SKUs {
			if !s.SoldOut() {
				data.Selected = s
				break
			}
		}
	}
	h.tracker.Visit(w, r, traffic.ProductView, p.ID, customerOf(r))
	cacheable := !signedIn(r) && r.Header.Get("HX-Request") == ""
	key := pageKey{id: p.ID, lang: web.LangOf(r)}
	if cacheable {
		if page, ok := h.pages.get(key, p); ok {
			return page.send(w, r)
		}
	}
	page, err := h.render(w, r, "shop/product", data)
	if err == nil && cacheable && page != nil {
		page.src = p
		h.pages.put(key, page)
	}
	return err
}

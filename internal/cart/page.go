package cart

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/region"
	"storeops/internal/web"
)

func (h *handlers) pageRoutes() []web.Route {
	return []web.Route{
		{Method: http.MethodGet, Path: "/cart", Surface: web.Shop, Handler: h.page},
		{Method: http.MethodPost, Path: "/cart/items", Surface: web.Shop, Handler: h.formAdd},
		{Method: http.MethodPost, Path: "/cart/items/{sku_id}", Surface: web.Shop, Handler: h.formSet},
	}
}

// pageData is the storefront cart page.
type pageData struct {
	Cart      *Cart
	Provinces []region.Division
}

// page shows the cart. It is personal: never cached, and the renderer
// marks it so.
func (h *handlers) page(w http.ResponseWriter, r *http.Request) error {
	o, err := h.owner(w, r, false)
	if err != nil {
		return err
	}
	prov, err := h.province(r, o)
	if err != nil {
		return err
	}
	c, err := h.svc.View(r.Context(), o, prov)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, http.StatusOK, "cart/cart", pageData{Cart: c, Provinces: region.Provinces()})
}

// formAdd is the product page's "add to cart" button.
func (h *handlers) formAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	sku, err := platform.ParseID(r.PostFormValue("sku"))
	if err != nil {
		return platform.Invalid("sku", "field.invalid")
	}
	q := 1
	if r.PostFormValue("quantity") != "" {
		if q, err = formInt(r, "quantity"); err != nil {
			return err
		}
	}
	o, err := h.owner(w, r, true)
	if err != nil {
		return err
	}
	if _, err := h.svc.Add(r.Context(), o, sku, q, ""); err != nil {
		return err
	}
	http.Redirect(w, r, "/cart", http.StatusSeeOther)
	return nil
}

// formSet is the cart page's quantity and remove buttons.
func (h *handlers) formSet(w http.ResponseWriter, r *http.Request) error {
	sku, err := web.PathID(r, "sku_id", "cart_sku")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	q, err := formInt(r, "quantity")
	if err != nil {
		return err
	}
	o, err := h.owner(w, r, q > 0)
	if err != nil {
		return err
	}
	if o != (Owner{}) {
		if _, err := h.svc.Set(r.Context(), o, sku, q, nil, ""); err != nil {
			return err
		}
	}
	next := "/cart"
	if p := r.PostFormValue("province"); p != "" {
		if d, ok := region.Province(p); ok {
			next += "?province=" + d.Code
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

package cart

import (
	"net/http"
	"strconv"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// AddInput is the body of POST /api/v1/cart/items.
type AddInput struct {
	SKUID    platform.ID `json:"sku_id"`
	Quantity int         `json:"quantity"`
}

// SetInput is the body of PUT /api/v1/cart/items/{sku_id}.
type SetInput struct {
	// Quantity is the line's new quantity; 0 removes it.
	Quantity int `json:"quantity"`
	// Selected, when given, marks the line for checkout or not.
	Selected *bool `json:"selected,omitempty"`
}

func (h *handlers) apiRoutes() []web.Route {
	const tag = "cart"
	province := []web.QueryParam{{Name: "province", Description: "six-digit province code to quote shipping to (default: the signed-in customer's default address)"}}
	return []web.Route{
		{Method: http.MethodGet, Path: "/api/v1/cart", Surface: web.API, Handler: h.apiView,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The cart with current prices, stock and a shipping quote",
				Description: "A signed-in customer's cart, or the guest cart of the so_cart cookie. A guest cart is merged into the customer's on the first cart request after signing in.",
				Query:       province, Response: Cart{}}},
		{Method: http.MethodPost, Path: "/api/v1/cart/items", Surface: web.API, Handler: h.apiAdd,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Add a quantity of a SKU to the cart",
				Description: "Adds to the line if the SKU is already there (capped at 999). Send an Idempotency-Key so a retried request adds once. Sets the so_cart cookie for a guest.",
				Query:       province, Request: AddInput{}, Response: Cart{}, Idempotent: true}},
		{Method: http.MethodPut, Path: "/api/v1/cart/items/{sku_id}", Surface: web.API, Handler: h.apiSet,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Set a line's quantity (0 removes it) and whether it is selected for checkout",
				Query: province, Request: SetInput{}, Response: Cart{}}},
		{Method: http.MethodDelete, Path: "/api/v1/cart/items/{sku_id}", Surface: web.API, Handler: h.apiRemove,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Remove a line (no error if it is not there)", Query: province, Response: Cart{}}},
		{Method: http.MethodDelete, Path: "/api/v1/cart", Surface: web.API, Handler: h.apiClear,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Empty the cart", Status: http.StatusNoContent}},
	}
}

func (h *handlers) apiView(w http.ResponseWriter, r *http.Request) error {
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
	return writeCart(w, c)
}

func (h *handlers) apiAdd(w http.ResponseWriter, r *http.Request) error {
	var in AddInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if in.SKUID == 0 {
		return platform.Invalid("sku_id", "field.required")
	}
	if err := CheckQuantity(in.Quantity, false); err != nil {
		return err
	}
	o, err := h.owner(w, r, true)
	if err != nil {
		return err
	}
	prov, err := h.province(r, o)
	if err != nil {
		return err
	}
	c, err := h.svc.Add(r.Context(), o, in.SKUID, in.Quantity, prov)
	if err != nil {
		return err
	}
	return writeCart(w, c)
}

func (h *handlers) apiSet(w http.ResponseWriter, r *http.Request) error {
	sku, err := web.PathID(r, "sku_id", "cart_sku")
	if err != nil {
		return err
	}
	var in SetInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if err := CheckQuantity(in.Quantity, true); err != nil {
		return err
	}
	o, err := h.owner(w, r, in.Quantity > 0)
	if err != nil {
		return err
	}
	prov, err := h.province(r, o)
	if err != nil {
		return err
	}
	if o == (Owner{}) { // a guest with no cart removing a line: nothing to do
		return h.apiView(w, r)
	}
	c, err := h.svc.Set(r.Context(), o, sku, in.Quantity, in.Selected, prov)
	if err != nil {
		return err
	}
	return writeCart(w, c)
}

func (h *handlers) apiRemove(w http.ResponseWriter, r *http.Request) error {
	sku, err := web.PathID(r, "sku_id", "cart_sku")
	if err != nil {
		return err
	}
	o, err := h.owner(w, r, false)
	if err != nil {
		return err
	}
	if o == (Owner{}) {
		return h.apiView(w, r)
	}
	prov, err := h.province(r, o)
	if err != nil {
		return err
	}
	c, err := h.svc.Remove(r.Context(), o, sku, prov)
	if err != nil {
		return err
	}
	return writeCart(w, c)
}

func (h *handlers) apiClear(w http.ResponseWriter, r *http.Request) error {
	o, err := h.owner(w, r, false)
	if err != nil {
		return err
	}
	if o != (Owner{}) {
		if err := h.svc.Clear(r.Context(), o); err != nil {
			return err
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// writeCart sends a cart; it is personal, so never cached.
func writeCart(w http.ResponseWriter, c *Cart) error {
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, c)
}

// formInt reads a whole number from a form field; anything else is a
// field error.
func formInt(r *http.Request, field string) (int, error) {
	n, err := strconv.Atoi(r.PostFormValue(field))
	if err != nil {
		return 0, platform.Invalid(field, "field.invalid")
	}
	return n, nil
}

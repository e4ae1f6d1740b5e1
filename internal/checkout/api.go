package checkout

import (
	"net/http"

	"storeops/internal/idempotency"
	"storeops/internal/platform"
	"storeops/internal/traffic"
	"storeops/internal/web"
)

// handlers serve the checkout API and pages.
type handlers struct {
	svc *Service
	rd  *web.Renderer
}

func (h *handlers) apiRoutes() []web.Route {
	const tag = "checkout"
	return []web.Route{
		{Method: http.MethodPost, Path: "/api/v1/checkout/quote", Surface: web.API, Customer: true, Handler: h.apiQuote,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Price the selected cart lines as checkout would, changing nothing",
				Description: "Send the returned payable amount as expected_total when placing the order.",
				Request:     Terms{}, Response: Quote{}}},
		{Method: http.MethodPost, Path: "/api/v1/checkout", Surface: web.API, Customer: true, Handler: h.apiPlace, OwnIdempotency: true,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Place an order from the selected cart lines",
				Description: "Requires an Idempotency-Key header. In one transaction: prices the cart (409 price_changed with the new totals when expected_total no longer matches), reserves stock (409 out_of_stock), redeems coupons, creates the order and a pending payment, and removes the lines from the cart. Then pay with POST /api/v1/payments (online) — an unpaid order is cancelled after the timeout.",
				Request:     PlaceInput{}, Response: Placed{}, Status: http.StatusCreated, Idempotent: true}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/orders", Surface: web.API, Customer: true, Handler: h.apiOrders,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "The signed-in customer's orders, newest first",
				Query:    []web.QueryParam{{Name: "cursor", Description: "opaque cursor from the previous page's next_cursor"}, {Name: "limit", Description: "page size, 1–200, default 20"}},
				Response: platform.Page[ShopperOrder]{}}},
		{Method: http.MethodGet, Path: "/api/v1/customers/me/orders/{id}", Surface: web.API, Customer: true, Handler: h.apiOrder,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "One of the signed-in customer's orders with lines, payments and progress", Response: ShopperOrderDetail{}}},
		{Method: http.MethodPost, Path: "/api/v1/customers/me/orders/{id}/cancel", Surface: web.API, Customer: true, Handler: h.apiCancel,
			Doc: &web.OpenAPIOp{Tag: tag, Summary: "Cancel an unpaid order (stock and coupons are released)",
				Description: "409 checkout_order_not_cancellable once the order is paid; after that, ask for after-sale service.",
				Response:    ShopperOrderDetail{}}},
	}
}

func (h *handlers) apiQuote(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.carts.AdoptGuestCart(w, r); err != nil {
		return err
	}
	var t Terms
	if err := web.DecodeJSON(r, &t); err != nil {
		return err
	}
	q, err := h.svc.Quote(r.Context(), web.PrincipalFrom(r.Context()).CustomerID, t)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, q)
}

func (h *handlers) apiPlace(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.carts.AdoptGuestCart(w, r); err != nil {
		return err
	}
	// The key is recorded with the order (see Place), not by the generic
	// stored-response middleware (OwnIdempotency).
	keys := r.Header.Values(idempotency.HeaderKey)
	if len(keys) == 0 {
		return platform.E(CodeKeyRequired)
	}
	if len(keys) != 1 || !idempotency.ValidKey(keys[0]) {
		return platform.E(platform.CodeBadRequest)
	}
	key := keys[0]
	var in PlaceInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	if c, err := r.Cookie(traffic.SessionCookie); err == nil {
		// The visit the order is credited to; checkout looks its source
		// up and ignores an id it does not know.
		in.SessionID, _ = platform.ParseID(c.Value)
	}
	p, err := h.svc.Place(r.Context(), web.PrincipalFrom(r.Context()).CustomerID, key, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, p)
}

package checkout

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/region"
	"storeops/internal/store"
	"storeops/internal/traffic"
	"storeops/internal/web"
)

func (h *handlers) pageRoutes() []web.Route {
	return []web.Route{
		{Method: http.MethodGet, Path: "/checkout", Surface: web.Shop, Handler: h.checkoutPage},
		{Method: http.MethodPost, Path: "/checkout", Surface: web.Shop, Handler: h.checkoutForm},
		{Method: http.MethodGet, Path: "/orders", Surface: web.Shop, Handler: h.ordersPage},
		{Method: http.MethodGet, Path: "/orders/{id}", Surface: web.Shop, Handler: h.orderPage},
		{Method: http.MethodPost, Path: "/orders/{id}/cancel", Surface: web.Shop, Handler: h.cancelForm},
	}
}

// signedIn returns the shopper, or sends them to sign in and come back.
func signedIn(w http.ResponseWriter, r *http.Request) (platform.ID, bool) {
	if p := web.PrincipalFrom(r.Context()); p != nil && p.CustomerID != 0 {
		return p.CustomerID, true
	}
	http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	return 0, false
}

// CheckoutPage is the checkout page's data.
type CheckoutPage struct {
	Addresses []Address
	// Provinces feed the new-address form's first picker.
	Provinces []region.Division
	Terms     Terms
	Quote     *Quote
	Method    string
	Note      string
	// Key is this page's Idempotency-Key: submitting the form twice
	// places one order.
	Key string
	// Error is a problem to show (the price changed, a coupon…).
	Error string
	// Online is true when the shop takes online payments.
	Online bool
	// Discounts are the quote's discounts in the page's language.
	Discounts []DiscountLine
}

// DiscountLine is one discount as the shopper reads it.
type DiscountLine struct {
	Text   string
	Amount platform.Money
}

func (h *handlers) checkoutPage(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.carts.AdoptGuestCart(w, r); err != nil {
		return err
	}
	customerID, ok := signedIn(w, r)
	if !ok {
		return nil
	}
	q := r.URL.Query()
	t := Terms{}
	if c := q.Get("coupon"); c != "" {
		t.CouponCodes = []string{c}
	}
	if id, err := platform.ParseID(q.Get("address")); err == nil {
		t.AddressID = id
	}
	t.Points = pointsOf(q.Get("points"))
	method := MethodOnline
	if h.svc.cfg.OnlineProvider == "" {
		method = MethodCOD
	}
	return h.renderCheckout(w, r, customerID, CheckoutPage{Terms: t, Method: method, Online: h.svc.cfg.OnlineProvider != ""}, http.StatusOK)
}

// renderCheckout prices the cart for the page; an empty or changed cart
// sends the shopper back to it.
func (h *handlers) renderCheckout(w http.ResponseWriter, r *http.Request, customerID platform.ID, data CheckoutPage, status int) error {
	addrs, def, err := addresses(r.Context(), h.svc.db, customerID)
	if err != nil {
		return err
	}
	data.Addresses = addrs
	data.Provinces = region.Provinces()
	if data.Terms.AddressID == 0 {
		data.Terms.AddressID = def
	}
	lang := web.LangOf(r)
	if data.Terms.AddressID != 0 {
		quote, err := h.svc.Quote(r.Context(), customerID, data.Terms)
		switch code := platform.ErrorCode(err); {
		case err == nil:
			data.Quote = quote
		case code == CodeEmptyCart || code == CodeLinesChanged:
			http.Redirect(w, r, "/cart", http.StatusSeeOther)
			return nil
		case code == platform.CodeInternal:
			return err
		default:
			// A bad coupon or more points than the balance: show why,
			// and the price without them.
			data.Error = platform.AsError(err).Message(lang)
			data.Terms.CouponCodes, data.Terms.Points = nil, 0
			if data.Quote, err = h.svc.Quote(r.Context(), customerID, data.Terms); err != nil {
				return err
			}
		}
	}
	if data.Quote != nil {
		for _, d := range data.Quote.Priced.Discounts {
			data.Discounts = append(data.Discounts, DiscountLine{Text: d.Explanation.Text(lang), Amount: d.Amount})
		}
	}
	if data.Key == "" {
		var b [18]byte
		_, _ = rand.Read(b[:])
		data.Key = base64.RawURLEncoding.EncodeToString(b[:])
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, status, "checkout/checkout", data)
}

func (h *handlers) checkoutForm(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.carts.AdoptGuestCart(w, r); err != nil {
		return err
	}
	customerID, ok := signedIn(w, r)
	if !ok {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := r.PostForm
	in := PlaceInput{PaymentMethod: f.Get("payment_method"), Note: f.Get("note")}
	in.AddressID, _ = platform.ParseID(f.Get("address"))
	if c := f.Get("coupon"); c != "" {
		in.CouponCodes = []string{c}
	}
	in.Points = pointsOf(f.Get("points"))
	if fen, err := strconv.ParseInt(f.Get("expected_total"), 10, 64); err == nil {
		total := platform.Money(fen)
		in.ExpectedTotal = &total
	}
	if c, err := r.Cookie(traffic.SessionCookie); err == nil {
		in.SessionID, _ = platform.ParseID(c.Value)
	}
	key := f.Get("key")
	if key == "" || len(key) > 64 {
		return platform.E(CodeKeyRequired)
	}
	p, err := h.svc.Place(r.Context(), customerID, key, in)
	if err != nil {
		e := platform.AsError(err)
		if e.Code == platform.CodeInternal {
			return err
		}
		if e.Code == CodeEmptyCart || e.Code == CodeLinesChanged {
			http.Redirect(w, r, "/cart", http.StatusSeeOther)
			return nil
		}
		// Show the page again with the reason and, for a price change,
		// the new price to confirm (a fresh key: this one was not used).
		return h.renderCheckout(w, r, customerID, CheckoutPage{Terms: in.Terms, Method: in.PaymentMethod, Note: in.Note, Online: h.svc.cfg.OnlineProvider != "",
			Error: e.Message(web.LangOf(r))}, e.Code.Status())
	}
	http.Redirect(w, r, "/orders/"+p.OrderID.String()+"?placed=1", http.StatusSeeOther)
	return nil
}

// addresses lists the customer's addresses, default first, and the
// default's id.
func addresses(ctx context.Context, db *store.DB, customerID platform.ID) ([]Address, platform.ID, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT id, recipient, mobile, province_code, province, city, district, detail, is_default
		FROM customer_addresses WHERE customer_id = $1 ORDER BY is_default DESC, id LIMIT 50`, customerID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Address
	var def platform.ID
	for rows.Next() {
		var a Address
		var isDef bool
		if err := rows.Scan(&a.ID, &a.Recipient, &a.Mobile, &a.ProvinceCode, &a.Province, &a.City, &a.District, &a.Detail, &isDef); err != nil {
			return nil, 0, err
		}
		if isDef || def == 0 {
			def = a.ID
		}
		out = append(out, a)
	}
	return out, def, rows.Err()
}

// OrdersPage is the shopper's order list.
type OrdersPage struct {
	Page platform.Page[ShopperOrder]
}

func (h *handlers) ordersPage(w http.ResponseWriter, r *http.Request) error {
	customerID, ok := signedIn(w, r)
	if !ok {
		return nil
	}
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Orders(r.Context(), customerID, page)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, http.StatusOK, "checkout/orders", OrdersPage{Page: p})
}

// OrderPage is one order for its shopper.
type OrderPage struct {
	Order  *ShopperOrderDetail
	Placed bool
	// Returned is set when the shopper comes back from the pay page: the
	// page looks again shortly, as the provider's notification may
	// still be on its way.
	Returned bool
	// PayBy is when an unpaid order will be cancelled.
	PayBy string
}

func (h *handlers) orderPage(w http.ResponseWriter, r *http.Request) error {
	customerID, ok := signedIn(w, r)
	if !ok {
		return nil
	}
	id, err := web.PathID(r, "id", "shopper_order")
	if err != nil {
		return err
	}
	d, err := h.svc.Order(r.Context(), customerID, id)
	if err != nil {
		return err
	}
	data := OrderPage{Order: d, Placed: r.URL.Query().Get("placed") == "1", Returned: r.URL.Query().Get("paid") == "1"}
	if d.Cancellable {
		timeout := h.svc.cfg.UnpaidTimeout
		if d.PaymentMethod == MethodBankTransfer {
			timeout = h.svc.cfg.TransferTimeout
		}
		data.PayBy = d.PlacedAt.Add(timeout).In(platform.ShopZone).Format("2006-01-02 15:04")
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, http.StatusOK, "checkout/order", data)
}

func (h *handlers) cancelForm(w http.ResponseWriter, r *http.Request) error {
	customerID, ok := signedIn(w, r)
	if !ok {
		return nil
	}
	id, err := web.PathID(r, "id", "shopper_order")
	if err != nil {
		return err
	}
	if _, err := h.svc.Cancel(r.Context(), customerID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/orders/"+id.String(), http.StatusSeeOther)
	return nil
}

// pointsOf reads the points field of the checkout forms: a whole number,
// anything else (or nothing) meaning none.
func pointsOf(s string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

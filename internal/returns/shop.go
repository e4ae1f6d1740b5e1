package returns

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// ShopPage is the shopper's after-sale page for one order: their
// requests with every step, and the form for a new one.
type ShopPage struct {
	OrderID  platform.ID
	OrderNo  string
	Returns  []Return
	Lines    []ShopLine
	Kinds    []Kind
	Reasons  []Reason
	Carriers []string
	// CanRequest: the order may take a request (delivered, in the
	// window) and some unit is left.
	CanRequest bool
	// Closed says why a request cannot be made, when it cannot.
	Closed string
	Form   RequestInput
	Error  string
	Saved  bool
}

// ShopLine is an order line with how many units may still be asked for.
type ShopLine struct {
	ID       platform.ID
	Title    string
	SpecText string
	Qty      int
	Left     int
}

// shopper is the signed-in customer and the order in the path; a visitor
// is sent to sign in and come back (ok false).
func shopper(w http.ResponseWriter, r *http.Request) (customerID, orderID platform.ID, ok bool, err error) {
	p := web.PrincipalFrom(r.Context())
	if p == nil || p.CustomerID == 0 {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return 0, 0, false, nil
	}
	orderID, err = web.PathID(r, "id", "order")
	return p.CustomerID, orderID, err == nil, err
}

func (h *handlers) shopData(ctx context.Context, lang platform.Lang, customerID, orderID platform.ID) (ShopPage, error) {
	data := ShopPage{OrderID: orderID, Kinds: Kinds, Reasons: Reasons, Carriers: order.Carriers, Form: RequestInput{Kind: KindReturn}}
	o, err := readOrder(ctx, h.db.R, orderID)
	if err != nil {
		return data, err
	}
	if o.customerID != customerID {
		return data, platform.NotFound("order")
	}
	data.OrderNo = o.no
	if data.Returns, err = h.s.ForOrder(ctx, customerID, orderID); err != nil {
		return data, err
	}
	rows, err := h.db.R.QueryContext(ctx, `SELECT l.id, l.title, l.spec_text, l.quantity, l.quantity - `+claimedSQL("$2")+`
		FROM order_lines l WHERE l.order_id = $1 ORDER BY l.id`, orderID, 0)
	if err != nil {
		return data, fmt.Errorf("returns: order lines: %w", err)
	}
	defer rows.Close()
	left := 0
	for rows.Next() {
		var l ShopLine
		if err := rows.Scan(&l.ID, &l.Title, &l.SpecText, &l.Qty, &l.Left); err != nil {
			return data, err
		}
		l.Left = max(l.Left, 0)
		left += l.Left
		data.Lines = append(data.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return data, err
	}
	if err := eligible(o, KindRefundOnly, h.db.Clock.Now()); err != nil {
		data.Closed = platform.AsError(err).Message(lang)
	} else if left == 0 {
		data.Closed = platform.T(lang, "returns.shop_nothing_left")
	}
	data.CanRequest = data.Closed == ""
	return data, nil
}

func (h *handlers) shopPage(w http.ResponseWriter, r *http.Request) error {
	customerID, orderID, ok, err := shopper(w, r)
	if !ok || err != nil {
		return err
	}
	data, err := h.shopData(r.Context(), web.LangOf(r), customerID, orderID)
	if err != nil {
		return err
	}
	data.Saved = r.URL.Query().Get("saved") == "1"
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, http.StatusOK, "returns/shop", data)
}

// shopFailed shows the page again with why the form failed, or the
// error page for a missing order or an internal error.
func (h *handlers) shopFailed(w http.ResponseWriter, r *http.Request, customerID, orderID platform.ID, form RequestInput, err error) error {
	e := platform.AsError(err)
	if e.Code == platform.CodeInternal || e.Code == platform.CodeNotFound {
		return err
	}
	lang := web.LangOf(r)
	data, derr := h.shopData(r.Context(), lang, customerID, orderID)
	if derr != nil {
		return derr
	}
	data.Form, data.Error = form, e.Message(lang)
	for _, fe := range e.Fields {
		data.Error += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
	}
	return h.rd.Render(w, r, e.Code.Status(), "returns/shop", data)
}

// shopRequest reads the request form: kind, reason, description, and
// qty_<line id> for each line (0 or empty: not asked for).
func (h *handlers) shopRequest(w http.ResponseWriter, r *http.Request) error {
	customerID, orderID, ok, err := shopper(w, r)
	if !ok || err != nil {
		return err
	}
	photos, err := h.formPhotos(w, r)
	if err != nil {
		return h.shopFailed(w, r, customerID, orderID, RequestInput{Kind: KindReturn}, err)
	}
	f := r.PostForm
	in := RequestInput{Kind: Kind(f.Get("kind")), Reason: Reason(f.Get("reason")), Description: f.Get("description")}
	rows, err := h.db.R.QueryContext(r.Context(), `SELECT id FROM order_lines WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return fmt.Errorf("returns: order lines: %w", err)
	}
	var ids []platform.ID
	for rows.Next() {
		var id platform.ID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if v := f.Get("qty_" + id.String()); v != "" && v != "0" {
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1
			}
			in.Lines = append(in.Lines, LineInput{OrderLineID: id, Qty: n})
		}
	}
	if _, err := h.s.Request(r.Context(), customerID, orderID, in, photos...); err != nil {
		return h.shopFailed(w, r, customerID, orderID, in, err)
	}
	http.Redirect(w, r, "/orders/"+orderID.String()+"/returns?saved=1", http.StatusSeeOther)
	return nil
}

func (h *handlers) shopShip(w http.ResponseWriter, r *http.Request) error {
	return h.shopStep(w, r, func(customerID, id platform.ID) error {
		_, err := h.s.ShipBack(r.Context(), customerID, id, ShipInput{Carrier: r.PostForm.Get("carrier"), TrackingNo: r.PostForm.Get("tracking_no")})
		return err
	})
}

func (h *handlers) shopCancel(w http.ResponseWriter, r *http.Request) error {
	return h.shopStep(w, r, func(customerID, id platform.ID) error {
		_, err := h.s.Cancel(r.Context(), customerID, id)
		return err
	})
}

// shopStep runs a shopper's action on one of their requests on the
// order in the path.
func (h *handlers) shopStep(w http.ResponseWriter, r *http.Request, fn func(customerID, id platform.ID) error) error {
	customerID, orderID, ok, err := shopper(w, r)
	if !ok || err != nil {
		return err
	}
	id, err := web.PathID(r, "rid", "return")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	v, err := h.s.ForCustomer(r.Context(), customerID, id)
	if err == nil && v.OrderID != orderID {
		err = platform.NotFound("return")
	}
	if err == nil {
		err = fn(customerID, id)
	}
	if err != nil {
		return h.shopFailed(w, r, customerID, orderID, RequestInput{Kind: KindReturn}, err)
	}
	http.Redirect(w, r, "/orders/"+orderID.String()+"/returns?saved=1", http.StatusSeeOther)
	return nil
}

package invoice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// ShopPage is the shopper's invoice page for one order.
type ShopPage struct {
	OrderID platform.ID
	OrderNo string
	// Invoice is the newest request, nil before the first.
	Invoice *Invoice
	// CanRequest: no open request and the order may be invoiced.
	CanRequest bool
	// CanUpdate: the request is waiting, so its title may change.
	CanUpdate  bool
	Form       Input
	TitleTypes []TitleType
	Error      string
	Fields     map[string]string
	Saved      bool
}

func (h *handlers) shopPage(w http.ResponseWriter, r *http.Request) error {
	customerID, orderID, ok, err := h.shopper(w, r)
	if !ok || err != nil {
		return err
	}
	data, err := h.shopData(r.Context(), customerID, orderID)
	if err != nil {
		return err
	}
	if data.Invoice != nil {
		v := data.Invoice
		data.Form = Input{TitleType: v.TitleType, Title: v.Title, TaxNo: v.TaxNo, Email: v.Email}
	}
	data.Saved = r.URL.Query().Get("saved") == "1"
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, http.StatusOK, "invoice/shop", data)
}

func (h *handlers) shopForm(w http.ResponseWriter, r *http.Request) error {
	customerID, orderID, ok, err := h.shopper(w, r)
	if !ok || err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := r.PostForm
	in := Input{TitleType: TitleType(f.Get("title_type")), Title: f.Get("title"), TaxNo: f.Get("tax_no"), Email: f.Get("email")}
	form := in
	data, err := h.shopData(r.Context(), customerID, orderID)
	if err != nil {
		return err
	}
	if data.CanUpdate {
		_, err = h.s.Update(r.Context(), customerID, orderID, in)
	} else {
		_, err = h.s.Request(r.Context(), customerID, orderID, in)
	}
	if err != nil {
		e := platform.AsError(err)
		if e.Code == platform.CodeInternal || e.Code == platform.CodeNotFound {
			return err
		}
		lang := web.LangOf(r)
		data.Form, data.Error, data.Fields = form, e.Message(lang), map[string]string{}
		for _, fe := range e.Fields {
			data.Fields[fe.Field] = platform.T(lang, fe.Key, fe.Args...)
		}
		return h.rd.Render(w, r, e.Code.Status(), "invoice/shop", data)
	}
	http.Redirect(w, r, "/orders/"+orderID.String()+"/invoice?saved=1", http.StatusSeeOther)
	return nil
}

// shopper is the signed-in customer and the order in the path; a
// visitor is sent to sign in and come back (ok false).
func (h *handlers) shopper(w http.ResponseWriter, r *http.Request) (customerID, orderID platform.ID, ok bool, err error) {
	p := web.PrincipalFrom(r.Context())
	if p == nil || p.CustomerID == 0 {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return 0, 0, false, nil
	}
	orderID, err = web.PathID(r, "id", "order")
	return p.CustomerID, orderID, err == nil, err
}

// shopData reads the order and its newest request for the page.
func (h *handlers) shopData(ctx context.Context, customerID, orderID platform.ID) (ShopPage, error) {
	data := ShopPage{OrderID: orderID, TitleTypes: TitleTypes, Form: Input{TitleType: Personal}}
	var (
		st      order.Status
		payable int64
	)
	if err := h.db.R.QueryRowContext(ctx, `SELECT order_no, status, total - refunded_total FROM orders WHERE id = $1 AND customer_id = $2`, orderID, customerID).
		Scan(&data.OrderNo, &st, &payable); errors.Is(err, sql.ErrNoRows) {
		return data, platform.NotFound("order")
	} else if err != nil {
		return data, fmt.Errorf("invoice: read order %d: %w", orderID, err)
	}
	v, err := latest(ctx, h.db.R, customerID, orderID)
	switch {
	case err == nil:
		data.Invoice = &v
	case platform.ErrorCode(err) != platform.CodeNotFound:
		return data, err
	}
	open := data.Invoice != nil && (data.Invoice.Status == Requested || data.Invoice.Status == Issued)
	data.CanRequest = !open && eligible(st) && payable > 0
	data.CanUpdate = data.Invoice != nil && data.Invoice.Status == Requested
	return data, nil
}

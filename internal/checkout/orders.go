package checkout

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// ShopperOrder is an order as its customer sees it in a list.
type ShopperOrder struct {
	ID        platform.ID    `json:"id"`
	OrderNo   string         `json:"order_no"`
	Status    order.Status   `json:"status"`
	Total     platform.Money `json:"total"`
	TotalText string         `json:"total_text"`
	ItemCount int            `json:"item_count"`
	// FirstTitle names the first item, for the list.
	FirstTitle string    `json:"first_title"`
	PlacedAt   time.Time `json:"placed_at"`
}

// ShopperOrderDetail is one order for its customer: lines, money,
// shipments and status steps, without the shop's notes, costs or staff
// names.
type ShopperOrderDetail struct {
	ShopperOrder
	ItemsTotal    platform.Money `json:"items_total"`
	DiscountTotal platform.Money `json:"discount_total"`
	ShippingFee   platform.Money `json:"shipping_fee"`
	RefundedTotal platform.Money `json:"refunded_total"`
	PaymentMethod string         `json:"payment_method"`
	// PaymentID is the pending payment to pay, when the order waits for
	// one.
	PaymentID platform.ID    `json:"payment_id,omitempty"`
	Lines     []order.Line   `json:"lines"`
	Shipments []ShopperTrack `json:"shipments"`
	Steps     []ShopperStep  `json:"steps"`
	// Cancellable is true while the shopper may cancel.
	Cancellable bool `json:"cancellable"`
}

// ShopperTrack is a parcel's carrier and tracking number.
type ShopperTrack struct {
	Carrier    string    `json:"carrier"`
	TrackingNo string    `json:"tracking_no"`
	ShippedAt  time.Time `json:"shipped_at"`
}

// ShopperStep is a status change.
type ShopperStep struct {
	To     order.Status `json:"to"`
	Reason string       `json:"reason"`
	At     time.Time    `json:"at"`
}

// Orders lists a customer's orders, newest first.
func (s *Service) Orders(ctx context.Context, customerID platform.ID, page platform.PageRequest) (platform.Page[ShopperOrder], error) {
	var afterAt time.Time
	if page.After != nil {
		t, err := time.Parse(time.RFC3339Nano, page.After.Key)
		if err != nil {
			return platform.Page[ShopperOrder]{}, platform.E(platform.CodeBadCursor)
		}
		afterAt = t
	}
	q := `SELECT o.id, o.order_no, o.status, o.total, o.item_count, o.placed_at,
			COALESCE((SELECT l.title FROM order_lines l WHERE l.order_id = o.id ORDER BY l.id LIMIT 1), '')
		FROM orders o WHERE o.customer_id = $1`
	args := []any{customerID}
	if page.After != nil {
		q += ` AND (o.placed_at < $2 OR (o.placed_at = $2 AND o.id < $3))`
		args = append(args, store.Time(afterAt), page.After.ID)
	}
	q += ` ORDER BY o.placed_at DESC, o.id DESC LIMIT ` + strconv.Itoa(page.Limit+1)
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return platform.Page[ShopperOrder]{}, err
	}
	defer rows.Close()
	var out []ShopperOrder
	for rows.Next() {
		var o ShopperOrder
		if err := rows.Scan(&o.ID, &o.OrderNo, &o.Status, &o.Total, &o.ItemCount, &o.PlacedAt, &o.FirstTitle); err != nil {
			return platform.Page[ShopperOrder]{}, err
		}
		o.TotalText = platform.FormatCNY(o.Total)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[ShopperOrder]{}, err
	}
	return platform.NewPage(out, page.Limit, func(o ShopperOrder) platform.Cursor {
		return platform.Cursor{Key: o.PlacedAt.UTC().Format(time.RFC3339Nano), ID: o.ID}
	}), nil
}

// Order is one of the customer's orders; another customer's is not found.
func (s *Service) Order(ctx context.Context, customerID, id platform.ID) (*ShopperOrderDetail, error) {
	return shopperDetail(ctx, s.db.R, customerID, id)
}

func shopperDetail(ctx context.Context, q store.Querier, customerID, id platform.ID) (*ShopperOrderDetail, error) {
	d, err := order.GetDetail(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if d.CustomerID != customerID {
		return nil, platform.NotFound("shopper_order")
	}
	out := &ShopperOrderDetail{
		ShopperOrder: ShopperOrder{ID: d.ID, OrderNo: d.OrderNo, Status: d.Status, Total: d.Total, TotalText: platform.FormatCNY(d.Total),
			ItemCount: d.ItemCount, PlacedAt: d.PlacedAt},
		ItemsTotal: d.ItemsTotal, DiscountTotal: d.DiscountTotal, ShippingFee: d.ShippingFee, RefundedTotal: d.RefundedTotal,
		PaymentMethod: d.PaymentMethod, Lines: d.Lines, Shipments: []ShopperTrack{}, Steps: []ShopperStep{},
		Cancellable: d.Status == order.PendingPayment,
	}
	if len(out.Lines) > 0 {
		out.FirstTitle = out.Lines[0].Title
	}
	for _, p := range d.Payments {
		if p.Status == "pending" && d.Status == order.PendingPayment {
			out.PaymentID = p.ID
		}
	}
	for _, sh := range d.Shipments {
		out.Shipments = append(out.Shipments, ShopperTrack{Carrier: sh.Carrier, TrackingNo: sh.TrackingNo, ShippedAt: sh.ShippedAt})
	}
	for _, st := range d.Timeline {
		out.Steps = append(out.Steps, ShopperStep{To: st.To, Reason: st.Reason, At: st.At})
	}
	return out, nil
}

// Cancel cancels the customer's unpaid order; its stock and coupons go
// back through the order hooks. Cancelling an order already cancelled is
// not an error (a retried request).
func (s *Service) Cancel(ctx context.Context, customerID, id platform.ID) (*ShopperOrderDetail, error) {
	var d *ShopperOrderDetail
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = shopperDetail(ctx, tx, customerID, id); err != nil {
			return err
		}
		switch d.Status {
		case order.Cancelled:
			return nil
		case order.PendingPayment:
		default:
			return platform.E(CodeNotCancellable)
		}
		if err := cancelIfUnpaid(ctx, tx, id, order.Customer(customerID), platform.T(platform.ZH, "checkout.cancel_reason")); err != nil {
			return err
		}
		d, err = shopperDetail(ctx, tx, customerID, id)
		return err
	})
	return d, err
}

func (h *handlers) apiOrders(w http.ResponseWriter, r *http.Request) error {
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Orders(r.Context(), web.PrincipalFrom(r.Context()).CustomerID, page)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, p)
}

func (h *handlers) apiOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "shopper_order")
	if err != nil {
		return err
	}
	d, err := h.svc.Order(r.Context(), web.PrincipalFrom(r.Context()).CustomerID, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, d)
}

func (h *handlers) apiCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "shopper_order")
	if err != nil {
		return err
	}
	d, err := h.svc.Cancel(r.Context(), web.PrincipalFrom(r.Context()).CustomerID, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, d)
}

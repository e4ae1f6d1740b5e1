package returns

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"storeops/internal/audit"
	"storeops/internal/inventory"
	"storeops/internal/order"
	"storeops/internal/payment"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Approve accepts a waiting request: the shopper may ship the goods back
// (or, for a refund only, staff may refund).
//
// Errors: CodeNotFound, CodeStatus (409), database errors.
func (s *Service) Approve(ctx context.Context, by audit.Actor, id platform.ID) (Return, error) {
	var out Return
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		before, after, err := move(ctx, tx, id, Approved, in(Requested), "approved_at = $2, handled_by = $3", by.Name)
		if err != nil {
			return err
		}
		out = after
		return step(ctx, tx, by, "returns.approve", &before, after, "售后 "+after.RMANo+" 已同意")
	})
	return out, err
}

// Reject refuses a waiting request with a reason the shopper reads.
//
// Errors: CodeInvalid (422), CodeNotFound, CodeStatus (409), database
// errors.
func (s *Service) Reject(ctx context.Context, by audit.Actor, id platform.ID, reason string) (Return, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return Return{}, err
	}
	var out Return
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		before, after, err := move(ctx, tx, id, Rejected, in(Requested), "reject_reason = $3, handled_by = $4, closed_at = $2", reason, by.Name)
		if err != nil {
			return err
		}
		out = after
		why := "售后 " + after.RMANo + " 已驳回：" + reason
		if err := step(ctx, tx, by, "returns.reject", &before, after, why); err != nil {
			return err
		}
		return closeOrder(ctx, tx, after, order.ActorOf(by), why)
	})
	return out, err
}

// Cancel withdraws the customer's own request before the goods are on
// their way back.
//
// Errors: CodeNotFound (not theirs), CodeStatus (409), database errors.
func (s *Service) Cancel(ctx context.Context, customerID, id platform.ID) (Return, error) {
	var out Return
	by := audit.Actor{Kind: audit.KindCustomer, Name: "customer:" + customerID.String()}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		before, after, err := move(ctx, tx, id, Cancelled, func(r Return) error {
			if r.CustomerID != customerID {
				return platform.NotFound("return")
			}
			return in(Requested, Approved)(r)
		}, "closed_at = $2")
		if err != nil {
			return err
		}
		out = after
		why := "顾客撤销售后 " + after.RMANo
		if err := step(ctx, tx, by, "returns.cancel", &before, after, why); err != nil {
			return err
		}
		return closeOrder(ctx, tx, after, order.Customer(customerID), why)
	})
	return out, err
}

// ShipBack records the customer's parcel back to the shop.
//
// Errors: CodeInvalid (422), CodeNotFound (not theirs), CodeWrongKind (a
// refund only ships nothing), CodeStatus (409, not approved), database
// errors.
func (s *Service) ShipBack(ctx context.Context, customerID, id platform.ID, p ShipInput) (Return, error) {
	if err := p.Validate(); err != nil {
		return Return{}, err
	}
	var out Return
	by := audit.Actor{Kind: audit.KindCustomer, Name: "customer:" + customerID.String()}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		before, after, err := move(ctx, tx, id, ShippedBack, func(r Return) error {
			switch {
			case r.CustomerID != customerID:
				return platform.NotFound("return")
			case r.Kind == KindRefundOnly:
				return platform.E(CodeWrongKind)
			}
			return in(Approved)(r)
		}, "return_carrier = $3, return_tracking_no = $4, shipped_back_at = $2", p.Carrier, p.TrackingNo)
		if err != nil {
			return err
		}
		out = after
		return step(ctx, tx, by, "returns.ship_back", &before, after, fmt.Sprintf("售后 %s 顾客已寄回：%s %s", after.RMANo, p.Carrier, p.TrackingNo))
	})
	return out, err
}

// Receive records the returned parcel's inspection: per line the units
// accepted and their condition. Resaleable units go back on hand in the
// chosen warehouse through the inventory ledger (reason "return"), and a
// return's refund becomes the accepted units' exact share. Staff may
// receive a parcel the shopper never entered a tracking number for.
//
// Errors: CodeInvalid (422: unknown warehouse, a line not in the request,
// more accepted than asked), CodeNotFound, CodeWrongKind (a refund only),
// CodeStatus (409), database errors.
func (s *Service) Receive(ctx context.Context, by audit.Actor, id platform.ID, rin ReceiveInput) (Return, error) {
	if err := rin.Validate(); err != nil {
		return Return{}, err
	}
	var out Return
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM warehouses WHERE id = $1`, rin.WarehouseID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return platform.Invalid("warehouse_id", "field.invalid")
		}
		if err != nil {
			return err
		}
		cur, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Kind == KindRefundOnly {
			return platform.E(CodeWrongKind)
		}
		if err := in(Approved, ShippedBack)(cur); err != nil {
			return err
		}
		asked := map[platform.ID]Line{}
		for _, l := range cur.Lines {
			asked[l.OrderLineID] = l
		}
		var total platform.Money
		var restock []inventory.Placed
		for i, li := range rin.Lines {
			l, ok := asked[li.OrderLineID]
			if !ok {
				return platform.Invalid(fmt.Sprintf("lines[%d].order_line_id", i), "field.invalid")
			}
			if li.AcceptedQty > l.Qty {
				return platform.Invalid(fmt.Sprintf("lines[%d].accepted_qty", i), "returns.field.accepted_over", l.Qty)
			}
			amount := platform.Money(0)
			if cur.Kind == KindReturn && li.AcceptedQty > 0 {
				ol, err := readLine(ctx, tx, cur.OrderID, li.OrderLineID, cur.ID)
				if err != nil {
					return fmt.Errorf("returns: line %d: %w", li.OrderLineID, err)
				}
				amount = ol.share(li.AcceptedQty)
			}
			total += amount
			if _, err := tx.ExecContext(ctx, `UPDATE return_lines SET accepted_qty = $1, condition = $2, amount = $3 WHERE return_id = $4 AND order_line_id = $5`,
				li.AcceptedQty, li.Condition, amount, id, li.OrderLineID); err != nil {
				return fmt.Errorf("returns: inspect line: %w", err)
			}
			if li.Condition == Resaleable && li.AcceptedQty > 0 {
				restock = append(restock, inventory.Placed{SKU: l.SKUID, Warehouse: rin.WarehouseID, Qty: int64(li.AcceptedQty)})
			}
		}
		// Lines the form left out were not in the parcel.
		for lineID := range asked {
			found := false
			for _, li := range rin.Lines {
				found = found || li.OrderLineID == lineID
			}
			if !found {
				if _, err := tx.ExecContext(ctx, `UPDATE return_lines SET accepted_qty = 0, condition = $1, amount = 0 WHERE return_id = $2 AND order_line_id = $3`,
					Damaged, id, lineID); err != nil {
					return fmt.Errorf("returns: inspect line: %w", err)
				}
			}
		}
		if len(restock) > 0 {
			if err := inventory.Restock(ctx, tx, Ref(id), inventory.ReasonReturn, restock, by.Name); err != nil {
				return err
			}
		}
		before, after, err := move(ctx, tx, id, Received, in(cur.Status),
			"received_at = $2, warehouse_id = $3, refund_amount = $4, handled_by = $5", rin.WarehouseID, total, by.Name)
		if err != nil {
			return err
		}
		before.Lines = cur.Lines
		out = after
		var units int
		for _, p := range restock {
			units += int(p.Qty)
		}
		return step(ctx, tx, by, "returns.receive", &before, after, fmt.Sprintf("售后 %s 已收货验货，%d 件入库", after.RMANo, units))
	})
	return out, err
}

// Ref is the inventory reference of a request's restock and exchange
// shipment.
func Ref(id platform.ID) inventory.Ref { return inventory.Ref{Type: "return", ID: id.String()} }

// Refund gives the money back for an inspected return, or an approved
// refund only, through the payment domain: one refund per line for its
// exact share, each keyed by the request and line, so a retry after a
// failure refunds nothing twice. The request is then refunded and the
// order's after-sale case closed when it was its last. Refunded means
// the refunds are recorded and sent: an online provider confirms them
// later, and the order's refunded totals follow its notification.
//
// Errors: CodeNotFound, CodeWrongKind (an exchange), CodeStatus,
// CodeNothingAccepted (409), the payment domain's (e.g.
// payment_refund_exceeds), database errors. A provider that is down is
// not an error: the refund is recorded and the payment sweep resends it.
func (s *Service) Refund(ctx context.Context, by audit.Actor, id platform.ID) (Return, error) {
	cur, err := byID(ctx, s.db.R, id)
	if err != nil {
		return Return{}, err
	}
	if err := refundable(cur); err != nil {
		return Return{}, err
	}
	for _, l := range cur.Lines {
		if l.Amount <= 0 {
			continue
		}
		key := fmt.Sprintf("return:%s:%s", cur.ID, l.OrderLineID)
		err := s.orders.Refund(ctx, order.RefundRequest{OrderID: cur.OrderID, Amount: l.Amount, By: by,
			Reason: "售后退款 " + cur.RMANo, Key: key, LineIDs: []platform.ID{l.OrderLineID}})
		switch platform.ErrorCode(err) {
		case "", payment.CodeProviderUnavailable:
		case payment.CodeRefundKeyReused:
			// A concurrent press of the same button recorded it first.
			var amount platform.Money
			if qerr := s.db.R.QueryRowContext(ctx, `SELECT amount FROM refunds WHERE order_id = $1 AND request_key = $2`, cur.OrderID, key).
				Scan(&amount); qerr != nil || amount != l.Amount {
				return Return{}, err
			}
		default:
			return Return{}, err
		}
	}
	var out Return
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		before, after, err := move(ctx, tx, id, Refunded, refundable, "closed_at = $2, handled_by = $3", by.Name)
		if err != nil {
			return err
		}
		out = after
		why := fmt.Sprintf("售后 %s 已退款 %s", after.RMANo, after.Amount)
		if err := step(ctx, tx, by, "returns.refund", &before, after, why); err != nil {
			return err
		}
		return closeOrder(ctx, tx, after, order.ActorOf(by), why)
	})
	return out, err
}

func refundable(r Return) error {
	switch {
	case r.Kind == KindExchange:
		return platform.E(CodeWrongKind)
	case r.Kind == KindRefundOnly:
		if err := in(Approved)(r); err != nil {
			return err
		}
	default:
		if err := in(Received)(r); err != nil {
			return err
		}
	}
	if r.Amount <= 0 {
		return platform.E(CodeNothingAccepted)
	}
	return nil
}

// ShipExchange sends the replacement of an inspected exchange: the
// accepted units (of the exchange SKU where the shopper chose another)
// are reserved through inventory for the request and shipped at once
// (a "sale" in the ledger).
//
// Errors: CodeInvalid (422), CodeNotFound, CodeWrongKind, CodeStatus,
// CodeNothingAccepted (409), inventory's out_of_stock (409), database
// errors.
func (s *Service) ShipExchange(ctx context.Context, by audit.Actor, id platform.ID, p ShipInput) (Return, error) {
	if err := p.Validate(); err != nil {
		return Return{}, err
	}
	var out Return
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		cur, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Kind != KindExchange {
			return platform.E(CodeWrongKind)
		}
		if err := in(Received)(cur); err != nil {
			return err
		}
		var lines []inventory.Line
		for _, l := range cur.Lines {
			if l.AcceptedQty <= 0 {
				continue
			}
			sku := l.SKUID
			if l.ExchangeSKUID != 0 {
				sku = l.ExchangeSKUID
			}
			lines = append(lines, inventory.Line{SKU: sku, Qty: int64(l.AcceptedQty)})
		}
		if len(lines) == 0 {
			return platform.E(CodeNothingAccepted)
		}
		o, err := readOrder(ctx, tx, cur.OrderID)
		if err != nil {
			return err
		}
		if _, err := inventory.Reserve(ctx, tx, Ref(id), lines, o.province); err != nil {
			return err
		}
		if err := inventory.Commit(ctx, tx, Ref(id), by.Name); err != nil {
			return err
		}
		before, after, err := move(ctx, tx, id, Exchanged, in(Received),
			"exchange_carrier = $3, exchange_tracking_no = $4, closed_at = $2, handled_by = $5", p.Carrier, p.TrackingNo, by.Name)
		if err != nil {
			return err
		}
		out = after
		why := fmt.Sprintf("售后 %s 换货已发出：%s %s", after.RMANo, p.Carrier, p.TrackingNo)
		if err := step(ctx, tx, by, "returns.ship_exchange", &before, after, why); err != nil {
			return err
		}
		return closeOrder(ctx, tx, after, order.ActorOf(by), why)
	})
	return out, err
}

package order

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Line is one order line, a snapshot of what was sold.
type Line struct {
	ID         platform.ID    `json:"id"`
	ProductID  platform.ID    `json:"product_id"`
	SKUID      platform.ID    `json:"sku_id"`
	Title      string         `json:"title"`
	SpecText   string         `json:"spec_text"`
	Quantity   int            `json:"quantity"`
	UnitPrice  platform.Money `json:"unit_price"`
	Discount   platform.Money `json:"discount"`
	LineTotal  platform.Money `json:"line_total"`
	Refunded   platform.Money `json:"refunded"`
	ShippedQty int            `json:"shipped_quantity"`
}

// Payment is one payment of an order.
type Payment struct {
	ID          platform.ID    `json:"id"`
	Method      string         `json:"method"`
	Provider    string         `json:"provider"`
	Amount      platform.Money `json:"amount"`
	Status      string         `json:"status"`
	ExternalRef string         `json:"external_ref"`
	CapturedAt  *time.Time     `json:"captured_at,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
}

// Refund is one refund of an order.
type Refund struct {
	ID         platform.ID    `json:"id"`
	Amount     platform.Money `json:"amount"`
	Reason     string         `json:"reason"`
	Status     string         `json:"status"`
	CreatedAt  time.Time      `json:"created_at"`
	RefundedAt *time.Time     `json:"refunded_at,omitempty"`
}

// Step is one recorded status change.
type Step struct {
	ID     platform.ID `json:"id"`
	From   Status      `json:"from"`
	To     Status      `json:"to"`
	Actor  Actor       `json:"actor"`
	Reason string      `json:"reason"`
	At     time.Time   `json:"at"`
}

// Note is a staff note on an order.
type Note struct {
	ID        platform.ID `json:"id"`
	StaffID   platform.ID `json:"staff_id,omitempty"`
	Author    string      `json:"author"`
	Body      string      `json:"body"`
	CreatedAt time.Time   `json:"created_at"`
}

// Shipment is one parcel of an order.
type Shipment struct {
	ID         platform.ID    `json:"id"`
	Carrier    string         `json:"carrier"`
	TrackingNo string         `json:"tracking_no"`
	ShippedAt  time.Time      `json:"shipped_at"`
	CreatedBy  string         `json:"created_by"`
	Lines      []ShipmentLine `json:"lines"`
}

// ShipmentLine is a quantity of one order line in a shipment.
type ShipmentLine struct {
	LineID   platform.ID `json:"line_id"`
	Quantity int         `json:"quantity"`
}

// Detail is an order with everything that hangs off it; Timeline is the
// status changes oldest first.
type Detail struct {
	Order
	Lines     []Line     `json:"lines"`
	Payments  []Payment  `json:"payments"`
	Refunds   []Refund   `json:"refunds"`
	Shipments []Shipment `json:"shipments"`
	Notes     []Note     `json:"notes"`
	Timeline  []Step     `json:"timeline"`
}

// GetDetail reads an order and its lines, payments, refunds, shipments,
// notes and timeline in one snapshot (call it in a Read transaction).
// Errors: CodeNotFound, database errors.
func GetDetail(ctx context.Context, q store.Querier, id platform.ID) (Detail, error) {
	o, err := Get(ctx, q, id)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Order: o, Lines: []Line{}, Payments: []Payment{}, Refunds: []Refund{}, Shipments: []Shipment{}, Notes: []Note{}, Timeline: []Step{}}
	each := func(what, query string, scan func(*sql.Rows) error) error {
		rows, err := q.QueryContext(ctx, query, id)
		if err != nil {
			return fmt.Errorf("order: %s of %d: %w", what, id, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("order: %s of %d: %w", what, id, err)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("order: %s of %d: %w", what, id, err)
		}
		return nil
	}
	err = each("lines", `SELECT l.id, l.product_id, l.sku_id, l.title, l.spec_text, l.quantity, l.unit_price, l.discount, l.line_total, l.refunded,
		COALESCE((SELECT SUM(sl.quantity) FROM order_shipment_lines sl WHERE sl.line_id = l.id), 0)
		FROM order_lines l WHERE l.order_id = $1 ORDER BY l.id`, func(r *sql.Rows) error {
		var l Line
		err := r.Scan(&l.ID, &l.ProductID, &l.SKUID, &l.Title, &l.SpecText, &l.Quantity, &l.UnitPrice, &l.Discount, &l.LineTotal, &l.Refunded, &l.ShippedQty)
		d.Lines = append(d.Lines, l)
		return err
	})
	if err != nil {
		return Detail{}, err
	}
	err = each("payments", `SELECT id, method, provider, amount, status, external_ref, captured_at, created_at
		FROM payments WHERE order_id = $1 ORDER BY created_at, id`, func(r *sql.Rows) error {
		var p Payment
		var captured sql.NullTime
		err := r.Scan(&p.ID, &p.Method, &p.Provider, &p.Amount, &p.Status, &p.ExternalRef, &captured, &p.CreatedAt)
		p.CapturedAt, p.CreatedAt = nullTime(captured), p.CreatedAt.UTC()
		d.Payments = append(d.Payments, p)
		return err
	})
	if err != nil {
		return Detail{}, err
	}
	err = each("refunds", `SELECT id, amount, reason, status, created_at, refunded_at
		FROM refunds WHERE order_id = $1 ORDER BY created_at, id`, func(r *sql.Rows) error {
		var f Refund
		var done sql.NullTime
		err := r.Scan(&f.ID, &f.Amount, &f.Reason, &f.Status, &f.CreatedAt, &done)
		f.RefundedAt, f.CreatedAt = nullTime(done), f.CreatedAt.UTC()
		d.Refunds = append(d.Refunds, f)
		return err
	})
	if err != nil {
		return Detail{}, err
	}
	err = each("shipments", `SELECT id, carrier, tracking_no, shipped_at, created_by
		FROM order_shipments WHERE order_id = $1 ORDER BY shipped_at, id`, func(r *sql.Rows) error {
		var s Shipment
		err := r.Scan(&s.ID, &s.Carrier, &s.TrackingNo, &s.ShippedAt, &s.CreatedBy)
		s.ShippedAt, s.Lines = s.ShippedAt.UTC(), []ShipmentLine{}
		d.Shipments = append(d.Shipments, s)
		return err
	})
	if err != nil {
		return Detail{}, err
	}
	err = each("shipment lines", `SELECT sl.shipment_id, sl.line_id, sl.quantity FROM order_shipment_lines sl
		JOIN order_shipments s ON s.id = sl.shipment_id WHERE s.order_id = $1 ORDER BY sl.line_id`, func(r *sql.Rows) error {
		var sid platform.ID
		var l ShipmentLine
		if err := r.Scan(&sid, &l.LineID, &l.Quantity); err != nil {
			return err
		}
		for i := range d.Shipments {
			if d.Shipments[i].ID == sid {
				d.Shipments[i].Lines = append(d.Shipments[i].Lines, l)
			}
		}
		return nil
	})
	if err != nil {
		return Detail{}, err
	}
	err = each("notes", `SELECT id, staff_id, author, body, created_at FROM order_notes WHERE order_id = $1 ORDER BY created_at, id`,
		func(r *sql.Rows) error {
			var n Note
			var staffID sql.NullInt64
			err := r.Scan(&n.ID, &staffID, &n.Author, &n.Body, &n.CreatedAt)
			n.StaffID, n.CreatedAt = platform.ID(staffID.Int64), n.CreatedAt.UTC()
			d.Notes = append(d.Notes, n)
			return err
		})
	if err != nil {
		return Detail{}, err
	}
	err = each("timeline", `SELECT id, from_status, to_status, actor, actor_id, actor_name, reason, at
		FROM order_transitions WHERE order_id = $1 ORDER BY at, id`, func(r *sql.Rows) error {
		var s Step
		var actorID sql.NullInt64
		err := r.Scan(&s.ID, &s.From, &s.To, &s.Actor.Kind, &actorID, &s.Actor.Name, &s.Reason, &s.At)
		s.Actor.ID, s.At = platform.ID(actorID.Int64), s.At.UTC()
		d.Timeline = append(d.Timeline, s)
		return err
	})
	if err != nil {
		return Detail{}, err
	}
	return d, nil
}

package order

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Carriers are the couriers the console offers; any other name up to 32
// characters is accepted too.
var Carriers = []string{"顺丰速运", "京东物流", "中通快递", "圆通速递", "韵达快递", "申通快递", "极兔速递", "EMS", "德邦快递"}

// ShipInput is a parcel handed to a carrier.
type ShipInput struct {
	Carrier    string `json:"carrier"`
	TrackingNo string `json:"tracking_no"`
}

var trackingPattern = regexp.MustCompile(`^[A-Za-z0-9-]{6,40}$`)

// Validate trims the fields and checks them: a carrier name of 1 to 32
// characters and a tracking number of 6 to 40 letters, digits or dashes.
func (in *ShipInput) Validate() error {
	in.Carrier, in.TrackingNo = strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNo)
	e := platform.E(platform.CodeInvalid)
	switch n := utf8.RuneCountInString(in.Carrier); {
	case n == 0:
		e.With("carrier", "field.required")
	case n > 32:
		e.With("carrier", "field.too_long", 32)
	}
	switch {
	case in.TrackingNo == "":
		e.With("tracking_no", "field.required")
	case !trackingPattern.MatchString(in.TrackingNo):
		e.With("tracking_no", "field.invalid")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// Ship sends what is left of an order in one parcel: a paid order is
// allocated first (its hooks run as for any allocation), an allocated one
// becomes shipped, and a shipment with every line's unshipped quantity is
// recorded. Errors: CodeInvalid, CodeNotFound, CodeIllegalTransition (not
// paid or allocated), CodeStatusChanged, a hook's, database errors.
func (s *Service) Ship(ctx context.Context, by audit.Actor, id platform.ID, in ShipInput) (Shipment, error) {
	if err := in.Validate(); err != nil {
		return Shipment{}, err
	}
	var sh Shipment
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		sh, err = ship(ctx, tx, by, id, in)
		return err
	})
	return sh, err
}

func ship(ctx context.Context, tx *store.Tx, by audit.Actor, id platform.ID, in ShipInput) (Shipment, error) {
	var status Status
	if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = $1`, id).Scan(&status); err != nil {
		return Shipment{}, store.NotFound(err, "order")
	}
	actor := ActorOf(by)
	if status == Paid {
		if _, err := Transition(ctx, tx, id, Allocated, actor, "发货时配货"); err != nil {
			return Shipment{}, err
		}
	}
	sh := Shipment{ID: tx.NewID(), Carrier: in.Carrier, TrackingNo: in.TrackingNo, ShippedAt: tx.Now, CreatedBy: by.Name}
	reason := fmt.Sprintf("发货：%s %s", in.Carrier, in.TrackingNo)
	ch, err := Transition(ctx, tx, id, Shipped, actor, reason,
		WithData("shipment_id", sh.ID), WithData("carrier", in.Carrier), WithData("tracking_no", in.TrackingNo))
	if err != nil {
		return Shipment{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO order_shipments (id, order_id, carrier, tracking_no, shipped_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6)`, sh.ID, id, sh.Carrier, sh.TrackingNo, sh.ShippedAt, sh.CreatedBy); err != nil {
		return Shipment{}, fmt.Errorf("order: ship %d: %w", id, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT l.id, l.quantity - COALESCE((SELECT SUM(sl.quantity) FROM order_shipment_lines sl WHERE sl.line_id = l.id), 0)
		FROM order_lines l WHERE l.order_id = $1 ORDER BY l.id`, id)
	if err != nil {
		return Shipment{}, fmt.Errorf("order: ship %d: %w", id, err)
	}
	sh.Lines = []ShipmentLine{}
	for rows.Next() {
		var l ShipmentLine
		if err := rows.Scan(&l.LineID, &l.Quantity); err != nil {
			rows.Close()
			return Shipment{}, fmt.Errorf("order: ship %d: %w", id, err)
		}
		if l.Quantity > 0 {
			sh.Lines = append(sh.Lines, l)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Shipment{}, fmt.Errorf("order: ship %d: %w", id, err)
	}
	for _, l := range sh.Lines {
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_shipment_lines (shipment_id, line_id, quantity) VALUES ($1, $2, $3)`,
			sh.ID, l.LineID, l.Quantity); err != nil {
			return Shipment{}, fmt.Errorf("order: ship %d: %w", id, err)
		}
	}
	after := map[string]any{"status": ch.To, "shipment": sh}
	return sh, audit.Change(ctx, tx, by, "order.ship", "order", id, statusSnapshot{status}, after)
}

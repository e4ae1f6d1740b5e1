package returns

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"storeops/internal/platform"
)

// Field limits.
const (
	maxDescription = 500
	maxReason      = 200
	maxLines       = 50
	maxQty         = 10000
)

// RequestInput is the shopper's request.
type RequestInput struct {
	Kind        Kind        `json:"kind"`
	Reason      Reason      `json:"reason"`
	Description string      `json:"description,omitempty"`
	Lines       []LineInput `json:"lines"`
}

// LineInput is one order line and how many of its units.
type LineInput struct {
	OrderLineID platform.ID `json:"order_line_id"`
	Qty         int         `json:"qty"`
	// ExchangeSKUID is another SKU of the same product to receive
	// instead (exchange only; empty: the same SKU).
	ExchangeSKUID platform.ID `json:"exchange_sku_id,omitempty"`
}

// Validate normalises in place and reports every invalid field (422).
func (in *RequestInput) Validate() error {
	e := platform.E(platform.CodeInvalid)
	in.Description = strings.TrimSpace(in.Description)
	if !in.Kind.Valid() {
		e.With("kind", "field.invalid")
	}
	if !in.Reason.Valid() {
		e.With("reason", "field.invalid")
	}
	if utf8.RuneCountInString(in.Description) > maxDescription {
		e.With("description", "field.too_long", maxDescription)
	}
	switch {
	case len(in.Lines) == 0:
		e.With("lines", "field.required")
	case len(in.Lines) > maxLines:
		e.With("lines", "field.invalid")
	}
	seen := map[platform.ID]bool{}
	for i, l := range in.Lines {
		if l.OrderLineID <= 0 || seen[l.OrderLineID] {
			e.With(fmt.Sprintf("lines[%d].order_line_id", i), "field.invalid")
		}
		seen[l.OrderLineID] = true
		if l.Qty <= 0 || l.Qty > maxQty {
			e.With(fmt.Sprintf("lines[%d].qty", i), "field.invalid")
		}
		if l.ExchangeSKUID != 0 && in.Kind != KindExchange {
			e.With(fmt.Sprintf("lines[%d].exchange_sku_id", i), "field.invalid")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// ShipInput is a parcel: the shopper's return, or staff's replacement.
type ShipInput struct {
	Carrier    string `json:"carrier"`
	TrackingNo string `json:"tracking_no"`
}

// Validate trims and checks the carrier (1 to 32 characters) and the
// tracking number (6 to 40 letters, digits or dashes).
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
	case len(in.TrackingNo) < 6 || len(in.TrackingNo) > 40 || strings.ContainsFunc(in.TrackingNo, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-')
	}):
		e.With("tracking_no", "field.invalid")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// ReceiveInput is what staff record when the parcel comes back: the
// warehouse that restocks resaleable units, and per line how many were
// accepted and in what condition.
type ReceiveInput struct {
	WarehouseID platform.ID    `json:"warehouse_id"`
	Lines       []InspectInput `json:"lines"`
}

// InspectInput is one line's inspection.
type InspectInput struct {
	OrderLineID platform.ID `json:"order_line_id"`
	AcceptedQty int         `json:"accepted_qty"`
	Condition   Condition   `json:"condition"`
}

// Validate checks the shape; quantities are checked against the request.
func (in *ReceiveInput) Validate() error {
	e := platform.E(platform.CodeInvalid)
	if in.WarehouseID <= 0 {
		e.With("warehouse_id", "field.required")
	}
	if len(in.Lines) == 0 || len(in.Lines) > maxLines {
		e.With("lines", "field.required")
	}
	seen := map[platform.ID]bool{}
	for i, l := range in.Lines {
		if l.OrderLineID <= 0 || seen[l.OrderLineID] {
			e.With(fmt.Sprintf("lines[%d].order_line_id", i), "field.invalid")
		}
		seen[l.OrderLineID] = true
		if l.AcceptedQty < 0 || l.AcceptedQty > maxQty {
			e.With(fmt.Sprintf("lines[%d].accepted_qty", i), "field.invalid")
		}
		if !l.Condition.Valid() {
			e.With(fmt.Sprintf("lines[%d].condition", i), "field.invalid")
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// checkReason trims a rejection reason and requires one.
func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "", platform.Invalid("reason", "field.required")
	case n > maxReason:
		return "", platform.Invalid("reason", "field.too_long", maxReason)
	}
	return reason, nil
}

package pricing

import (
	"time"

	"storeops/internal/platform"
)

// Bounds on a cart, so every sum and product stays far inside int64.
const (
	MaxLines     = 500
	MaxQuantity  = 99_999
	MaxUnitPrice = platform.Money(10_000_000_000) // ¥100,000,000.00
)

// Line is one cart line: a SKU, how many, and what the catalog charges.
type Line struct {
	SKUID     platform.ID `json:"sku_id"`
	ProductID platform.ID `json:"product_id"`
	// CategoryPath is the product's category and its ancestors, any order.
	CategoryPath []platform.ID `json:"category_path,omitempty"`
	// UnitPrice is the list price of one unit, in fen.
	UnitPrice platform.Money `json:"unit_price"`
	Quantity  int            `json:"quantity"`
	// MemberPrices is the unit price per customer tier code, when the SKU
	// has member prices.
	MemberPrices map[string]platform.Money `json:"member_prices,omitempty"`
}

// Customer is who is buying. The zero value is a guest with no tier.
type Customer struct {
	ID platform.ID `json:"id,omitempty"`
	// Tier is the membership tier code, "" when none.
	Tier string `json:"tier,omitempty"`
	// FirstOrder is true when the customer has no earlier order.
	FirstOrder bool `json:"first_order,omitempty"`
}

// Points is the shopper's wish to pay part of the order with points and
// the shop's terms for it.
type Points struct {
	// Redeem is how many points the shopper offers (at most their
	// balance: the caller checks that).
	Redeem int64 `json:"redeem,omitempty"`
	// Every PerUnit points are worth UnitValue fen: {100, 100} is 100
	// points = ¥1. Only whole units are redeemed.
	PerUnit   int64          `json:"per_unit,omitempty"`
	UnitValue platform.Money `json:"unit_value,omitempty"`
	// CapPercent limits points to this share of the items' payable
	// amount (1–100); 0 means 100.
	CapPercent int `json:"cap_percent,omitempty"`
	// CapAmount limits the points' value in fen; 0 means no limit.
	CapAmount platform.Money `json:"cap_amount,omitempty"`
}

// Input is everything Price needs.
type Input struct {
	Lines    []Line    `json:"lines"`
	Customer Customer  `json:"customer"`
	At       time.Time `json:"at"`
	// Rules are the shop's active promotion rules.
	Rules []Rule `json:"rules,omitempty"`
	// Coupons are the ones the shopper applied, with their batches and
	// usage counts.
	Coupons []Coupon `json:"coupons,omitempty"`
	Points  Points   `json:"points"`
	// Shipping is the fee checkout computed for the order.
	Shipping platform.Money `json:"shipping,omitempty"`
}

// Validate reports every input field a client could have got wrong (lines,
// points); rules and coupons have their own Validate.
func (in *Input) Validate() error {
	e := platform.E(platform.CodeInvalid)
	if len(in.Lines) > MaxLines {
		e.With("lines", "pricing.too_many_lines", MaxLines)
	}
	seen := make(map[platform.ID]bool, len(in.Lines))
	for i, l := range in.Lines {
		f := func(name string) string { return fieldf("lines[%d].%s", i, name) }
		if l.SKUID <= 0 {
			e.With(f("sku_id"), "field.required")
		} else if seen[l.SKUID] {
			e.With(f("sku_id"), "pricing.duplicate_sku")
		}
		seen[l.SKUID] = true
		if l.Quantity < 1 || l.Quantity > MaxQuantity {
			e.With(f("quantity"), "pricing.quantity_range", MaxQuantity)
		}
		if l.UnitPrice < 0 || l.UnitPrice > MaxUnitPrice {
			e.With(f("unit_price"), "pricing.price_range")
		}
		for tier, p := range l.MemberPrices {
			if tier == "" || p < 0 || p > MaxUnitPrice {
				e.With(f("member_prices"), "pricing.price_range")
				break
			}
		}
	}
	p := in.Points
	switch {
	case p.Redeem < 0:
		e.With("points.redeem", "pricing.not_negative")
	case p.Redeem > 0 && (p.PerUnit <= 0 || p.UnitValue <= 0):
		e.With("points.per_unit", "pricing.points_rate")
	}
	if p.CapPercent < 0 || p.CapPercent > 100 {
		e.With("points.cap_percent", "pricing.percent_range", 1, 100)
	}
	if p.CapAmount < 0 {
		e.With("points.cap_amount", "pricing.not_negative")
	}
	if in.Shipping < 0 || in.Shipping > MaxUnitPrice {
		e.With("shipping", "pricing.price_range")
	}
	return orNil(e)
}

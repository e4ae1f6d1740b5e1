package pricing

import (
	"strings"

	"storeops/internal/platform"
)

// Source is what a discount comes from.
type Source string

// The sources of a discount.
const (
	FromRule   Source = "rule"
	FromCoupon Source = "coupon"
	FromPoints Source = "points"
)

// Discount is one amount taken off a line (or, in PricedOrder.Discounts,
// off the order: the sum of its line shares).
type Discount struct {
	Source Source `json:"source"`
	// ID is the rule's or the coupon's id; 0 for points.
	ID platform.ID `json:"id,omitempty"`
	// Kind is the rule kind or coupon kind; "" for points.
	Kind        string         `json:"kind,omitempty"`
	Amount      platform.Money `json:"amount"`
	Explanation Explanation    `json:"explanation"`
}

// PricedLine is one cart line after pricing.
type PricedLine struct {
	SKUID     platform.ID    `json:"sku_id"`
	Quantity  int            `json:"quantity"`
	UnitPrice platform.Money `json:"unit_price"` // list price of one unit
	ListTotal platform.Money `json:"list_total"` // UnitPrice × Quantity
	// MemberUnitPrice is the tier's unit price when it applied, and
	// MemberAdjustment what it took off the list total.
	MemberUnitPrice  platform.Money `json:"member_unit_price,omitempty"`
	MemberAdjustment platform.Money `json:"member_adjustment,omitempty"`
	MemberNote       *Explanation   `json:"member_note,omitempty"`
	// Discounts in the order they were applied, points last.
	Discounts []Discount `json:"discounts,omitempty"`
	// Total is what the shopper pays for the line: ListTotal less the
	// member adjustment and every discount. Never negative.
	Total platform.Money `json:"total"`
}

// Totals are the order's figures. The struct is comparable: two pricings
// of the same input give == Totals, and checkout compares a client's
// quote against a fresh one with ==.
type Totals struct {
	Items            platform.Money `json:"items"`             // Σ list totals
	MemberAdjustment platform.Money `json:"member_adjustment"` // Σ member adjustments
	Discount         platform.Money `json:"discount"`          // Σ rule and coupon discounts on lines
	Points           platform.Money `json:"points"`            // value of the points redeemed
	PointsUsed       int64          `json:"points_used"`       // points redeemed
	Shipping         platform.Money `json:"shipping"`          // the fee before waivers
	ShippingDiscount platform.Money `json:"shipping_discount"` // waived by rules or coupons
	// Payable = Items − MemberAdjustment − Discount − Points + Shipping −
	// ShippingDiscount.
	Payable platform.Money `json:"payable"`
}

// CouponResult says what became of one coupon the shopper applied.
type CouponResult struct {
	CouponID platform.ID    `json:"coupon_id"`
	Code     string         `json:"code"`
	BatchID  platform.ID    `json:"batch_id"`
	Applied  bool           `json:"applied"`
	Amount   platform.Money `json:"amount"` // taken off items or shipping
	// Reason is why a coupon was not applied, and ConflictsWith the
	// coupon that kept it out (exclusive, not_stackable).
	Reason        Reason      `json:"reason,omitempty"`
	ConflictsWith platform.ID `json:"conflicts_with,omitempty"`
	Explanation   Explanation `json:"explanation"`
}

// PricedOrder is the result of Price.
type PricedOrder struct {
	// Lines in the cart's order.
	Lines []PricedLine `json:"lines"`
	// Discounts sums each rule's, coupon's and the points' shares over the
	// lines, in the order they were applied; shipping waivers are here
	// too, with no line shares.
	Discounts []Discount     `json:"discounts,omitempty"`
	Coupons   []CouponResult `json:"coupons,omitempty"`
	Totals    Totals         `json:"totals"`
}

// CheckQuote compares the payable amount a client was shown with this
// pricing: nil when they match, else a 409 (CodePriceChanged) carrying the
// new totals as the problem member "totals".
func (o *PricedOrder) CheckQuote(quoted platform.Money) error {
	if quoted == o.Totals.Payable {
		return nil
	}
	err := platform.Errorf(CodePriceChanged, "", platform.FormatCNY(o.Totals.Payable))
	err.Extra = map[string]any{"totals": o.Totals}
	return err
}

// Explanation is a message key and its arguments: a line of the receipt a
// shopper reads, rendered in their language with Text.
type Explanation struct {
	Key  string `json:"key"`
	Args []Arg  `json:"args,omitempty"`
}

// Arg is one argument of an explanation: a literal value (a name, an
// amount as ¥12.50, a count) or a message key rendered in the same
// language (a discount rate: 8折 / 20% off).
type Arg struct {
	Value string `json:"value,omitempty"`
	Key   string `json:"key,omitempty"`
}

// Text renders the explanation in lang.
func (x Explanation) Text(lang platform.Lang) string {
	args := make([]any, len(x.Args))
	for i, a := range x.Args {
		if a.Key != "" {
			// A text used as an argument is not a format of its own:
			// only its escaped per cent signs need undoing.
			args[i] = strings.ReplaceAll(platform.T(lang, a.Key), "%%", "%")
		} else {
			args[i] = a.Value
		}
	}
	return platform.T(lang, x.Key, args...)
}

func explain(key string, args ...Arg) Explanation { return Explanation{Key: key, Args: args} }

func val(s string) Arg           { return Arg{Value: s} }
func money(m platform.Money) Arg { return Arg{Value: platform.FormatCNY(m)} }
func count(n int) Arg            { return Arg{Value: itoa(int64(n))} }
func rateArg(percent int) Arg    { return Arg{Key: rateKey(percent)} }
func rateKey(percent int) string { return "pricing.rate." + itoa(int64(percent)) }

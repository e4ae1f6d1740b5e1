package bench

import (
	"testing"
	"time"

	"storeops/internal/platform"
	"storeops/internal/pricing"
)

// pricingCart is a 10-line cart in 5 categories with 20 active rules of
// every kind, each matching some of its lines, three coupons (one kept
// out by stacking) and points.
func pricingCart() pricing.Input {
	at := time.Date(2026, 11, 11, 10, 0, 0, 0, time.UTC)
	in := pricing.Input{At: at, Customer: pricing.Customer{ID: 1, Tier: "gold"}, Shipping: 1000,
		Points: pricing.Points{Redeem: 5000, PerUnit: 100, UnitValue: 100, CapPercent: 10}}
	for i := range 10 {
		sku := platform.ID(i + 1)
		in.Lines = append(in.Lines, pricing.Line{SKUID: sku, ProductID: 100 + sku, CategoryPath: []platform.ID{platform.ID(10 + i%5), 9},
			UnitPrice: platform.Money(1990 + 1000*i), Quantity: 1 + i%3,
			MemberPrices: map[string]platform.Money{"gold": platform.Money(1890 + 1000*i)}})
	}
	for i := range 20 {
		id := platform.ID(100 + i)
		r := pricing.Rule{ID: id, Name: "rule"}
		cat := pricing.Scope{CategoryIDs: []platform.ID{platform.ID(10 + i%5)}}
		switch i % 5 {
		case 0:
			r.Kind, r.Percent, r.Scope = pricing.PercentOff, 5+i, cat
		case 1:
			r.Kind, r.Amount, r.Scope = pricing.AmountOff, platform.Money(100*i), pricing.Scope{SKUIDs: []platform.ID{platform.ID(1 + i%10)}}
		case 2:
			r.Kind, r.EveryN, r.Percent, r.Scope = pricing.MultiBuy, 2, 50, cat
		case 3:
			r.Kind, r.Price = pricing.Bundle, platform.Money(3000+100*i)
			r.Items = []pricing.BundleItem{{SKUID: platform.ID(1 + i%10), Quantity: 1}, {SKUID: platform.ID(1 + (i+3)%10), Quantity: 1}}
		case 4:
			r.Kind, r.Steps = pricing.Tiered, []pricing.Step{{Threshold: 10000, Off: 500 + platform.Money(i)}, {Threshold: 30000, Off: 2000}}
		}
		in.Rules = append(in.Rules, r)
	}
	for i, b := range []pricing.Batch{
		{Kind: pricing.CouponAmount, Amount: 2000, MinSpend: 20000},
		{Kind: pricing.CouponAmount, Amount: 1000, MinSpend: 10000},
		{Kind: pricing.CouponPercent, Percent: 10, MaxOff: 1500, Stackable: true},
	} {
		b.ID, b.Name = platform.ID(200+i), "coupon"
		in.Coupons = append(in.Coupons, pricing.Coupon{ID: platform.ID(300 + i), Code: "C" + b.ID.String(), Batch: b})
	}
	return in
}

var pricingSink platform.Money

// BenchmarkPrice prices a 10-line cart against 20 active rules, 3 coupons
// and points; the baseline only sums the cart's line totals, the least a
// checkout must do.
func BenchmarkPrice(b *testing.B) {
	in := pricingCart()
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			var sum platform.Money
			for _, l := range in.Lines {
				sum += l.UnitPrice * platform.Money(l.Quantity)
			}
			pricingSink = sum
		}
	})
	b.Run("price", func(b *testing.B) {
		for b.Loop() {
			out, err := pricing.Price(in)
			if err != nil {
				b.Fatal(err)
			}
			pricingSink = out.Totals.Payable
		}
	})
	b.Run("no_rules", func(b *testing.B) {
		plain := pricing.Input{At: in.At, Lines: in.Lines, Shipping: in.Shipping}
		for b.Loop() {
			out, err := pricing.Price(plain)
			if err != nil {
				b.Fatal(err)
			}
			pricingSink = out.Totals.Payable
		}
	})
}

// TestPricingCart keeps the benchmark honest: its rules and coupons are
// valid and take something off.
func TestPricingCart(t *testing.T) {
	in := pricingCart()
	for _, r := range in.Rules {
		if err := r.Validate(); err != nil {
			t.Fatalf("rule %d: %v", r.ID, err)
		}
	}
	out, err := pricing.Price(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Discounts) < 8 || out.Totals.Points == 0 {
		t.Errorf("the benchmark cart applies too little: %+v", out.Totals)
	}
	for _, c := range out.Coupons {
		if !c.Applied && c.Reason != pricing.ReasonNotStackable {
			t.Errorf("coupon %d: %s", c.CouponID, c.Reason)
		}
	}
}

package pricing

import (
	"errors"
	"slices"
	"testing"
	"time"

	"storeops/internal/platform"
)

// at is the moment every test prices at unless it says otherwise.
var at = time.Date(2026, 11, 11, 10, 0, 0, 0, time.UTC)

// ln is a cart line: SKU sku of product 1000+sku, in the given categories.
func ln(sku int64, price platform.Money, qty int, cats ...platform.ID) Line {
	return Line{SKUID: platform.ID(sku), ProductID: platform.ID(1000 + sku), CategoryPath: cats, UnitPrice: price, Quantity: qty}
}

func yuan(y int64) platform.Money { return platform.Yuan(y, 0) }

func skus(ids ...int64) Scope {
	s := Scope{}
	for _, id := range ids {
		s.SKUIDs = append(s.SKUIDs, platform.ID(id))
	}
	return s
}

func cats(ids ...int64) Scope {
	s := Scope{}
	for _, id := range ids {
		s.CategoryIDs = append(s.CategoryIDs, platform.ID(id))
	}
	return s
}

func percentRule(id int64, p int, s Scope) Rule {
	return Rule{ID: platform.ID(id), Name: "折扣", Kind: PercentOff, Percent: p, Scope: s}
}

func amountRule(id int64, off platform.Money, s Scope) Rule {
	return Rule{ID: platform.ID(id), Name: "立减", Kind: AmountOff, Amount: off, Scope: s}
}

func multiBuyRule(id int64, n, p int, s Scope) Rule {
	return Rule{ID: platform.ID(id), Name: "满件折", Kind: MultiBuy, EveryN: n, Percent: p, Scope: s}
}

func tieredRule(id int64, s Scope, steps ...Step) Rule {
	return Rule{ID: platform.ID(id), Name: "满减", Kind: Tiered, Steps: steps, Scope: s}
}

func amountCoupon(id int64, off, minSpend platform.Money) Coupon {
	return Coupon{ID: platform.ID(id), Code: "C" + itoa(id), Batch: Batch{ID: platform.ID(500 + id), Name: "券" + itoa(id), Kind: CouponAmount, Amount: off, MinSpend: minSpend}}
}

// mustPrice prices in, checks every invariant of the result and returns it.
func mustPrice(t testing.TB, in Input) *PricedOrder {
	t.Helper()
	out, err := Price(in)
	if err != nil {
		t.Fatalf("Price: %v", err)
	}
	checkInvariants(t, in, out)
	return out
}

// checkInvariants asserts what must hold for every priced order: line
// totals add up and never go negative at any step, each source's line
// shares sum to its order-level amount, the totals add up, and coupon
// results agree with the discounts.
func checkInvariants(t testing.TB, in Input, out *PricedOrder) {
	t.Helper()
	if len(out.Lines) != len(in.Lines) {
		t.Fatalf("%d priced lines for %d cart lines", len(out.Lines), len(in.Lines))
	}
	perSource := map[discountKey]platform.Money{}
	var items, member, disc, pts platform.Money
	for i, pl := range out.Lines {
		l := in.Lines[i]
		if pl.SKUID != l.SKUID || pl.ListTotal != l.UnitPrice*platform.Money(l.Quantity) {
			t.Errorf("line %d: sku %d list %d, want sku %d list %d×%d", i, pl.SKUID, pl.ListTotal, l.SKUID, l.UnitPrice, l.Quantity)
		}
		if pl.MemberAdjustment < 0 || pl.MemberAdjustment > pl.ListTotal {
			t.Errorf("line %d: member adjustment %d of %d", i, pl.MemberAdjustment, pl.ListTotal)
		}
		running := pl.ListTotal - pl.MemberAdjustment
		for _, d := range pl.Discounts {
			if d.Amount <= 0 || d.Amount > running {
				t.Errorf("line %d: discount %+v on %d left", i, d, running)
			}
			running -= d.Amount
			perSource[discountKey{d.Source, d.ID}] += d.Amount
			if d.Source == FromPoints {
				pts += d.Amount
			} else {
				disc += d.Amount
			}
		}
		if pl.Total != running || pl.Total < 0 {
			t.Errorf("line %d: total %d, discounts leave %d", i, pl.Total, running)
		}
		items += pl.ListTotal
		member += pl.MemberAdjustment
	}
	var shipWaived platform.Money
	for _, d := range out.Discounts {
		k := discountKey{d.Source, d.ID}
		if d.Kind == string(FreeShipping) || d.Kind == string(CouponFreeShipping) {
			shipWaived += d.Amount
			if perSource[k] != 0 {
				t.Errorf("shipping waiver %+v has line shares", d)
			}
			continue
		}
		if perSource[k] != d.Amount {
			t.Errorf("source %+v: order amount %d, line shares sum to %d", k, d.Amount, perSource[k])
		}
		delete(perSource, k)
	}
	if len(perSource) > 0 {
		t.Errorf("line discounts with no order entry: %v", perSource)
	}
	tot := out.Totals
	want := Totals{Items: items, MemberAdjustment: member, Discount: disc, Points: pts, PointsUsed: tot.PointsUsed,
		Shipping: in.Shipping, ShippingDiscount: shipWaived,
		Payable: items - member - disc - pts + in.Shipping - shipWaived}
	if tot != want {
		t.Errorf("totals %+v, want %+v", tot, want)
	}
	if tot.Payable < 0 || tot.ShippingDiscount > tot.Shipping {
		t.Errorf("totals out of range: %+v", tot)
	}
	if in.Points.PerUnit > 0 && tot.PointsUsed%in.Points.PerUnit != 0 || tot.PointsUsed > in.Points.Redeem {
		t.Errorf("points used %d of %d (per unit %d)", tot.PointsUsed, in.Points.Redeem, in.Points.PerUnit)
	}
	if tot.PointsUsed > 0 && platform.Money(tot.PointsUsed/in.Points.PerUnit)*in.Points.UnitValue != tot.Points {
		t.Errorf("points %d worth %d at %d per %d", tot.PointsUsed, tot.Points, in.Points.UnitValue, in.Points.PerUnit)
	}
	if len(out.Coupons) != len(in.Coupons) {
		t.Fatalf("%d coupon results for %d coupons", len(out.Coupons), len(in.Coupons))
	}
	for i, cr := range out.Coupons {
		var got platform.Money
		for _, d := range out.Discounts {
			if d.Source == FromCoupon && d.ID == cr.CouponID {
				got += d.Amount
			}
		}
		if cr.CouponID != in.Coupons[i].ID || cr.Applied != (cr.Reason == "") || (cr.Applied && cr.Amount != got) || (cr.Applied && cr.Amount <= 0) {
			t.Errorf("coupon %d: %+v, discounts %d", i, cr, got)
		}
		if !platform.HasMessage(cr.Explanation.Key) {
			t.Errorf("coupon %d: explanation key %q unknown", i, cr.Explanation.Key)
		}
	}
}

// lineTotals are the priced lines' totals in cart order.
func lineTotals(o *PricedOrder) []platform.Money {
	var out []platform.Money
	for _, l := range o.Lines {
		out = append(out, l.Total)
	}
	return out
}

// fields are the invalid field names of a CodeInvalid error, sorted.
func fields(t *testing.T, err error) []string {
	t.Helper()
	var e *platform.Error
	if !errors.As(err, &e) || e.Code != platform.CodeInvalid {
		t.Fatalf("error %v, want %s", err, platform.CodeInvalid)
	}
	var out []string
	for _, f := range e.Fields {
		if !platform.HasMessage(f.Key) {
			t.Errorf("field %s: message %q unknown", f.Field, f.Key)
		}
		out = append(out, f.Field)
	}
	slices.Sort(out)
	return out
}

package pricing

import (
	"cmp"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"storeops/internal/platform"
)

// randomInput is a cart with random lines, rules, coupons, points and
// shipping; every rule in it is valid (Price refuses invalid rules), the
// coupons may not be.
func randomInput(r *rand.Rand) Input {
	in := Input{At: at, Shipping: platform.Money(r.IntN(3) * 500)}
	tiers := []string{"", "gold", "silver"}
	in.Customer = Customer{ID: platform.ID(r.IntN(3)), Tier: tiers[r.IntN(3)], FirstOrder: r.IntN(2) == 0}
	for _, sku := range r.Perm(30)[:1+r.IntN(12)] {
		l := ln(int64(sku+1), randomPrice(r), 1+r.IntN(6), platform.ID(1+sku%5), platform.ID(10+sku%2))
		if r.IntN(10) == 0 {
			l.Quantity = 1 + r.IntN(MaxQuantity)
		}
		if r.IntN(4) == 0 {
			l.MemberPrices = map[string]platform.Money{"gold": l.UnitPrice * 9 / 10, "silver": l.UnitPrice + 1}
		}
		in.Lines = append(in.Lines, l)
	}
	for i := range r.IntN(21) {
		if rule := randomRule(r, platform.ID(100+i)); rule.Validate() == nil {
			in.Rules = append(in.Rules, rule)
		}
	}
	for i := range r.IntN(6) {
		in.Coupons = append(in.Coupons, randomCoupon(r, platform.ID(200+i)))
	}
	if r.IntN(2) == 0 {
		in.Points = Points{Redeem: r.Int64N(1_000_000), PerUnit: 1 + r.Int64N(200), UnitValue: platform.Money(1 + r.IntN(200)),
			CapPercent: r.IntN(101), CapAmount: platform.Money(r.IntN(2) * r.IntN(100_000))}
	}
	return in
}

func randomPrice(r *rand.Rand) platform.Money {
	switch r.IntN(10) {
	case 0:
		return 0
	case 1:
		return platform.Money(r.Int64N(int64(MaxUnitPrice) + 1))
	}
	return platform.Money(1 + r.IntN(60_000))
}

func randomScope(r *rand.Rand) Scope {
	var s Scope
	switch r.IntN(4) {
	case 1:
		s.SKUIDs = []platform.ID{platform.ID(1 + r.IntN(30)), platform.ID(1 + r.IntN(30))}
	case 2:
		s.CategoryIDs = []platform.ID{platform.ID(1 + r.IntN(5))}
	case 3:
		s.ProductIDs = []platform.ID{platform.ID(1001 + r.IntN(30))}
	}
	if r.IntN(5) == 0 {
		s.ExcludeSKUIDs = []platform.ID{platform.ID(1 + r.IntN(30))}
	}
	return s
}

func randomRule(r *rand.Rand, id platform.ID) Rule {
	kinds := []RuleKind{PercentOff, AmountOff, MultiBuy, Bundle, Tiered, FreeShipping}
	rule := Rule{ID: id, Name: "规则" + id.String(), Kind: kinds[r.IntN(len(kinds))], Scope: randomScope(r)}
	switch r.IntN(8) {
	case 0:
		rule.EndsAt = at
	case 1:
		rule.Tiers = []string{"gold"}
	case 2:
		rule.FirstOrderOnly = true
	case 3:
		rule.Hours = &Hours{From: "08:00", To: "12:00"}
	}
	switch rule.Kind {
	case PercentOff:
		rule.Percent = 1 + r.IntN(99)
	case AmountOff:
		rule.Amount = platform.Money(1 + r.IntN(5000))
	case MultiBuy:
		rule.EveryN, rule.Percent = 2+r.IntN(3), 1+r.IntN(100)
	case Bundle:
		a, b := 1+r.IntN(30), 1+r.IntN(30)
		rule.Items = []BundleItem{{platform.ID(a), 1 + r.IntN(2)}}
		if a != b {
			rule.Items = append(rule.Items, BundleItem{platform.ID(b), 1})
		}
		rule.Price = platform.Money(1 + r.IntN(50_000))
	case Tiered:
		t := platform.Money(1 + r.IntN(30_000))
		o := 1 + platform.Money(r.Int64N(int64(t)))
		rule.Steps = []Step{{t, o}}
		if r.IntN(3) == 0 {
			rule.Repeat, rule.MaxOff = true, platform.Money(r.IntN(2)*r.IntN(20_000))
		} else {
			rule.Steps = append(rule.Steps, Step{2 * t, o + 1 + platform.Money(r.Int64N(int64(t)))})
		}
	case FreeShipping:
		rule.Threshold = platform.Money(r.IntN(20_000))
	}
	return rule
}

func randomCoupon(r *rand.Rand, id platform.ID) Coupon {
	kinds := []CouponKind{CouponAmount, CouponPercent, CouponFreeShipping}
	b := Batch{ID: 1000 + id, Name: "券" + id.String(), Kind: kinds[r.IntN(3)], Scope: randomScope(r),
		MinSpend: platform.Money(r.IntN(2) * r.IntN(30_000)), Stackable: r.IntN(2) == 0, Exclusive: r.IntN(6) == 0}
	switch b.Kind {
	case CouponAmount:
		b.Amount = platform.Money(1 + r.IntN(10_000))
		if b.MinSpend > 0 {
			b.Amount = min(b.Amount, b.MinSpend)
		}
	case CouponPercent:
		b.Percent, b.MaxOff = 1+r.IntN(99), platform.Money(r.IntN(2)*r.IntN(5000))
	case CouponFreeShipping:
		b.Amount = platform.Money(r.IntN(2) * r.IntN(1000))
	}
	if r.IntN(4) == 0 {
		b.NotWith = []platform.ID{1200 + platform.ID(r.IntN(6))}
	}
	c := Coupon{ID: id, Code: "CODE" + id.String(), Batch: b}
	if r.IntN(6) == 0 {
		c.Batch.PerCustomer, c.CustomerUses = 1, r.IntN(2)
	}
	if r.IntN(8) == 0 {
		c.Spent = true
	}
	return c
}

// normal puts a priced order's lines and coupons in id order, so pricings
// of shuffled inputs compare equal.
func normal(o *PricedOrder) *PricedOrder {
	n := *o
	n.Lines = slices.Clone(o.Lines)
	slices.SortFunc(n.Lines, func(a, b PricedLine) int { return cmp.Compare(a.SKUID, b.SKUID) })
	n.Coupons = slices.Clone(o.Coupons)
	slices.SortStableFunc(n.Coupons, func(a, b CouponResult) int { return cmp.Compare(a.CouponID, b.CouponID) })
	return &n
}

// TestRandomCarts: for random carts, every invariant holds (sums exact, no
// line below zero at any step, no discount above what it applies to), the
// result does not depend on the order of lines, rules and coupons, and it
// survives a JSON round trip of the input and of itself.
func TestRandomCarts(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	for seed := range uint64(n) {
		r := rand.New(rand.NewPCG(seed, 7))
		in := randomInput(r)
		out := mustPrice(t, in)
		if t.Failed() {
			t.Fatalf("seed %d", seed)
		}
		shuffled := in
		shuffled.Lines, shuffled.Rules, shuffled.Coupons = slices.Clone(in.Lines), slices.Clone(in.Rules), slices.Clone(in.Coupons)
		r.Shuffle(len(shuffled.Lines), func(i, j int) { shuffled.Lines[i], shuffled.Lines[j] = shuffled.Lines[j], shuffled.Lines[i] })
		r.Shuffle(len(shuffled.Rules), func(i, j int) { shuffled.Rules[i], shuffled.Rules[j] = shuffled.Rules[j], shuffled.Rules[i] })
		r.Shuffle(len(shuffled.Coupons), func(i, j int) { shuffled.Coupons[i], shuffled.Coupons[j] = shuffled.Coupons[j], shuffled.Coupons[i] })
		if again := mustPrice(t, shuffled); !reflect.DeepEqual(normal(again), normal(out)) {
			t.Fatalf("seed %d: shuffled input priced differently:\n%+v\n%+v", seed, normal(again).Totals, normal(out).Totals)
		}
		var back Input
		roundTrip(t, in, &back)
		if again := mustPrice(t, back); !reflect.DeepEqual(again, out) {
			t.Fatalf("seed %d: input after a JSON round trip priced differently", seed)
		}
		var stored PricedOrder
		roundTrip(t, out, &stored)
		if !reflect.DeepEqual(&stored, out) {
			t.Fatalf("seed %d: priced order changed in a JSON round trip", seed)
		}
	}
}

func roundTrip(t *testing.T, v, into any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatal(err)
	}
}

// TestRulesApplyAtAll guards the random test against a generator whose
// rules never fire: over the seeds, each kind of discount shows up.
func TestRulesApplyAtAll(t *testing.T) {
	seen := map[string]bool{}
	for seed := range uint64(500) {
		out := mustPrice(t, randomInput(rand.New(rand.NewPCG(seed, 7))))
		for _, d := range out.Discounts {
			seen[string(d.Source)+":"+d.Kind] = true
		}
		for _, c := range out.Coupons {
			seen["reason:"+string(c.Reason)] = true
		}
	}
	for _, k := range []string{"rule:percent_off", "rule:amount_off", "rule:multi_buy", "rule:bundle", "rule:tiered", "rule:free_shipping",
		"coupon:amount", "coupon:percent", "coupon:free_shipping", "points:",
		"reason:", "reason:not_stackable", "reason:exclusive", "reason:below_minimum", "reason:out_of_scope", "reason:spent"} {
		if !seen[k] {
			t.Errorf("no %s in 500 random carts", k)
		}
	}
}

func FuzzPrice(f *testing.F) {
	for _, s := range []uint64{0, 1, 42, 1 << 40} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		mustPrice(t, randomInput(rand.New(rand.NewPCG(seed, seed>>7))))
	})
}

// FuzzSplit: any total up to the weights' sum splits exactly, each share
// between zero and its weight.
func FuzzSplit(f *testing.F) {
	f.Add(int64(100), []byte{1, 2, 3})
	f.Add(int64(0), []byte{})
	f.Add(int64(1<<62), []byte{255, 0, 0, 255, 7})
	f.Fuzz(func(t *testing.T, total int64, raw []byte) {
		weights := make([]int64, len(raw))
		var sum int64
		for i, b := range raw {
			weights[i] = int64(b) * int64(b) * 1_000_003 // big, uneven weights
			sum += weights[i]
		}
		if total < 0 {
			total = -(total + 1)
		}
		if sum == 0 {
			total = 0
		} else {
			total %= sum + 1
		}
		shares := split(platform.Money(total), weights)
		var got int64
		for i, s := range shares {
			if s < 0 || int64(s) > weights[i] {
				t.Fatalf("share %d of weight %d", s, weights[i])
			}
			got += int64(s)
		}
		if len(raw) > 0 && got != total {
			t.Fatalf("shares sum to %d, want %d", got, total)
		}
	})
}

// TestLargeAmounts: the largest carts the bounds allow price without
// overflow.
func TestLargeAmounts(t *testing.T) {
	var lines []Line
	for i := range MaxLines {
		lines = append(lines, ln(int64(i+1), MaxUnitPrice, MaxQuantity))
	}
	in := Input{At: at, Lines: lines, Shipping: MaxUnitPrice,
		Rules:  []Rule{percentRule(1, 33, Scope{}), multiBuyRule(2, 3, 100, Scope{}), tieredRule(3, Scope{}, Step{MaxUnitPrice, MaxUnitPrice})},
		Points: Points{Redeem: 1 << 62, PerUnit: 1, UnitValue: 7, CapPercent: 99}}
	out := mustPrice(t, in)
	if out.Totals.Payable <= 0 || out.Totals.Items != MaxUnitPrice*MaxQuantity*MaxLines {
		t.Errorf("totals %+v", out.Totals)
	}
}

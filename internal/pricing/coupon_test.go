package pricing

import (
	"testing"
	"time"

	"storeops/internal/platform"
)

// couponOutcome is what a test expects of one coupon.
type couponOutcome struct {
	applied  bool
	amount   platform.Money
	reason   Reason
	conflict platform.ID
}

func TestCouponReasons(t *testing.T) {
	cart := []Line{ln(1, yuan(150), 1, 5), ln(2, yuan(100), 1, 6)}
	me := Customer{ID: 42, Tier: "silver"}
	with := func(f func(c *Coupon)) Coupon { c := amountCoupon(1, yuan(20), yuan(200)); f(&c); return c }
	cases := []struct {
		name     string
		customer Customer
		shipping platform.Money
		coupon   Coupon
		want     couponOutcome
	}{
		{"applies", me, 0, with(func(*Coupon) {}), couponOutcome{applied: true, amount: yuan(20)}},
		{"no minimum", me, 0, with(func(c *Coupon) { c.Batch.MinSpend = 0 }), couponOutcome{applied: true, amount: yuan(20)}},
		{"exactly the minimum", me, 0, with(func(c *Coupon) { c.Batch.MinSpend = yuan(250) }), couponOutcome{applied: true, amount: yuan(20)}},
		{"below minimum", me, 0, with(func(c *Coupon) { c.Batch.MinSpend = 25001 }), couponOutcome{reason: ReasonBelowMinimum}},
		{"scoped minimum", me, 0, with(func(c *Coupon) { c.Batch.Scope = cats(5) }), couponOutcome{reason: ReasonBelowMinimum}},
		{"out of scope", me, 0, with(func(c *Coupon) { c.Batch.Scope = cats(7) }), couponOutcome{reason: ReasonOutOfScope}},
		{"capped at the covered amount", me, 0, with(func(c *Coupon) { c.Batch.Scope = cats(6); c.Batch.MinSpend = 0; c.Batch.Amount = yuan(120) }),
			couponOutcome{applied: true, amount: yuan(100)}},
		{"not started", me, 0, with(func(c *Coupon) { c.Batch.StartsAt = at.Add(time.Minute) }), couponOutcome{reason: ReasonNotStarted}},
		{"expired", me, 0, with(func(c *Coupon) { c.Batch.EndsAt = at }), couponOutcome{reason: ReasonExpired}},
		{"code expired inside the batch window", me, 0, with(func(c *Coupon) { c.EndsAt = at.Add(-time.Second) }), couponOutcome{reason: ReasonExpired}},
		{"code not yet valid", me, 0, with(func(c *Coupon) { c.StartsAt = at.Add(time.Second) }), couponOutcome{reason: ReasonNotStarted}},
		{"spent", me, 0, with(func(c *Coupon) { c.Spent = true }), couponOutcome{reason: ReasonSpent}},
		{"total limit reached", me, 0, with(func(c *Coupon) { c.Batch.Total = 100; c.BatchUses = 100 }), couponOutcome{reason: ReasonLimitReached}},
		{"total limit not reached", me, 0, with(func(c *Coupon) { c.Batch.Total = 100; c.BatchUses = 99 }), couponOutcome{applied: true, amount: yuan(20)}},
		{"customer limit reached", me, 0, with(func(c *Coupon) { c.Batch.PerCustomer = 1; c.CustomerUses = 1 }), couponOutcome{reason: ReasonCustomerLimit}},
		{"customer limit for a guest", Customer{}, 0, with(func(c *Coupon) { c.Batch.PerCustomer = 1 }), couponOutcome{reason: ReasonSignInRequired}},
		{"another customer's code", me, 0, with(func(c *Coupon) { c.OwnerID = 43 }), couponOutcome{reason: ReasonNotOwner}},
		{"own code", me, 0, with(func(c *Coupon) { c.OwnerID = 42 }), couponOutcome{applied: true, amount: yuan(20)}},
		{"other tier", me, 0, with(func(c *Coupon) { c.Batch.Tiers = []string{"gold"} }), couponOutcome{reason: ReasonTier}},
		{"own tier", me, 0, with(func(c *Coupon) { c.Batch.Tiers = []string{"gold", "silver"} }), couponOutcome{applied: true, amount: yuan(20)}},
		{"first order only", me, 0, with(func(c *Coupon) { c.Batch.FirstOrderOnly = true }), couponOutcome{reason: ReasonFirstOrderOnly}},
		{"invalid definition", me, 0, with(func(c *Coupon) { c.Batch.Amount = -5 }), couponOutcome{reason: ReasonInvalid}},
		{"percent", me, 0, with(func(c *Coupon) { c.Batch.Kind, c.Batch.Percent, c.Batch.Amount = CouponPercent, 15, 0 }), couponOutcome{applied: true, amount: 3750}},
		{"percent capped", me, 0, with(func(c *Coupon) {
			c.Batch.Kind, c.Batch.Percent, c.Batch.MaxOff, c.Batch.Amount = CouponPercent, 15, yuan(30), 0
		}),
			couponOutcome{applied: true, amount: yuan(30)}},
		{"free shipping", me, 800, with(func(c *Coupon) { c.Batch.Kind, c.Batch.Amount = CouponFreeShipping, 0 }), couponOutcome{applied: true, amount: 800}},
		{"free shipping up to a cap", me, 800, with(func(c *Coupon) { c.Batch.Kind, c.Batch.Amount = CouponFreeShipping, 500 }), couponOutcome{applied: true, amount: 500}},
		{"free shipping with no fee", me, 0, with(func(c *Coupon) { c.Batch.Kind, c.Batch.Amount = CouponFreeShipping, 0 }), couponOutcome{reason: ReasonNoShipping}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := mustPrice(t, Input{At: at, Lines: cart, Customer: tc.customer, Shipping: tc.shipping, Coupons: []Coupon{tc.coupon}})
			checkCoupon(t, out.Coupons[0], tc.want)
		})
	}
}

func checkCoupon(t *testing.T, got CouponResult, want couponOutcome) {
	t.Helper()
	if got.Applied != want.applied || got.Amount != want.amount || got.Reason != want.reason || got.ConflictsWith != want.conflict {
		t.Errorf("coupon %d: applied %v amount %d reason %q conflicts %d; want %+v", got.CouponID, got.Applied, got.Amount, got.Reason, got.ConflictsWith, want)
	}
}

func TestCouponCombinations(t *testing.T) {
	cart := []Line{ln(1, yuan(300), 1), ln(2, yuan(100), 1)}
	c := func(id int64, off platform.Money, f func(b *Batch)) Coupon {
		cp := amountCoupon(id, off, 0)
		f(&cp.Batch)
		return cp
	}
	plain := func(*Batch) {}
	stack := func(b *Batch) { b.Stackable = true }
	excl := func(b *Batch) { b.Exclusive = true }
	cases := []struct {
		name    string
		coupons []Coupon
		want    []couponOutcome // in the order given
		payable platform.Money
	}{
		{"best non-stackable wins", []Coupon{c(1, yuan(10), plain), c(2, yuan(30), plain)},
			[]couponOutcome{{reason: ReasonNotStackable, conflict: 2}, {applied: true, amount: yuan(30)}}, yuan(370)},
		{"tie goes to the lower id", []Coupon{c(2, yuan(30), plain), c(1, yuan(30), plain)},
			[]couponOutcome{{reason: ReasonNotStackable, conflict: 1}, {applied: true, amount: yuan(30)}}, yuan(370)},
		{"stackable join one non-stackable", []Coupon{c(3, yuan(5), stack), c(1, yuan(10), plain), c(2, yuan(7), stack)},
			[]couponOutcome{{applied: true, amount: yuan(5)}, {applied: true, amount: yuan(10)}, {applied: true, amount: yuan(7)}}, yuan(378)},
		{"exclusive applies alone", []Coupon{c(1, yuan(50), plain), c(2, yuan(20), excl), c(3, yuan(5), stack)},
			[]couponOutcome{{reason: ReasonExclusive, conflict: 2}, {applied: true, amount: yuan(20)}, {reason: ReasonExclusive, conflict: 2}}, yuan(380)},
		{"best exclusive", []Coupon{c(1, yuan(10), excl), c(2, yuan(20), excl)},
			[]couponOutcome{{reason: ReasonExclusive, conflict: 2}, {applied: true, amount: yuan(20)}}, yuan(380)},
		{"not with a batch", []Coupon{c(1, yuan(10), plain), c(2, yuan(5), func(b *Batch) { b.Stackable = true; b.NotWith = []platform.ID{501} }), c(3, yuan(1), stack)},
			[]couponOutcome{{applied: true, amount: yuan(10)}, {reason: ReasonNotStackable, conflict: 1}, {applied: true, amount: yuan(1)}}, yuan(389)},
		{"not with, listed on the other side", []Coupon{c(1, yuan(10), func(b *Batch) { b.Stackable = true; b.NotWith = []platform.ID{502} }), c(2, yuan(5), stack)},
			[]couponOutcome{{applied: true, amount: yuan(10)}, {reason: ReasonNotStackable, conflict: 1}}, yuan(390)},
		{"duplicate", []Coupon{c(1, yuan(10), stack), c(1, yuan(10), stack)},
			[]couponOutcome{{applied: true, amount: yuan(10)}, {reason: ReasonDuplicate}}, yuan(390)},
		{"stackable left nothing", []Coupon{c(1, yuan(400), stack), c(2, yuan(1), stack)},
			[]couponOutcome{{applied: true, amount: yuan(400)}, {reason: ReasonOutOfScope}}, 0},
		{"a rejected coupon does not block", []Coupon{c(1, yuan(50), func(b *Batch) { b.EndsAt = at }), c(2, yuan(20), plain)},
			[]couponOutcome{{reason: ReasonExpired}, {applied: true, amount: yuan(20)}}, yuan(380)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := mustPrice(t, Input{At: at, Lines: cart, Customer: Customer{ID: 1}, Coupons: tc.coupons})
			for i, w := range tc.want {
				checkCoupon(t, out.Coupons[i], w)
			}
			if out.Totals.Payable != tc.payable {
				t.Errorf("payable %d, want %d", out.Totals.Payable, tc.payable)
			}
		})
	}
}

// TestCouponsAfterRules: minimum spend is measured after rules, and the
// coupon comes off what the rules left.
func TestCouponsAfterRules(t *testing.T) {
	cart := []Line{ln(1, yuan(220), 1)}
	rules := []Rule{tieredRule(1, Scope{}, Step{yuan(200), yuan(30)})}
	out := mustPrice(t, Input{At: at, Lines: cart, Rules: rules, Coupons: []Coupon{amountCoupon(1, yuan(20), yuan(200))}})
	checkCoupon(t, out.Coupons[0], couponOutcome{reason: ReasonBelowMinimum})
	if x := out.Coupons[0].Explanation.Text(platform.EN); x != "Spend ¥200.00 on covered items to use this coupon" {
		t.Errorf("explanation %q", x)
	}
	out = mustPrice(t, Input{At: at, Lines: cart, Rules: rules, Coupons: []Coupon{amountCoupon(1, yuan(20), yuan(190))}})
	checkCoupon(t, out.Coupons[0], couponOutcome{applied: true, amount: yuan(20)})
	if out.Totals.Payable != yuan(170) || out.Totals.Discount != yuan(50) {
		t.Errorf("totals %+v", out.Totals)
	}
}

// TestExclusiveWorthNothing: an exclusive coupon that takes nothing off (10%
// of 4 fen rounds to 0) does not keep the other coupons out.
func TestExclusiveWorthNothing(t *testing.T) {
	excl := Coupon{ID: 1, Code: "X", Batch: Batch{ID: 501, Name: "独享", Kind: CouponPercent, Percent: 10, Exclusive: true}}
	out := mustPrice(t, Input{At: at, Lines: []Line{ln(1, 4, 1)}, Coupons: []Coupon{excl, amountCoupon(2, 3, 0)}})
	checkCoupon(t, out.Coupons[0], couponOutcome{reason: ReasonOutOfScope})
	checkCoupon(t, out.Coupons[1], couponOutcome{applied: true, amount: 3})
}

package pricing

import (
	"cmp"
	"slices"

	"storeops/internal/platform"
)

// candidate is a coupon that passed its own checks.
type candidate struct {
	c      *Coupon
	result *CouponResult
}

// coupons checks every applied coupon, then applies the exclusive one, or
// the best non-stackable one and the stackable ones (see the package doc).
func (p *pricer) coupons() {
	n := len(p.in.Coupons)
	if n == 0 {
		return
	}
	p.order.Coupons = make([]CouponResult, n)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(p.in.Coupons[a].ID, p.in.Coupons[b].ID) })
	var cands []candidate
	seen := map[platform.ID]bool{}
	seenCode := map[string]bool{}
	for _, i := range idx {
		c := &p.in.Coupons[i]
		res := &p.order.Coupons[i]
		*res = CouponResult{CouponID: c.ID, Code: c.Code, BatchID: c.Batch.ID}
		reason, arg := ReasonDuplicate, Arg{}
		if !seen[c.ID] && !seenCode[c.Code] {
			reason, arg = p.couponCheck(c)
		}
		seen[c.ID], seenCode[c.Code] = true, true
		if reason != "" {
			reject(res, reason, nil, arg)
			continue
		}
		cands = append(cands, candidate{c, res})
	}
	if len(cands) == 0 {
		return
	}
	var first *candidate
	if ex := filter(cands, func(c candidate) bool { return c.c.Batch.Exclusive }); len(ex) > 0 {
		first = p.bestCoupon(ex)
		if p.applyCoupon(first) {
			for _, c := range cands {
				if c.c != first.c {
					reject(c.result, ReasonExclusive, first.c, val(first.c.Batch.Name))
				}
			}
			return
		}
		// The best exclusive coupon is worth nothing here (a percentage
		// of a few fen), so none is: the others go on without them.
		for _, c := range ex {
			reject(c.result, ReasonOutOfScope, nil, Arg{})
		}
		cands = filter(cands, func(c candidate) bool { return !c.c.Batch.Exclusive })
	}
	applied := []*Coupon{}
	if ns := filter(cands, func(c candidate) bool { return !c.c.Batch.Stackable }); len(ns) > 0 {
		first = p.bestCoupon(ns)
		p.applyCoupon(first)
		applied = append(applied, first.c)
		for _, c := range ns {
			if c.c != first.c {
				reject(c.result, ReasonNotStackable, first.c, val(first.c.Batch.Name))
			}
		}
	}
	for _, c := range cands {
		if !c.c.Batch.Stackable {
			continue
		}
		if other := conflict(c.c, applied); other != nil {
			reject(c.result, ReasonNotStackable, other, val(other.Batch.Name))
			continue
		}
		if p.applyCoupon(&c) {
			applied = append(applied, c.c)
		}
	}
}

// couponCheck is why a coupon cannot apply to this order on its own, with
// the reason's argument, or "".
func (p *pricer) couponCheck(c *Coupon) (Reason, Arg) {
	if r := c.eligibility(p.in.Customer, p.in.At); r != "" {
		return r, Arg{}
	}
	b := &c.Batch
	lines := p.covered(b.Scope, nil)
	if len(lines) == 0 {
		return ReasonOutOfScope, Arg{}
	}
	if sumCur(lines) < b.MinSpend {
		return ReasonBelowMinimum, money(b.MinSpend)
	}
	if b.Kind == CouponFreeShipping && p.shipLeft == 0 {
		return ReasonNoShipping, Arg{}
	}
	return "", Arg{}
}

// couponValue is what the coupon would take off now, and the lines it
// would take it from (none for free shipping).
func (p *pricer) couponValue(c *Coupon) (platform.Money, []*line) {
	b := &c.Batch
	if b.Kind == CouponFreeShipping {
		if b.Amount > 0 {
			return min(p.shipLeft, b.Amount), nil
		}
		return p.shipLeft, nil
	}
	lines := p.covered(b.Scope, nil)
	amount := sumCur(lines)
	if b.Kind == CouponAmount {
		return min(b.Amount, amount), lines
	}
	off := percentOf(amount, b.Percent)
	if b.MaxOff > 0 {
		off = min(off, b.MaxOff)
	}
	return off, lines
}

// bestCoupon is the candidate worth most now (ties to the lower id; the
// candidates are in id order).
func (p *pricer) bestCoupon(cs []candidate) *candidate {
	best, bestV := &cs[0], platform.Money(-1)
	for i := range cs {
		if v, _ := p.couponValue(cs[i].c); v > bestV {
			best, bestV = &cs[i], v
		}
	}
	return best
}

// applyCoupon takes the coupon off the order; false (and a rejection) when
// the coupons before it left nothing for it.
func (p *pricer) applyCoupon(c *candidate) bool {
	b := &c.c.Batch
	v, lines := p.couponValue(c.c)
	if v == 0 {
		r := ReasonOutOfScope
		if b.Kind == CouponFreeShipping {
			r = ReasonNoShipping
		}
		reject(c.result, r, nil, Arg{})
		return false
	}
	var x Explanation
	switch b.Kind {
	case CouponAmount:
		x = explain(keyCouponAmount, val(b.Name), money(v))
	case CouponPercent:
		x = explain(keyCouponPct, val(b.Name), rateArg(b.Percent))
	default:
		x = explain(keyCouponShip, val(b.Name))
	}
	d := Discount{Source: FromCoupon, ID: c.c.ID, Kind: string(b.Kind), Explanation: x}
	if b.Kind == CouponFreeShipping {
		p.shipLeft -= v
		p.record(d, v)
	} else {
		p.apply(d, lines, split(v, curs(lines)))
	}
	c.result.Applied, c.result.Amount, c.result.Explanation = true, v, x
	return true
}

// conflict is the applied coupon c does not combine with, by either
// batch's NotWith list, or nil.
func conflict(c *Coupon, applied []*Coupon) *Coupon {
	for _, a := range applied {
		if slices.Contains(c.Batch.NotWith, a.Batch.ID) || slices.Contains(a.Batch.NotWith, c.Batch.ID) {
			return a
		}
	}
	return nil
}

func reject(res *CouponResult, r Reason, other *Coupon, arg Arg) {
	res.Applied, res.Amount, res.Reason = false, 0, r
	res.Explanation = Explanation{Key: "pricing.reason." + string(r)}
	if arg != (Arg{}) {
		res.Explanation.Args = []Arg{arg}
	}
	if other != nil {
		res.ConflictsWith = other.ID
	}
}

func filter(cs []candidate, keep func(candidate) bool) []candidate {
	var out []candidate
	for _, c := range cs {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

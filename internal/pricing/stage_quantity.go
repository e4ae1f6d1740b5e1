package pricing

import (
	"cmp"
	"slices"

	"storeops/internal/platform"
)

// multiBuyOffer: the covered units, dearest first (by what is left per
// unit, ties to the lower SKU id), fall into groups of EveryN; the last,
// cheapest unit of each complete group gets Percent off. The lines with a
// unit in a complete group are taken.
func (p *pricer) multiBuyOffer(r *Rule, taken map[*line]bool) offer {
	lines := p.covered(r.Scope, taken)
	slices.SortStableFunc(lines, func(a, b *line) int {
		// a before b when a's unit is dearer: a.cur/a.q > b.cur/b.q.
		if c := cmpUnit(b, a); c != 0 {
			return c
		}
		return cmp.Compare(a.in.SKUID, b.in.SKUID)
	})
	n := int64(r.EveryN)
	var units int64
	for _, l := range lines {
		units += int64(l.in.Quantity)
	}
	full := units / n * n // units in complete groups
	if full == 0 {
		return offer{}
	}
	o := offer{rule: r, explain: func() Explanation {
		return explain(keyMultiBuy, val(r.Name), count(r.EveryN), rateArg(r.Percent))
	}}
	var start int64
	for _, l := range lines {
		if start >= full {
			break
		}
		q := int64(l.in.Quantity)
		// Units at positions start+1 … start+q that close a group.
		discounted := min(start+q, full)/n - start/n
		share := platform.Money(mulDivRound(int64(l.cur), discounted*int64(r.Percent), q*100))
		o.lines = append(o.lines, l)
		o.shares = append(o.shares, share)
		o.total += share
		start += q
	}
	return o
}

// cmpUnit compares what is left per unit on two lines, exactly.
func cmpUnit(a, b *line) int {
	return cmpProducts(int64(a.cur), int64(b.in.Quantity), int64(b.cur), int64(a.in.Quantity))
}

// bundleOffer: as many complete sets of the bundle's items as the free
// lines hold cost Price each; the saving is split over the items in
// proportion to their share of the sets' value.
func (p *pricer) bundleOffer(r *Rule, taken map[*line]bool) offer {
	sets := int64(-1)
	lines := make([]*line, len(r.Items))
	for i, it := range r.Items {
		l := p.bySKU[it.SKUID]
		if l == nil || taken[l] || l.cur == 0 {
			return offer{}
		}
		lines[i] = l
		if k := int64(l.in.Quantity / it.Quantity); sets < 0 || k < sets {
			sets = k
		}
	}
	if sets <= 0 {
		return offer{}
	}
	weights := make([]int64, len(lines))
	var value int64
	for i, l := range lines {
		weights[i] = mulDiv(int64(l.cur), sets*int64(r.Items[i].Quantity), int64(l.in.Quantity))
		value += weights[i]
	}
	saving := platform.Money(value - sets*int64(r.Price))
	if saving <= 0 {
		return offer{}
	}
	// Shares in SKU order, like every other allocation.
	idx := make([]int, len(lines))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(lines[a].in.SKUID, lines[b].in.SKUID) })
	o := offer{rule: r, total: saving, explain: func() Explanation {
		return explain(keyBundle, val(r.Name), count(int(sets)), money(r.Price))
	}}
	w := make([]int64, len(idx))
	for k, i := range idx {
		o.lines = append(o.lines, lines[i])
		w[k] = weights[i]
	}
	o.weights = w
	return o
}

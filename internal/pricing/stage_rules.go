package pricing

import (
	"storeops/internal/platform"
)

// itemRules gives each line the most specific, then the best, of the
// active percent_off and amount_off rules covering it.
func (p *pricer) itemRules(rules []Rule) {
	var active []*Rule
	for i := range rules {
		r := &rules[i]
		if (r.Kind == PercentOff || r.Kind == AmountOff) && r.active(p.in.Customer, p.in.At) {
			active = append(active, r)
		}
	}
	if len(active) == 0 {
		return
	}
	for _, l := range p.lines {
		var best *Rule
		var bestLevel Level
		var bestOff platform.Money
		for _, r := range active {
			lv := r.Scope.Match(l.in)
			if lv == LevelNone || lv < bestLevel {
				continue
			}
			off := itemOff(r, l)
			if lv > bestLevel || off > bestOff {
				best, bestLevel, bestOff = r, lv, off
			}
		}
		if best == nil || bestOff == 0 {
			continue
		}
		p.apply(ruleDiscount(best, itemExplanation(best)), []*line{l}, []platform.Money{bestOff})
	}
}

// itemOff is what an item rule takes off a line, at most what is left.
func itemOff(r *Rule, l *line) platform.Money {
	if r.Kind == PercentOff {
		return percentOf(l.cur, r.Percent)
	}
	return min(r.Amount*platform.Money(l.in.Quantity), l.cur)
}

func itemExplanation(r *Rule) Explanation {
	if r.Kind == PercentOff {
		return explain(keyPercentOff, val(r.Name), rateArg(r.Percent))
	}
	return explain(keyAmountOff, val(r.Name), money(r.Amount))
}

func ruleDiscount(r *Rule, x Explanation) Discount {
	return Discount{Source: FromRule, ID: r.ID, Kind: string(r.Kind), Explanation: x}
}

// offer is what one rule would take off the lines still free: shares per
// line, or (cheaper to compute for the many offers never taken) a total to
// split over the lines by weights.
type offer struct {
	rule    *Rule
	lines   []*line // the lines the rule uses (and so takes)
	shares  []platform.Money
	weights []int64
	total   platform.Money
	// explain words the offer once it is taken (formatting amounts for
	// every offer weighed would cost more than weighing them).
	explain func() Explanation
}

// greedy applies, among the active rules of the given kinds, the one with
// the largest offer on the lines no earlier one took (ties to the lower
// id), and repeats until no rule offers anything: each line takes part in
// at most one of these rules.
func (p *pricer) greedy(rules []Rule, eval func(r *Rule, taken map[*line]bool) offer, kinds ...RuleKind) {
	var left []*Rule
	for i := range rules {
		r := &rules[i]
		for _, k := range kinds {
			if r.Kind == k && r.active(p.in.Customer, p.in.At) {
				left = append(left, r)
			}
		}
	}
	taken := map[*line]bool{}
	for len(left) > 0 {
		best, at := offer{}, -1
		for i, r := range left {
			if o := eval(r, taken); o.total > best.total {
				best, at = o, i
			}
		}
		if at < 0 {
			return
		}
		if best.shares == nil {
			best.shares = split(best.total, best.weights)
		}
		p.apply(ruleDiscount(best.rule, best.explain()), best.lines, best.shares)
		for _, l := range best.lines {
			taken[l] = true
		}
		left = append(left[:at], left[at+1:]...)
	}
}

func (p *pricer) quantityRules(rules []Rule) {
	p.greedy(rules, func(r *Rule, taken map[*line]bool) offer {
		if r.Kind == Bundle {
			return p.bundleOffer(r, taken)
		}
		return p.multiBuyOffer(r, taken)
	}, MultiBuy, Bundle)
}

func (p *pricer) orderRules(rules []Rule) {
	p.greedy(rules, p.tieredOffer, Tiered)
}

// tieredOffer is the 满减 step the covered amount reaches.
func (p *pricer) tieredOffer(r *Rule, taken map[*line]bool) offer {
	lines := p.covered(r.Scope, taken)
	amount := sumCur(lines)
	var off platform.Money
	var step Step
	key := keyTiered
	if r.Repeat {
		step, key = r.Steps[0], keyTieredRepeat
		off = amount / step.Threshold * step.Off
		if r.MaxOff > 0 {
			off = min(off, r.MaxOff)
		}
	} else {
		for _, s := range r.Steps {
			if amount >= s.Threshold {
				step, off = s, s.Off
			}
		}
	}
	if off == 0 {
		return offer{}
	}
	x := func() Explanation { return explain(key, val(r.Name), money(step.Threshold), money(step.Off)) }
	return offer{rule: r, lines: lines, weights: curs(lines), total: off, explain: x}
}

// freeShippingRules waive the shipping fee for the first active rule (by
// id) whose covered amount, after 满减, reaches its threshold.
func (p *pricer) freeShippingRules(rules []Rule) {
	for i := range rules {
		r := &rules[i]
		if p.shipLeft == 0 {
			return
		}
		if r.Kind != FreeShipping || !r.active(p.in.Customer, p.in.At) {
			continue
		}
		lines := p.covered(r.Scope, nil)
		if len(lines) == 0 || sumCur(lines) < r.Threshold {
			continue
		}
		p.record(ruleDiscount(r, explain(keyFreeShipping, val(r.Name), money(r.Threshold))), p.shipLeft)
		p.shipLeft = 0
	}
}

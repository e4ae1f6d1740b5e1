package pricing

import (
	"cmp"
	"fmt"
	"slices"

	"storeops/internal/platform"
)

// Price prices a cart. It is pure: the same Input always gives the same
// PricedOrder, whatever the order of its lines, rules and coupons.
//
// Errors: CodeInvalid (422) when a line or the points request is invalid
// (Input.Validate); CodeInternal when a rule fails Rule.Validate, which
// the rule's editor must have caught. A coupon that fails Coupon.Validate
// is rejected with ReasonInvalid rather than failing the order.
func Price(in Input) (*PricedOrder, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	rules := slices.Clone(in.Rules)
	slices.SortStableFunc(rules, func(a, b Rule) int { return cmp.Compare(a.ID, b.ID) })
	for i := range rules {
		if err := rules[i].Validate(); err != nil {
			return nil, platform.E(platform.CodeInternal).Wrap(fmt.Errorf("pricing: rule %d: %w", rules[i].ID, err))
		}
	}
	p := newPricer(&in)
	p.memberPrices()
	p.itemRules(rules)
	p.quantityRules(rules)
	p.orderRules(rules)
	p.freeShippingRules(rules)
	p.coupons()
	p.points()
	return p.finish(), nil
}

// line is a cart line while it is being priced.
type line struct {
	in  *Line
	out *PricedLine
	// cur is what is left to pay for the line after the stages so far.
	cur platform.Money
}

type pricer struct {
	in    *Input
	lines []*line // in ascending SKU id: the order every stage works in
	bySKU map[platform.ID]*line
	order *PricedOrder
	// byKey finds a source's entry in order.Discounts.
	byKey    map[discountKey]int
	shipLeft platform.Money
	totals   Totals
}

type discountKey struct {
	src Source
	id  platform.ID
}

func newPricer(in *Input) *pricer {
	p := &pricer{
		in:       in,
		order:    &PricedOrder{Lines: make([]PricedLine, len(in.Lines))},
		byKey:    map[discountKey]int{},
		shipLeft: in.Shipping,
	}
	for i := range in.Lines {
		l := &in.Lines[i]
		list := l.UnitPrice * platform.Money(l.Quantity)
		p.order.Lines[i] = PricedLine{SKUID: l.SKUID, Quantity: l.Quantity, UnitPrice: l.UnitPrice, ListTotal: list}
		p.lines = append(p.lines, &line{in: l, out: &p.order.Lines[i], cur: list})
	}
	slices.SortFunc(p.lines, func(a, b *line) int { return cmp.Compare(a.in.SKUID, b.in.SKUID) })
	p.bySKU = make(map[platform.ID]*line, len(p.lines))
	for _, l := range p.lines {
		p.bySKU[l.in.SKUID] = l
	}
	return p
}

// apply takes shares[i] off lines[i] for one source and records it on the
// lines and in the order's discounts.
func (p *pricer) apply(d Discount, lines []*line, shares []platform.Money) {
	var sum platform.Money
	for i, l := range lines {
		if shares[i] == 0 {
			continue
		}
		if shares[i] < 0 || shares[i] > l.cur {
			panic(fmt.Sprintf("pricing: share %d of line %d leaves %d", shares[i], l.in.SKUID, l.cur))
		}
		l.cur -= shares[i]
		ld := d
		ld.Amount = shares[i]
		l.out.Discounts = append(l.out.Discounts, ld)
		sum += shares[i]
	}
	if sum == 0 {
		return
	}
	p.record(d, sum)
}

// record adds amount to the order-level entry of d's source.
func (p *pricer) record(d Discount, amount platform.Money) {
	k := discountKey{d.Source, d.ID}
	if i, ok := p.byKey[k]; ok {
		p.order.Discounts[i].Amount += amount
		return
	}
	d.Amount = amount
	p.byKey[k] = len(p.order.Discounts)
	p.order.Discounts = append(p.order.Discounts, d)
}

// memberPrices prices lines at the customer's tier price when lower.
func (p *pricer) memberPrices() {
	tier := p.in.Customer.Tier
	if tier == "" {
		return
	}
	for _, l := range p.lines {
		mp, ok := l.in.MemberPrices[tier]
		if !ok || mp >= l.in.UnitPrice {
			continue
		}
		adj := (l.in.UnitPrice - mp) * platform.Money(l.in.Quantity)
		l.cur -= adj
		l.out.MemberUnitPrice = mp
		l.out.MemberAdjustment = adj
		note := explain(keyMember, val(tier), money(mp))
		l.out.MemberNote = &note
	}
}

// curs are the amounts left on lines, as allocation weights.
func curs(lines []*line) []int64 {
	w := make([]int64, len(lines))
	for i, l := range lines {
		w[i] = int64(l.cur)
	}
	return w
}

func sumCur(lines []*line) platform.Money {
	var s platform.Money
	for _, l := range lines {
		s += l.cur
	}
	return s
}

// covered are the lines the scope covers with something left to pay,
// skipping those in taken.
func (p *pricer) covered(s Scope, taken map[*line]bool) []*line {
	var out []*line
	for _, l := range p.lines {
		if l.cur > 0 && !taken[l] && s.Covers(l.in) {
			out = append(out, l)
		}
	}
	return out
}

func (p *pricer) finish() *PricedOrder {
	t := &p.totals
	t.Shipping = p.in.Shipping
	t.ShippingDiscount = p.in.Shipping - p.shipLeft
	for i := range p.order.Lines {
		pl := &p.order.Lines[i]
		t.Items += pl.ListTotal
		t.MemberAdjustment += pl.MemberAdjustment
		pl.Total = pl.ListTotal - pl.MemberAdjustment
		for _, d := range pl.Discounts {
			pl.Total -= d.Amount
			if d.Source == FromPoints {
				t.Points += d.Amount
			} else {
				t.Discount += d.Amount
			}
		}
	}
	t.Payable = t.Items - t.MemberAdjustment - t.Discount - t.Points + t.Shipping - t.ShippingDiscount
	p.order.Totals = *t
	return p.order
}

package pricing

import "storeops/internal/platform"

// points redeems whole units of points against what is left to pay for
// the items, within the shop's caps, split over the lines.
func (p *pricer) points() {
	pt := p.in.Points
	if pt.Redeem <= 0 {
		return
	}
	var lines []*line
	for _, l := range p.lines {
		if l.cur > 0 {
			lines = append(lines, l)
		}
	}
	left := sumCur(lines)
	limit := left
	if pt.CapPercent > 0 {
		limit = platform.Money(mulDiv(int64(left), int64(pt.CapPercent), 100))
	}
	if pt.CapAmount > 0 {
		limit = min(limit, pt.CapAmount)
	}
	units := min(pt.Redeem/pt.PerUnit, int64(limit/pt.UnitValue))
	if units <= 0 {
		return
	}
	value := platform.Money(units) * pt.UnitValue
	used := units * pt.PerUnit
	x := explain(keyPoints, val(itoa(used)))
	p.apply(Discount{Source: FromPoints, Amount: value, Explanation: x}, lines, split(value, curs(lines)))
	p.totals.PointsUsed = used
}

package demokit

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// springFestival is 春节 (the first day of the lunar year) by year.
var springFestival = map[int]time.Time{
	2022: date(2022, 2, 1), 2023: date(2023, 1, 22), 2024: date(2024, 2, 10),
	2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
	2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3),
	2031: date(2031, 1, 23), 2032: date(2032, 2, 11),
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// SpringFestival is the first day of the lunar year in year y (zero when
// unknown).
func SpringFestival(y int) time.Time { return springFestival[y] }

// yearGrowth is the year-on-year growth of demand.
const yearGrowth = 1.28

// DayWeight is the relative demand of day (a midnight in the shop zone):
// growth, weekday, the 618 / 双11 / 双12 festivals and the 春节 lull.
func (s *Shop) DayWeight(day time.Time) float64 {
	years := day.Sub(s.Start).Hours() / (24 * 365.25)
	w := math.Pow(yearGrowth, years)
	switch day.Weekday() {
	case time.Saturday:
		w *= 1.18
	case time.Sunday:
		w *= 1.14
	case time.Friday:
		w *= 1.04
	default:
		w *= 0.93
	}
	y, m, d := day.Date()
	switch {
	case m == time.June && d == 18:
		w *= 4.2
	case m == time.June && d >= 1 && d <= 17:
		w *= 1.35 + 0.5*float64(d)/17
	case m == time.June && d <= 20:
		w *= 1.25
	case m == time.October && d >= 20:
		w *= 1.3 + 0.04*float64(d-20)
		if d == 31 { // the first wave starts at 20:00
			w *= 1.6
		}
	case m == time.November && d == 11:
		w *= 7.5
	case m == time.November && d <= 3:
		w *= 1.9
	case m == time.November && d < 11:
		w *= 1.3
	case m == time.November && d <= 13:
		w *= 1.5
	case m == time.December && d == 12:
		w *= 2.8
	case m == time.December && (d == 10 || d == 11):
		w *= 1.3
	case m == time.March && d == 8:
		w *= 1.6
	}
	// 春节: shoppers stock up for the new year (年货节), then couriers stop.
	for _, yy := range []int{y, y + 1} {
		sf, ok := springFestival[yy]
		if !ok {
			continue
		}
		off := int(math.Round(date(y, m, d).Sub(sf).Hours() / 24))
		switch {
		case off >= -25 && off <= -11:
			w *= 1.25
		case off >= -10 && off <= -8:
			w *= 0.85
		case off >= -7 && off <= -2:
			w *= 0.45
		case off >= -1 && off <= 3:
			w *= 0.3
		case off >= 4 && off <= 7:
			w *= 0.5
		case off >= 8 && off <= 12:
			w *= 0.85
		}
	}
	return w
}

// hourWeights is when people shop: a lunch bump and an evening peak.
var hourWeights = [24]float64{1.3, 0.7, 0.35, 0.2, 0.15, 0.2, 0.4, 0.9, 1.7, 2.5, 3.0, 3.2, 3.5, 3.0, 2.8, 2.9, 2.9, 2.8, 3.0, 3.6, 4.6, 5.5, 5.7, 3.9}

// Stub is an order as the plan decides it: who, when, through which
// channel, and its ids. The order and traffic steps both build on it.
type Stub struct {
	K        int64 // index of the order over the whole history
	ID       int64
	At       time.Time // UTC
	Customer int32     // index into Shop.Customers
	Channel  uint8     // index into Channels
}

// Day is one day of the plan.
type Day struct {
	Index int
	Date  time.Time // midnight, shop zone
	Stubs []Stub
}

// Plan walks the order history day by day. Both the order and the traffic
// step replay it, which costs little and keeps memory to one day.
type Plan struct {
	s      *Shop
	days   []time.Time
	counts []int
	firstK []int64
	next   int
	cust   int // customers up to here are eligible
	tree   fenwick
	churn  []int32 // churned customers by ChurnAt, eligible ones
	bought []bool
}

// DayCounts is the number of orders of each day, exactly Orders in all.
func (s *Shop) DayCounts() ([]time.Time, []int) {
	var days []time.Time
	var ws []float64
	total := 0.0
	for d := s.Start; d.Before(s.End); d = d.AddDate(0, 0, 1) {
		r := s.Rand("day", int64(len(days)))
		w := s.DayWeight(d) * math.Max(0.6, 1+0.08*r.NormFloat64())
		days = append(days, d)
		ws = append(ws, w)
		total += w
	}
	counts := make([]int, len(days))
	cum, prev := 0.0, 0
	for i, w := range ws {
		cum += w
		n := int(math.Round(cum / total * float64(s.Orders)))
		counts[i] = n - prev
		prev = n
	}
	return days, counts
}

// NewPlan starts a walk of the plan. Customers must be generated first.
func (s *Shop) NewPlan() *Plan {
	p := &Plan{s: s, tree: newFenwick(len(s.Customers)), bought: make([]bool, len(s.Customers))}
	p.days, p.counts = s.DayCounts()
	p.firstK = make([]int64, len(p.days))
	var k int64
	for i, n := range p.counts {
		p.firstK[i] = k
		k += int64(n)
	}
	return p
}

// Days is the number of days in the plan.
func (p *Plan) Days() int { return len(p.days) }

// Count is the number of orders planned for day i.
func (p *Plan) Count(i int) int { return p.counts[i] }

// segmentWeight is how likely a customer of each segment is to be the
// buyer of a given order.
var segmentWeight = [...]float64{OneTime: 1, Repeat: 2.2, Loyal: 16, Churned: 3}

// Next returns the next day's stubs, sorted by time, or false at the end.
func (p *Plan) Next() (Day, bool) {
	if p.next >= len(p.days) {
		return Day{}, false
	}
	i := p.next
	p.next++
	day := p.days[i]
	dayEnd := day.AddDate(0, 0, 1)
	s := p.s
	// Customers who signed up by the end of the day may buy; churned ones
	// whose time has come stop.
	for p.cust < len(s.Customers) && s.Customers[p.cust].CreatedAt.Before(dayEnd) {
		c := &s.Customers[p.cust]
		p.tree.add(p.cust, segmentWeight[c.Segment])
		if c.Segment == Churned {
			p.churn = append(p.churn, int32(p.cust))
		}
		p.cust++
	}
	p.churn = slices.DeleteFunc(p.churn, func(ci int32) bool {
		if s.Customers[ci].ChurnAt.Before(day) {
			p.tree.set(int(ci), 0)
			return true
		}
		return false
	})
	r := s.Rand("plan", int64(i))
	n := p.counts[i]
	stubs := make([]Stub, n)
	festival := (day.Month() == time.November && day.Day() == 11) || (day.Month() == time.June && day.Day() == 18)
	for j := range stubs {
		h := pickHour(r, festival)
		at := day.Add(time.Duration(h)*time.Hour + time.Duration(r.Int64N(int64(time.Hour))))
		ci := p.pickCustomer(r)
		c := &s.Customers[ci]
		if c.CreatedAt.After(at) {
			at = c.CreatedAt.Add(time.Minute)
			if left := dayEnd.Sub(at); left > 0 {
				at = at.Add(time.Duration(r.Int64N(int64(left))))
			}
		}
		ch := c.Source
		if r.Float64() < 0.45 {
			ch = s.pickChannel(r, day)
		}
		stubs[j] = Stub{At: at.UTC().Truncate(time.Microsecond), Customer: int32(ci), Channel: ch}
	}
	slices.SortStableFunc(stubs, func(a, b Stub) int { return a.At.Compare(b.At) })
	for j := range stubs {
		stubs[j].K = p.firstK[i] + int64(j)
		stubs[j].ID = s.ID(SpaceOrder, stubs[j].K)
	}
	return Day{Index: i, Date: day, Stubs: stubs}, true
}

func pickHour(r *rand.Rand, festival bool) int {
	total := 0.0
	for h, w := range hourWeights {
		if festival && h == 0 {
			w *= 8
		}
		total += w
	}
	x := r.Float64() * total
	for h, w := range hourWeights {
		if festival && h == 0 {
			w *= 8
		}
		if x < w {
			return h
		}
		x -= w
	}
	return 23
}

// pickCustomer draws an eligible customer by segment weight; one-time
// buyers leave the draw after their order.
func (p *Plan) pickCustomer(r *rand.Rand) int {
	total := p.tree.sum()
	if total <= 1e-9 || p.cust == 0 {
		// Nobody eligible yet (the very first hours): the first customer.
		return 0
	}
	ci := min(p.tree.find(r.Float64()*total), p.cust-1)
	// Float rounding can land on a customer out of the draw; step back to
	// the nearest one in it.
	for ci > 0 && p.tree.w[ci] <= 0 {
		ci--
	}
	if !p.bought[ci] {
		p.bought[ci] = true
		if p.s.Customers[ci].Segment == OneTime {
			p.tree.set(ci, 0)
		}
	}
	return ci
}

// ChannelShare is each channel's share of new traffic on day: live
// commerce and short video grow over the history, search shrinks.
func (s *Shop) ChannelShare(day time.Time) [7]float64 {
	t := day.Sub(s.Start).Hours() / s.End.Sub(s.Start).Hours() // 0..1
	return [7]float64{
		0.30 - 0.08*t, // search
		0.12 + 0.10*t, // douyin_live
		0.10 + 0.04*t, // short_video
		0.10 + 0.03*t, // xiaohongshu
		0.12,          // wechat
		0.12 - 0.02*t, // ads
		0.14 - 0.07*t, // direct
	}
}

func (s *Shop) pickChannel(r *rand.Rand, day time.Time) uint8 {
	share := s.ChannelShare(day)
	total := 0.0
	for _, v := range share {
		total += v
	}
	x := r.Float64() * total
	for i, v := range share {
		if x < v {
			return uint8(i)
		}
		x -= v
	}
	return uint8(len(share) - 1)
}

// fenwick is a binary indexed tree of weights for drawing an index in
// proportion to its weight while weights change.
type fenwick struct {
	t []float64
	w []float64
}

func newFenwick(n int) fenwick { return fenwick{t: make([]float64, n+1), w: make([]float64, n)} }

func (f *fenwick) add(i int, d float64) {
	f.w[i] += d
	for j := i + 1; j < len(f.t); j += j & -j {
		f.t[j] += d
	}
}

func (f *fenwick) set(i int, v float64) { f.add(i, v-f.w[i]) }

func (f *fenwick) sum() float64 {
	s := 0.0
	for j := len(f.t) - 1; j > 0; j -= j & -j {
		s += f.t[j]
	}
	return s
}

// find returns the index whose cumulative weight range holds x.
func (f *fenwick) find(x float64) int {
	pos := 0
	step := 1
	for step*2 < len(f.t) {
		step *= 2
	}
	for ; step > 0; step /= 2 {
		if n := pos + step; n < len(f.t) && f.t[n] <= x {
			pos = n
			x -= f.t[n]
		}
	}
	if pos >= len(f.w) {
		pos = len(f.w) - 1
	}
	return pos
}

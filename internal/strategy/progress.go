package strategy

import (
	"math"
	"math/big"
	"time"
)

// Actuals are the figures a target is measured against; analytics
// computes them.
type Actuals struct {
	// ToDate is the metric from the period's start to now: fen for money
	// metrics (the sum of the days so far, today's partial day included),
	// basis points for the rate (the rate over the period so far).
	ToDate int64
	// Daily is a money metric per civil day (keys from DayOf). The
	// forecast reads the 14 days before today, and one year earlier the
	// same 14 days and the period's remaining days. A missing day is zero.
	Daily map[time.Time]int64
}

// State says where now falls relative to the period.
type State string

const (
	NotStarted State = "not_started"
	Running    State = "running"
	Ended      State = "ended"
)

// RunRateDays is how many complete days before today the forecast's run
// rate averages: two whole weeks, so every weekday weighs the same.
const RunRateDays = 14

// Seasonality ratios beyond these bounds are treated as noise in last
// year's data and clamped.
const (
	minSeasonal = 0.2
	maxSeasonal = 5.0
)

// Progress is a target measured at one instant.
type Progress struct {
	Target Target
	State  State
	// Actual is Actuals.ToDate.
	Actual int64
	// ProgressBP is Actual / target in basis points (10000 = reached).
	ProgressBP int64
	// ElapsedBP is the share of the period's time that has passed.
	ElapsedBP int64
	// Expected is where a linear path to the target stands now: target ×
	// elapsed share for money metrics; the target itself for the rate,
	// which does not accrue.
	Expected int64
	// PacingBP is Actual / Expected (10000 = exactly on pace; 0 when
	// nothing is expected yet), and Ahead reports Actual >= Expected.
	PacingBP int64
	Ahead    bool
	// Forecast is the expected value at the period's end (see Evaluate),
	// and ForecastBP it as a share of the target.
	Forecast   int64
	ForecastBP int64
	// Seasonal reports whether last year's days shaped the forecast.
	Seasonal bool
}

// Evaluate measures target t at instant now.
//
// Pacing compares the actual figure with a straight line from zero at the
// period's start to the target at its end, by elapsed time (seconds, so
// today's partial day counts in part).
//
// The forecast of a money metric is the actual to date plus an estimate of
// the rest of the period: the run rate r (the mean of the 14 complete days
// before today) times the remaining days n (today's remaining fraction
// plus the whole days after it), shaped by last year when it has data:
// with B the mean of the same 14 days a year earlier and L the sum of the
// remaining days a year earlier (today weighted by its remaining
// fraction), the estimate is r × L / B, which is r × n × s with the
// seasonal ratio s = (L/n)/B. s carries last year's festivals (双11, 618)
// and weekday mix into this year; it is clamped to [0.2, 5], and taken as 1
// when last year has no sales on either side. A rate target's forecast is
// its actual to date: a rate does not accrue. Before the period starts the
// whole period is estimated; after it ends the forecast is the actual.
func Evaluate(t Target, now time.Time, a Actuals) Progress {
	p := Progress{Target: t, Actual: a.ToDate}
	p.ProgressBP = ratioBP(a.ToDate, t.Value)
	from, to := t.Period.From(), t.Period.To()
	switch {
	case now.Before(from):
		p.State = NotStarted
	case !now.Before(to):
		p.State = Ended
	default:
		p.State = Running
	}
	total := int64(to.Sub(from) / time.Second)
	elapsed := min(max(int64(now.Sub(from)/time.Second), 0), total)
	p.ElapsedBP = mulDiv(elapsed, 10000, total)
	if !t.Metric.Money() {
		p.Expected = t.Value
		p.Forecast = a.ToDate
	} else {
		p.Expected = mulDiv(t.Value, elapsed, total)
		p.Forecast, p.Seasonal = forecast(t.Period, now, a)
	}
	p.Ahead = a.ToDate >= p.Expected
	p.PacingBP = ratioBP(a.ToDate, p.Expected)
	p.ForecastBP = ratioBP(p.Forecast, t.Value)
	return p
}

// forecast estimates a money metric at the period's end (see Evaluate).
func forecast(per Period, now time.Time, a Actuals) (int64, bool) {
	if !now.Before(per.To()) {
		return a.ToDate, false
	}
	today := DayOf(now)
	var recent, lyBase int64
	for i := 1; i <= RunRateDays; i++ {
		d := today.AddDate(0, 0, -i)
		recent += a.Daily[d]
		lyBase += a.Daily[d.AddDate(-1, 0, 0)]
	}
	rate := float64(recent) / RunRateDays
	// Remaining days with their weights: today's rest, then whole days.
	var n, lyRest float64
	first := today
	if now.Before(per.From()) {
		first = per.Start
	}
	for d := first; d.Before(per.End()); d = d.AddDate(0, 0, 1) {
		w := 1.0
		if d.Equal(today) {
			w = 1 - float64(now.Sub(DayStart(today)))/float64(24*time.Hour)
		}
		n += w
		lyRest += w * float64(a.Daily[d.AddDate(-1, 0, 0)])
	}
	if n <= 0 {
		return a.ToDate, false
	}
	seasonal := 1.0
	used := false
	if lyBase > 0 && lyRest > 0 {
		seasonal = (lyRest / n) / (float64(lyBase) / RunRateDays)
		seasonal = min(max(seasonal, minSeasonal), maxSeasonal)
		used = true
	}
	return a.ToDate + int64(math.Round(rate*n*seasonal)), used
}

// ratioBP is num/den in basis points, rounded half away from zero; 0 when
// den is 0.
func ratioBP(num, den int64) int64 {
	if den == 0 {
		return 0
	}
	return mulDiv(num, 10000, den)
}

// mulDiv is a×b/c rounded half away from zero, without overflow in the
// product. c must not be 0.
func mulDiv(a, b, c int64) int64 {
	n := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	d := big.NewInt(c)
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	// |2r| >= |d| rounds away from zero.
	r2 := new(big.Int).Abs(r)
	r2.Lsh(r2, 1)
	if r2.Cmp(new(big.Int).Abs(d)) >= 0 {
		if (n.Sign() < 0) != (d.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q.Int64()
}

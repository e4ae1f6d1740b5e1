package strategy

import (
	"testing"
	"time"

	"storeops/internal/platform"
)

// shop is an instant in the shop's zone.
func shop(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, platform.ShopZone)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// fill sets v on every day in [from, to].
func fill(daily map[time.Time]int64, from, to time.Time, v int64) {
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		daily[d] = v
	}
}

func TestPeriods(t *testing.T) {
	now := shop(2026, 11, 16, 1).UTC()
	m := PeriodOf(Month, now)
	if m.Start != day(2026, 11, 1) || m.Days() != 30 || m.Code() != "2026-11" {
		t.Errorf("month %+v days %d code %s", m, m.Days(), m.Code())
	}
	if m.From() != shop(2026, 11, 1, 0).UTC() || m.To() != shop(2026, 12, 1, 0).UTC() {
		t.Errorf("month instants %v %v", m.From(), m.To())
	}
	q := PeriodOf(Quarter, now)
	if q.Start != day(2026, 10, 1) || q.Days() != 92 || q.Code() != "2026-Q4" || q.Next().Code() != "2027-Q1" || q.Prev().Code() != "2026-Q3" {
		t.Errorf("quarter %+v %s", q, q.Code())
	}
	// 2026-10-31 17:00 UTC is already November 1st in Shanghai.
	if got := PeriodOf(Month, time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC)); got.Code() != "2026-11" {
		t.Errorf("zone boundary: %s", got.Code())
	}
	for code, ok := range map[string]bool{"2026-11": true, "2026-Q4": true, "2026-q1": true, "2026-13": false, "2026-Q5": false, "2026-Q44": false, "x": false, "": false} {
		p, err := ParsePeriod(code)
		if (err == nil) != ok {
			t.Errorf("ParsePeriod(%q) = %v, %v", code, p, err)
		}
	}
}

func TestEvaluatePacing(t *testing.T) {
	clock := platform.NewFixedClock(shop(2026, 11, 16, 0))
	target := Target{Period: PeriodOf(Month, clock.Now()), Metric: GMV, Value: 3_000_000}
	p := Evaluate(target, clock.Now(), Actuals{ToDate: 1_200_000})
	if p.State != Running || p.ElapsedBP != 5000 || p.Expected != 1_500_000 || p.Ahead || p.PacingBP != 8000 || p.ProgressBP != 4000 {
		t.Errorf("behind: %+v", p)
	}
	p = Evaluate(target, clock.Now(), Actuals{ToDate: 1_500_000})
	if !p.Ahead || p.PacingBP != 10000 {
		t.Errorf("on pace counts as ahead: %+v", p)
	}
	clock.Advance(12 * time.Hour) // 15.5 of 30 days
	p = Evaluate(target, clock.Now(), Actuals{ToDate: 1_600_000})
	if p.ElapsedBP != 5167 || p.Expected != 1_550_000 || !p.Ahead {
		t.Errorf("half day: %+v", p)
	}
	if p := Evaluate(target, shop(2026, 10, 20, 0), Actuals{}); p.State != NotStarted || p.ElapsedBP != 0 || p.Expected != 0 || !p.Ahead {
		t.Errorf("not started: %+v", p)
	}
	if p := Evaluate(target, shop(2026, 12, 3, 0), Actuals{ToDate: 3_100_000}); p.State != Ended || p.Forecast != 3_100_000 || p.ForecastBP != 10333 || p.ElapsedBP != 10000 {
		t.Errorf("ended: %+v", p)
	}
}

func TestEvaluateForecast(t *testing.T) {
	now := shop(2026, 11, 16, 0)
	target := Target{Period: PeriodOf(Month, now), Metric: GrossProfit, Value: 3_000_000}

	t.Run("RunRateOnly", func(t *testing.T) {
		daily := map[time.Time]int64{}
		fill(daily, day(2026, 11, 2), day(2026, 11, 15), 100_000)
		daily[day(2026, 11, 1)] = 9_999_999 // outside the 14 days
		p := Evaluate(target, now, Actuals{ToDate: 1_000_000, Daily: daily})
		// 15 days left (16th to 30th) at 100,000 a day.
		if p.Forecast != 2_500_000 || p.Seasonal || p.ForecastBP != 8333 {
			t.Errorf("%+v", p)
		}
	})

	t.Run("PartialToday", func(t *testing.T) {
		daily := map[time.Time]int64{}
		fill(daily, day(2026, 11, 2), day(2026, 11, 15), 100_000)
		p := Evaluate(target, now.Add(12*time.Hour), Actuals{ToDate: 1_000_000, Daily: daily})
		if p.Forecast != 1_000_000+1_450_000 {
			t.Errorf("%+v", p)
		}
	})

	t.Run("LastYearSeason", func(t *testing.T) {
		daily := map[time.Time]int64{}
		fill(daily, day(2026, 11, 2), day(2026, 11, 15), 100_000)
		fill(daily, day(2025, 11, 2), day(2025, 11, 15), 50_000)
		fill(daily, day(2025, 11, 16), day(2025, 11, 30), 100_000)
		p := Evaluate(target, now, Actuals{ToDate: 1_000_000, Daily: daily})
		// Last year the rest of the month sold twice the two weeks before.
		if p.Forecast != 1_000_000+3_000_000 || !p.Seasonal {
			t.Errorf("%+v", p)
		}
	})

	t.Run("SeasonClamped", func(t *testing.T) {
		daily := map[time.Time]int64{}
		fill(daily, day(2026, 11, 2), day(2026, 11, 15), 100_000)
		fill(daily, day(2025, 11, 2), day(2025, 11, 15), 1)
		fill(daily, day(2025, 11, 16), day(2025, 11, 30), 100_000)
		p := Evaluate(target, now, Actuals{ToDate: 0, Daily: daily})
		if p.Forecast != 100_000*15*5 {
			t.Errorf("%+v", p)
		}
	})

	t.Run("BeforeStart", func(t *testing.T) {
		daily := map[time.Time]int64{}
		fill(daily, day(2026, 10, 6), day(2026, 10, 19), 10_000)
		p := Evaluate(target, shop(2026, 10, 20, 0), Actuals{Daily: daily})
		if p.Forecast != 300_000 {
			t.Errorf("%+v", p)
		}
	})
}

func TestEvaluateRate(t *testing.T) {
	now := shop(2026, 11, 16, 0)
	target := Target{Period: PeriodOf(Quarter, now), Metric: RepeatRate, Value: 3500}
	p := Evaluate(target, now, Actuals{ToDate: 2800})
	if p.Expected != 3500 || p.Ahead || p.Forecast != 2800 || p.ProgressBP != 8000 || p.PacingBP != 8000 {
		t.Errorf("%+v", p)
	}
	if p := Evaluate(target, now, Actuals{ToDate: 3600}); !p.Ahead {
		t.Errorf("%+v", p)
	}
}

func TestMulDiv(t *testing.T) {
	cases := []struct{ a, b, c, want int64 }{
		{1, 10000, 3, 3333}, {2, 10000, 3, 6667}, {-2, 10000, 3, -6667}, {1, 1, 2, 1}, {-1, 1, 2, -1},
		{5, 1, -2, -3}, {9_000_000_000_000_000, 10000, 9_000_000_000_000_000, 10000},
	}
	for _, c := range cases {
		if got := mulDiv(c.a, c.b, c.c); got != c.want {
			t.Errorf("mulDiv(%d,%d,%d) = %d, want %d", c.a, c.b, c.c, got, c.want)
		}
	}
	if ratioBP(5, 0) != 0 {
		t.Error("ratio over zero")
	}
}

func TestParseValue(t *testing.T) {
	for in, want := range map[string]int64{"35": 3500, "35.5%": 3550, "1,200,000": 120_000_000, "0.01": 1} {
		if got, err := ParseValue(RepeatRate, in); err != nil || got != want {
			t.Errorf("%q: %d %v", in, got, err)
		}
	}
	if _, err := ParseValue(GMV, "12.345"); err == nil {
		t.Error("three decimals accepted")
	}
	if FormatValue(GMV, 120_000_000) != "1200000" || FormatValue(RepeatRate, 3550) != "35.50" {
		t.Error(FormatValue(GMV, 120_000_000), FormatValue(RepeatRate, 3550))
	}
	if err := (Target{Period: PeriodOf(Month, time.Now()), Metric: RepeatRate, Value: 10001}).Validate(); err == nil {
		t.Error("rate over 100% accepted")
	}
}

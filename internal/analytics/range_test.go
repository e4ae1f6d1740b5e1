package analytics_test

import (
	"net/url"
	"testing"
	"time"

	"storeops/internal/analytics"
	"storeops/internal/platform"
)

func TestSelectRange(t *testing.T) {
	now := fixedNow.UTC() // 2026-11-25 15:30 in the shop
	z := platform.ShopZone
	cases := []struct {
		q          url.Values
		from, to   time.Time
		days       int
		prevFrom   time.Time
		yoyFrom    time.Time
		wantPreset string
	}{
		{url.Values{"range": {"today"}}, time.Date(2026, 11, 25, 0, 0, 0, 0, z), now, 1, time.Date(2026, 11, 24, 0, 0, 0, 0, z), time.Date(2025, 11, 25, 0, 0, 0, 0, z), "today"},
		{url.Values{}, time.Date(2026, 11, 19, 0, 0, 0, 0, z), now, 7, time.Date(2026, 11, 12, 0, 0, 0, 0, z), time.Date(2025, 11, 19, 0, 0, 0, 0, z), "7d"},
		{url.Values{"range": {"30d"}}, time.Date(2026, 10, 27, 0, 0, 0, 0, z), now, 30, time.Date(2026, 9, 27, 0, 0, 0, 0, z), time.Date(2025, 10, 27, 0, 0, 0, 0, z), "30d"},
		{url.Values{"range": {"custom"}, "from": {"2026-11-01"}, "to": {"2026-11-10"}}, time.Date(2026, 11, 1, 0, 0, 0, 0, z), time.Date(2026, 11, 11, 0, 0, 0, 0, z), 10, time.Date(2026, 10, 22, 0, 0, 0, 0, z), time.Date(2025, 11, 1, 0, 0, 0, 0, z), "custom"},
		{url.Values{"range": {"custom"}, "from": {"2026-11-20"}, "to": {"2026-12-31"}}, time.Date(2026, 11, 20, 0, 0, 0, 0, z), now, 6, time.Date(2026, 11, 14, 0, 0, 0, 0, z), time.Date(2025, 11, 20, 0, 0, 0, 0, z), "custom"},
	}
	for _, c := range cases {
		sel, err := analytics.SelectRange(c.q, now)
		if err != nil {
			t.Fatalf("%v: %v", c.q, err)
		}
		r := sel.Range
		if sel.Preset != c.wantPreset || !r.From.Equal(c.from) || !r.To.Equal(c.to) || len(r.Days()) != c.days {
			t.Errorf("%v: %s %v–%v (%d days)", c.q, sel.Preset, r.From, r.To, len(r.Days()))
		}
		p, y := r.Previous(), r.YearAgo()
		if !p.From.Equal(c.prevFrom) || !y.From.Equal(c.yoyFrom) || p.To.Sub(p.From) != r.To.Sub(r.From) {
			t.Errorf("%v: previous %v–%v, year ago from %v", c.q, p.From, p.To, y.From)
		}
	}
	for _, bad := range []url.Values{
		{"range": {"custom"}, "from": {"2026-11-10"}, "to": {"2026-11-01"}},
		{"range": {"custom"}, "from": {"2026-11-26"}, "to": {"2026-11-27"}},
		{"range": {"custom"}, "from": {"2025-01-01"}, "to": {"2026-11-01"}},
		{"range": {"custom"}, "from": {"yesterday"}, "to": {"2026-11-01"}},
	} {
		if _, err := analytics.SelectRange(bad, now); platform.ErrorCode(err) != platform.CodeInvalid {
			t.Errorf("%v accepted: %v", bad, err)
		}
	}
}

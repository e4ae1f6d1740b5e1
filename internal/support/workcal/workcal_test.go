package workcal

import (
	"bytes"
	"os"
	"testing"
	"time"
)

var sh = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddAndBetween(t *testing.T) {
	cal, err := New(sh, DefaultHours, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		from     string
		d        time.Duration
		want     string
		workTime time.Duration
	}{
		{"within a day", "2026-11-17 10:00", 2 * time.Hour, "2026-11-17 12:00", 2 * time.Hour},
		{"overnight", "2026-11-17 17:00", 2 * time.Hour, "2026-11-18 10:00", 2 * time.Hour},
		{"started at night", "2026-11-17 22:30", time.Hour, "2026-11-18 10:00", time.Hour},
		{"started before opening", "2026-11-18 06:00", 30 * time.Minute, "2026-11-18 09:30", 30 * time.Minute},
		{"over a weekend", "2026-11-20 17:30", 4 * time.Hour, "2026-11-23 12:30", 4 * time.Hour},
		{"started on a Sunday", "2026-11-22 11:00", time.Hour, "2026-11-23 10:00", time.Hour},
		{"over National Day", "2026-09-30 17:00", 2 * time.Hour, "2026-10-08 10:00", 2 * time.Hour},
		{"onto a 调休 Saturday", "2026-10-09 17:00", 2 * time.Hour, "2026-10-10 10:00", 2 * time.Hour},
		{"a 调休 Sunday is worked", "2026-09-19 12:00", time.Hour, "2026-09-20 10:00", time.Hour},
		{"two working days", "2026-11-16 09:00", 18 * time.Hour, "2026-11-17 18:00", 18 * time.Hour},
		{"zero", "2026-11-21 03:00", 0, "2026-11-21 03:00", 0},
	} {
		got := cal.Add(at(c.from), c.d)
		if !got.Equal(at(c.want)) {
			t.Errorf("%s: Add(%s, %v) = %s, want %s", c.name, c.from, c.d, got.In(sh).Format("2006-01-02 15:04"), c.want)
		}
		if w := cal.Between(at(c.from), got); w != c.workTime {
			t.Errorf("%s: Between = %v, want %v", c.name, w, c.workTime)
		}
	}
	if d := cal.Between(at("2026-11-20 12:00"), at("2026-11-16 12:00")); d != 0 {
		t.Errorf("backwards: %v", d)
	}
	// Mon 28 Sep to Sun 11 Oct 2026 has six working days: 28–30 Sep,
	// 8 and 9 Oct, and the 调休 Saturday 10 Oct.
	if d := cal.Between(at("2026-09-28 00:00"), at("2026-10-12 00:00")); d != 6*9*time.Hour {
		t.Errorf("National Day fortnight: %v working, want %v", d, 6*9*time.Hour)
	}
}

func TestKindsAndOverrides(t *testing.T) {
	cal, err := New(sh, Hours{Start: 8 * time.Hour, End: 20 * time.Hour}, map[string]bool{"2026-11-21": true, "2026-11-18": false})
	if err != nil {
		t.Fatal(err)
	}
	for day, want := range map[string]DayKind{
		"2026-11-17": Weekday, "2026-11-22": Weekend, "2026-10-01": Holiday, "2026-10-10": Makeup,
		"2026-11-21": ShopWork, "2026-11-18": ShopOff, "2026-02-17": Holiday,
	} {
		if got := cal.Kind(at(day + " 12:00")); got != want {
			t.Errorf("%s: %s, want %s", day, got, want)
		}
	}
	// The shop works the Saturday and is off on Wednesday.
	if got := cal.Add(at("2026-11-17 19:00"), 2*time.Hour); !got.Equal(at("2026-11-19 09:00")) {
		t.Errorf("over the shop's day off: %s", got.In(sh))
	}
	if got := cal.Add(at("2026-11-20 19:30"), time.Hour); !got.Equal(at("2026-11-21 08:30")) {
		t.Errorf("onto the shop's Saturday: %s", got.In(sh))
	}
	if HolidayName(at("2026-10-10 12:00"), sh) != "国庆节" || HolidayName(at("2026-11-17 12:00"), sh) != "" {
		t.Error("holiday names")
	}
	for _, h := range []Hours{{Start: 10 * time.Hour, End: 9 * time.Hour}, {Start: -time.Hour, End: time.Hour}, {Start: 0, End: 25 * time.Hour}} {
		if _, err := New(sh, h, nil); err == nil {
			t.Errorf("hours %v accepted", h)
		}
	}
	if _, err := New(sh, DefaultHours, map[string]bool{"11/21": true}); err == nil {
		t.Error("bad override date accepted")
	}
}

// The embedded copy is the one the vendoring script put beside the other
// front-end data, so both are refreshed together.
func TestEmbeddedMatchesVendored(t *testing.T) {
	vendored, err := os.ReadFile("../../web/static/data/chinese-days.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(vendored, chineseDaysJSON) {
		t.Error("internal/support/workcal/chinese-days.json differs from internal/web/static/data/chinese-days.json: run scripts/vendor-assets.sh")
	}
	if first, last := Covered(); first > "2025-01-01" || last < "2026-10-07" {
		t.Errorf("covered %s–%s", first, last)
	}
}

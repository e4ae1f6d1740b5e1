package pricing

import (
	"slices"
	"testing"
	"time"

	"storeops/internal/platform"
)

func TestHours(t *testing.T) {
	// Shop times: 2026-11-11 is a Wednesday.
	shop := func(day, hh, mm int) time.Time {
		return time.Date(2026, 11, day, hh, mm, 0, 0, platform.ShopZone).UTC()
	}
	evening := Hours{From: "20:00", To: "22:00"}
	overnight := Hours{From: "22:00", To: "02:00", Weekdays: []time.Weekday{time.Wednesday}}
	memberDay := Hours{From: "00:00", To: "23:59", Weekdays: []time.Weekday{time.Wednesday}}
	cases := []struct {
		name  string
		hours Hours
		at    time.Time
		want  bool
	}{
		{"before", evening, shop(11, 19, 59), false},
		{"from is inclusive", evening, shop(11, 20, 0), true},
		{"to is exclusive", evening, shop(11, 22, 0), false},
		{"in the shop's zone, not UTC", evening, time.Date(2026, 11, 11, 12, 30, 0, 0, time.UTC), true},
		{"overnight, evening of the day", overnight, shop(11, 23, 0), true},
		{"overnight, early hours belong to the day before", overnight, shop(12, 1, 0), true},
		{"overnight, early hours of the day itself", overnight, shop(11, 1, 0), false},
		{"overnight, outside", overnight, shop(11, 3, 0), false},
		{"member day", memberDay, shop(11, 9, 0), true},
		{"not member day", memberDay, shop(12, 9, 0), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := percentRule(1, 10, Scope{})
			r.Hours = &tc.hours
			if err := r.Validate(); err != nil {
				t.Fatal(err)
			}
			out := mustPrice(t, Input{At: tc.at, Lines: []Line{ln(1, 1000, 1)}, Rules: []Rule{r}})
			if got := out.Totals.Payable == 900; got != tc.want {
				t.Errorf("applies %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHoursValidate(t *testing.T) {
	cases := []struct {
		hours  Hours
		fields []string
	}{
		{Hours{From: "8:00", To: "25:00"}, []string{"hours.from", "hours.to"}},
		{Hours{From: "10:00", To: "10:00"}, []string{"hours.to"}},
		{Hours{From: "10:00", To: "11:00", Weekdays: []time.Weekday{7}}, []string{"hours.weekdays"}},
		{Hours{From: "10:00", To: "11:00", Weekdays: []time.Weekday{1, 1}}, []string{"hours.weekdays"}},
		{Hours{}, []string{"hours.from", "hours.to"}},
	}
	for _, tc := range cases {
		r := percentRule(1, 10, Scope{})
		r.Hours = &tc.hours
		if got := fields(t, r.Validate()); !slices.Equal(got, tc.fields) {
			t.Errorf("%+v: fields %v, want %v", tc.hours, got, tc.fields)
		}
	}
}

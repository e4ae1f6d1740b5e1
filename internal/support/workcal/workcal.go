// Package workcal is a working-hours calendar for mainland China: the
// shop's daily hours on working days, where a working day is Monday to
// Friday unless the State Council's arrangement makes it a public
// holiday, and a Saturday or Sunday becomes a working day when it is a
// 调休 make-up workday. The arrangement comes from the chinese-days
// dataset (chinese-days.json, MIT; see chinese-days.LICENSE.txt),
// vendored by scripts/vendor-assets.sh and refreshed yearly. A shop can
// override single days (a company outing, a Double 11 weekend on duty).
//
// SLA timers count only working time: a ticket opened at 17:30 on a
// Friday with four working hours to answer is due at 12:30 on Monday
// (hours 09:00–18:00), or later when Monday is a holiday.
package workcal

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"
)

//go:embed chinese-days.json
var chineseDaysJSON []byte

// DayKind says why a day is or is not worked.
type DayKind string

// The kinds of day.
const (
	Weekday  DayKind = "weekday"  // Monday to Friday, worked
	Weekend  DayKind = "weekend"  // Saturday or Sunday, off
	Holiday  DayKind = "holiday"  // public holiday, off (法定节假日)
	Makeup   DayKind = "makeup"   // weekend day worked instead (调休上班)
	ShopWork DayKind = "shopwork" // the shop's own override: worked
	ShopOff  DayKind = "shopoff"  // the shop's own override: off
)

// Worked reports whether a day of kind k is a working day.
func (k DayKind) Worked() bool { return k == Weekday || k == Makeup || k == ShopWork }

type dataset struct {
	// holidays and workdays map "2026-10-01" to "National Day,国庆节,3".
	holidays, workdays map[string]string
	first, last        string
}

var loadData = sync.OnceValue(func() *dataset {
	var raw struct {
		Holidays map[string]string `json:"holidays"`
		Workdays map[string]string `json:"workdays"`
	}
	if err := json.Unmarshal(chineseDaysJSON, &raw); err != nil {
		panic("workcal: embedded chinese-days.json: " + err.Error())
	}
	d := &dataset{holidays: raw.Holidays, workdays: raw.Workdays}
	for day := range raw.Holidays {
		if d.first == "" || day < d.first {
			d.first = day
		}
		if day > d.last {
			d.last = day
		}
	}
	return d
})

// Covered is the first and last holiday in the embedded arrangement; a
// date past the last is treated by weekday alone until the data is
// refreshed.
func Covered() (first, last string) {
	d := loadData()
	return d.first, d.last
}

// Calendar is a set of working hours. The zero value is not usable; build
// one with New. A Calendar is immutable once built and safe to share.
type Calendar struct {
	zone       *time.Location
	start, end time.Duration // since midnight, start < end
	overrides  map[string]bool
}

// Hours is a day's working window as offsets from midnight.
type Hours struct {
	Start, End time.Duration
}

// DefaultHours are 09:00–18:00.
var DefaultHours = Hours{Start: 9 * time.Hour, End: 18 * time.Hour}

// New makes a calendar in zone with the daily hours h and the shop's own
// overrides (date "2006-01-02" → worked or not).
//
// It fails on hours outside one day or ending before they start, and on
// a malformed override date.
func New(zone *time.Location, h Hours, overrides map[string]bool) (*Calendar, error) {
	if h.Start < 0 || h.End > 24*time.Hour || h.Start >= h.End {
		return nil, fmt.Errorf("workcal: hours %v–%v are not a window within one day", h.Start, h.End)
	}
	c := &Calendar{zone: zone, start: h.Start, end: h.End, overrides: map[string]bool{}}
	for day, worked := range overrides {
		if _, err := time.Parse(time.DateOnly, day); err != nil {
			return nil, fmt.Errorf("workcal: override %q: %w", day, err)
		}
		c.overrides[day] = worked
	}
	return c, nil
}

// Hours are the calendar's daily hours.
func (c *Calendar) Hours() Hours { return Hours{Start: c.start, End: c.end} }

// Kind says whether the day of t (in the calendar's zone) is worked, and
// why.
func (c *Calendar) Kind(t time.Time) DayKind {
	day := t.In(c.zone).Format(time.DateOnly)
	if worked, ok := c.overrides[day]; ok {
		if worked {
			return ShopWork
		}
		return ShopOff
	}
	d := loadData()
	if _, ok := d.holidays[day]; ok {
		return Holiday
	}
	if _, ok := d.workdays[day]; ok {
		return Makeup
	}
	switch t.In(c.zone).Weekday() {
	case time.Saturday, time.Sunday:
		return Weekend
	}
	return Weekday
}

// HolidayName is the Chinese name of the public holiday or make-up
// workday on t's day ("国庆节"), or "".
func HolidayName(t time.Time, zone *time.Location) string {
	day := t.In(zone).Format(time.DateOnly)
	d := loadData()
	v, ok := d.holidays[day]
	if !ok {
		v, ok = d.workdays[day]
	}
	if !ok {
		return ""
	}
	parts := strings.Split(v, ",")
	if len(parts) > 1 {
		return parts[1]
	}
	return parts[0]
}

// maxDays bounds the search for working time: no arrangement has more
// than a couple of weeks off in a row, so a year without a working day
// means a calendar whose overrides switched everything off.
const maxDays = 366

// midnight is the start of t's day in the calendar's zone.
func (c *Calendar) midnight(t time.Time) time.Time {
	t = t.In(c.zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.zone)
}

// Add is the moment d of working time after t: the deadline of a timer
// started at t. Time outside the working hours does not count, so a
// timer started in the evening begins the next working morning. A zero
// or negative d returns t.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	cur := t
	day := c.midnight(t)
	for i := 0; i < maxDays; i++ {
		if c.Kind(day).Worked() {
			ws, we := day.Add(c.start), day.Add(c.end)
			if cur.Before(ws) {
				cur = ws
			}
			if cur.Before(we) {
				if avail := we.Sub(cur); d <= avail {
					return cur.Add(d).UTC()
				} else {
					d -= avail
				}
			}
		}
		day = c.midnight(day.Add(36 * time.Hour))
		cur = day
	}
	// No working time within a year: the timer never fires in practice.
	return t.Add(maxDays * 24 * time.Hour).UTC()
}

// Between is the working time from a to b (zero when b is not after a).
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var total time.Duration
	day := c.midnight(a)
	for !day.After(b) {
		if c.Kind(day).Worked() {
			ws, we := day.Add(c.start), day.Add(c.end)
			lo, hi := later(ws, a), earlier(we, b)
			if hi.After(lo) {
				total += hi.Sub(lo)
			}
		}
		day = c.midnight(day.Add(36 * time.Hour))
	}
	return total
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

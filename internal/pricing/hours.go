package pricing

import (
	"slices"
	"time"

	"storeops/internal/platform"
)

// Hours narrow a rule to a time of day, and optionally to days of the
// week, in the shop's zone (platform.ShopZone): a flash sale every evening,
// a member day every Wednesday. From is inclusive, To exclusive; a To
// before From runs past midnight (22:00–02:00), and the early hours then
// belong to the day the span began.
type Hours struct {
	From string `json:"from"` // "HH:MM"
	To   string `json:"to"`   // "HH:MM"
	// Weekdays are the days the span may begin on (0 Sunday … 6
	// Saturday); empty means every day.
	Weekdays []time.Weekday `json:"weekdays,omitempty"`
}

// parseClock reads "HH:MM" as minutes after midnight.
func parseClock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

func (h *Hours) validate(e *platform.Error, field string) {
	from, okFrom := parseClock(h.From)
	to, okTo := parseClock(h.To)
	if !okFrom {
		e.With(field+".from", "pricing.clock_format")
	}
	if !okTo {
		e.With(field+".to", "pricing.clock_format")
	}
	if okFrom && okTo && from == to {
		e.With(field+".to", "pricing.window_order")
	}
	seen := map[time.Weekday]bool{}
	for _, d := range h.Weekdays {
		if d < time.Sunday || d > time.Saturday || seen[d] {
			e.With(field+".weekdays", "field.invalid")
			break
		}
		seen[d] = true
	}
}

// contains reports whether t falls in the hours. The hours must be valid.
func (h *Hours) contains(t time.Time) bool {
	local := t.In(platform.ShopZone)
	now := local.Hour()*60 + local.Minute()
	from, _ := parseClock(h.From)
	to, _ := parseClock(h.To)
	day := local.Weekday()
	switch {
	case from < to:
		if now < from || now >= to {
			return false
		}
	case now >= from:
	case now < to:
		day = (day + 6) % 7 // after midnight: the span began yesterday
	default:
		return false
	}
	return len(h.Weekdays) == 0 || slices.Contains(h.Weekdays, day)
}

package support

import (
	"context"
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/support/workcal"
)

// Policy is the SLA of one priority: the working time allowed until the
// first response and until the resolution.
type Policy struct {
	Priority      Priority      `json:"priority"`
	FirstResponse time.Duration `json:"first_response"`
	Resolution    time.Duration `json:"resolution"`
}

// Policies reads the SLA targets, keyed by priority.
func Policies(ctx context.Context, q store.Querier) (map[Priority]Policy, error) {
	rows, err := q.QueryContext(ctx, `SELECT priority, first_response_min, resolution_min FROM support_sla`)
	if err != nil {
		return nil, fmt.Errorf("support: read SLA: %w", err)
	}
	defer rows.Close()
	out := map[Priority]Policy{}
	for rows.Next() {
		var p Policy
		var fr, res int64
		if err := rows.Scan(&p.Priority, &fr, &res); err != nil {
			return nil, fmt.Errorf("support: read SLA: %w", err)
		}
		p.FirstResponse, p.Resolution = time.Duration(fr)*time.Minute, time.Duration(res)*time.Minute
		out[p.Priority] = p
	}
	return out, rows.Err()
}

// policyOf is one priority's targets; a priority without a row gets the
// normal one's, and without that a working day for both.
func policyOf(ps map[Priority]Policy, p Priority) Policy {
	if v, ok := ps[p]; ok {
		return v
	}
	if v, ok := ps[Normal]; ok {
		return v
	}
	return Policy{Priority: p, FirstResponse: 9 * time.Hour, Resolution: 27 * time.Hour}
}

// SetPolicy changes one priority's targets. Tickets opened earlier keep
// their deadlines.
//
// Errors: CodeInvalid (422) for an unknown priority or a target outside
// 1 minute to 30 working days, or a database error.
func SetPolicy(ctx context.Context, tx *store.Tx, p Policy) error {
	e := platform.E(platform.CodeInvalid)
	if !p.Priority.Valid() {
		e.With("priority", "field.invalid")
	}
	for f, d := range map[string]time.Duration{"first_response": p.FirstResponse, "resolution": p.Resolution} {
		if d < time.Minute || d > 30*24*time.Hour {
			e.With(f, "field.invalid")
		}
	}
	if p.Resolution < p.FirstResponse {
		e.With("resolution", "support.field.resolution_before_response")
	}
	if len(e.Fields) > 0 {
		return e
	}
	_, err := tx.ExecContext(ctx, `UPDATE support_sla SET first_response_min = $1, resolution_min = $2 WHERE priority = $3`,
		int64(p.FirstResponse/time.Minute), int64(p.Resolution/time.Minute), p.Priority)
	if err != nil {
		return fmt.Errorf("support: set SLA %s: %w", p.Priority, err)
	}
	return nil
}

// Calendar is the shop's working calendar: its daily hours and its own
// days on top of the public holidays and 调休 make-up workdays.
func Calendar(ctx context.Context, q store.Querier) (*workcal.Calendar, error) {
	var start, end int64
	if err := q.QueryRowContext(ctx, `SELECT start_min, end_min FROM support_calendar WHERE id = 1`).Scan(&start, &end); err != nil {
		return nil, fmt.Errorf("support: read calendar: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT day, worked FROM support_calendar_days`)
	if err != nil {
		return nil, fmt.Errorf("support: read calendar days: %w", err)
	}
	defer rows.Close()
	days := map[string]bool{}
	for rows.Next() {
		var day string
		var worked bool
		if err := rows.Scan(&day, &worked); err != nil {
			return nil, fmt.Errorf("support: read calendar days: %w", err)
		}
		days[day] = worked
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return workcal.New(platform.ShopZone, workcal.Hours{Start: time.Duration(start) * time.Minute, End: time.Duration(end) * time.Minute}, days)
}

// SetHours changes the daily working hours (minutes after midnight).
//
// Errors: CodeInvalid (422) unless 0 ≤ start < end ≤ 1440.
func SetHours(ctx context.Context, tx *store.Tx, startMin, endMin int) error {
	if startMin < 0 || endMin > 24*60 || startMin >= endMin {
		return platform.Invalid("end", "support.field.hours_invalid")
	}
	_, err := tx.ExecContext(ctx, `UPDATE support_calendar SET start_min = $1, end_min = $2 WHERE id = 1`, startMin, endMin)
	if err != nil {
		return fmt.Errorf("support: set hours: %w", err)
	}
	return nil
}

// SetDay makes day ("2006-01-02") worked or off for the shop, whatever
// the public arrangement says.
//
// Errors: CodeInvalid (422) for a malformed day.
func SetDay(ctx context.Context, tx *store.Tx, day string, worked bool, note string) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return platform.Invalid("day", "field.invalid")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO support_calendar_days (day, worked, note) VALUES ($1, $2, $3)
		ON CONFLICT (day) DO UPDATE SET worked = excluded.worked, note = excluded.note`, day, worked, note)
	if err != nil {
		return fmt.Errorf("support: set day %s: %w", day, err)
	}
	return nil
}

// deadlines are a ticket's SLA due times from opened, in working time.
func deadlines(cal *workcal.Calendar, p Policy, opened time.Time) (firstResponse, resolution time.Time) {
	return store.Time(cal.Add(opened, p.FirstResponse)), store.Time(cal.Add(opened, p.Resolution))
}

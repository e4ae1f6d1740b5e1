package analytics

import (
	"context"
	"fmt"
	"strings"
	"time"

	"storeops/internal/store"
	"storeops/internal/strategy"
)

// plan is how a range is read: the whole shop days that are rolled up and
// unchanged since come from the rollup tables, in runs of consecutive
// days; the rest (today, a range's cut ends, days not rolled up yet or
// changed since) from the raw rows, in segments of instants.
type plan struct {
	runs [][2]string // first and last day of each run, YYYY-MM-DD
	raw  []Range
	// customers reports analytics_customers usable (built once; stale
	// customers are those named by change rows).
	customers bool
}

// planRange splits r into rolled-up days and raw segments, reading which
// days are rolled up and unchanged in tx (so in the caller's snapshot).
func planRange(ctx context.Context, tx *store.Tx, r Range) (plan, error) {
	var p plan
	days := r.Days()
	if len(days) == 0 {
		return p, nil
	}
	clean := map[string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT day FROM analytics_days d WHERE day >= $1 AND day <= $2
		AND NOT EXISTS (SELECT 1 FROM analytics_dirty m WHERE m.day = d.day)`,
		days[0].Format(time.DateOnly), days[len(days)-1].Format(time.DateOnly))
	if err != nil {
		return p, fmt.Errorf("analytics: plan: %w", err)
	}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return p, fmt.Errorf("analytics: plan: %w", err)
		}
		clean[d] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("analytics: plan: %w", err)
	}
	for _, d := range days {
		start, end := strategy.DayStart(d), strategy.DayStart(d.AddDate(0, 0, 1))
		key := d.Format(time.DateOnly)
		if !start.Before(r.From) && !end.After(r.To) && clean[key] {
			if n := len(p.runs); n > 0 && p.runs[n-1][1] == d.AddDate(0, 0, -1).Format(time.DateOnly) {
				p.runs[n-1][1] = key
			} else {
				p.runs = append(p.runs, [2]string{key, key})
			}
			continue
		}
		seg := Range{From: later(start, r.From), To: earlier(end, r.To)}
		if n := len(p.raw); n > 0 && p.raw[n-1].To.Equal(seg.From) {
			p.raw[n-1].To = seg.To
		} else {
			p.raw = append(p.raw, seg)
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM analytics_rollup_state`).Scan(&n); err != nil {
		return p, fmt.Errorf("analytics: plan: %w", err)
	}
	p.customers = n > 0
	return p, nil
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

// customerSet is a SELECT of the customers (repeated) with a counted order
// in the plan's range, its placeholders numbered from $next.
func (p plan) customerSet(next int) (string, []any) {
	var parts []string
	var args []any
	ph := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", next+len(args)-1)
	}
	for _, run := range p.runs {
		parts = append(parts, `SELECT customer_id FROM analytics_day_customers WHERE day >= `+ph(run[0])+` AND day <= `+ph(run[1]))
	}
	for _, seg := range p.raw {
		parts = append(parts, `SELECT customer_id FROM orders WHERE placed_at >= `+ph(seg.From)+` AND placed_at < `+ph(seg.To)+` AND `+countedSQL)
	}
	return strings.Join(parts, " UNION ALL "), args
}

// Package strategy holds the shop's staged targets: monthly and quarterly
// goals for GMV, gross profit and the repeat-purchase rate that the owner
// sets, and the arithmetic that measures the actual figures against them
// (progress, pacing, forecast; see progress.go). The figures themselves
// come from the analytics package, which imports this one; strategy never
// queries sales.
package strategy

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrationsFS embed.FS

// Migrations are the targets table.
func Migrations() store.Migrations {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		panic(err)
	}
	return store.Migrations{Name: "strategy", FS: sub}
}

// PeriodKind is the length of a target's period.
type PeriodKind string

const (
	Month   PeriodKind = "month"
	Quarter PeriodKind = "quarter"
)

// Kinds lists the period kinds.
var Kinds = []PeriodKind{Month, Quarter}

// Metric is what a target measures.
type Metric string

const (
	// GMV in fen: see analytics for the definition.
	GMV Metric = "gmv"
	// GrossProfit in fen.
	GrossProfit Metric = "gross_profit"
	// RepeatRate in basis points: the share of the period's buying
	// customers who have at least two counted orders placed up to the
	// period's end (orders before the period count too).
	RepeatRate Metric = "repeat_rate"
)

// Metrics lists the metrics in display order.
var Metrics = []Metric{GMV, GrossProfit, RepeatRate}

// Money reports whether the metric is an amount (fen) rather than a rate
// (basis points). Amounts accrue over the period; rates do not.
func (m Metric) Money() bool { return m == GMV || m == GrossProfit }

func (m Metric) valid() bool { return m == GMV || m == GrossProfit || m == RepeatRate }

// DayOf is the shop-zone calendar day of t, as midnight UTC of that date
// (a civil date that AddDate moves without time-zone surprises).
func DayOf(t time.Time) time.Time {
	y, m, d := t.In(platform.ShopZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DayStart is the instant a civil day (as DayOf returns) begins in the
// shop's zone, in UTC.
func DayStart(day time.Time) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, platform.ShopZone).UTC()
}

// Period is a month or a quarter of the shop's calendar.
type Period struct {
	Kind PeriodKind
	// Start is the first civil day (see DayOf).
	Start time.Time
}

// PeriodOf is the period of kind that contains instant t.
func PeriodOf(kind PeriodKind, t time.Time) Period {
	d := DayOf(t)
	m := d.Month()
	if kind == Quarter {
		m = (m-1)/3*3 + 1
	}
	return Period{Kind: kind, Start: time.Date(d.Year(), m, 1, 0, 0, 0, 0, time.UTC)}
}

// End is the first civil day after the period.
func (p Period) End() time.Time {
	if p.Kind == Quarter {
		return p.Start.AddDate(0, 3, 0)
	}
	return p.Start.AddDate(0, 1, 0)
}

// Days is the number of days in the period.
func (p Period) Days() int { return int(p.End().Sub(p.Start).Hours() / 24) }

// From and To are the period's instants [From, To) in UTC.
func (p Period) From() time.Time { return DayStart(p.Start) }
func (p Period) To() time.Time   { return DayStart(p.End()) }

// Code is the period as the form writes it: 2026-11 or 2026-Q4.
func (p Period) Code() string {
	if p.Kind == Quarter {
		return fmt.Sprintf("%d-Q%d", p.Start.Year(), (int(p.Start.Month())-1)/3+1)
	}
	return p.Start.Format("2006-01")
}

// Prev is the period before p.
func (p Period) Prev() Period {
	if p.Kind == Quarter {
		return Period{Kind: Quarter, Start: p.Start.AddDate(0, -3, 0)}
	}
	return Period{Kind: Month, Start: p.Start.AddDate(0, -1, 0)}
}

// Next is the period after p.
func (p Period) Next() Period { return Period{Kind: p.Kind, Start: p.End()} }

// ParsePeriod reads a period code: 2026-11 (a month) or 2026-Q4.
func ParsePeriod(code string) (Period, error) {
	code = strings.TrimSpace(code)
	if y, q, ok := strings.Cut(strings.ToUpper(code), "-Q"); ok {
		var year, quarter int
		if _, err := fmt.Sscanf(y+" "+q, "%d %d", &year, &quarter); err == nil && quarter >= 1 && quarter <= 4 && year >= 2000 && year <= 2200 && len(q) == 1 {
			return Period{Kind: Quarter, Start: time.Date(year, time.Month(quarter*3-2), 1, 0, 0, 0, 0, time.UTC)}, nil
		}
	} else if t, err := time.Parse("2006-01", code); err == nil && t.Year() >= 2000 && t.Year() <= 2200 {
		return Period{Kind: Month, Start: t}, nil
	}
	return Period{}, platform.Invalid("period", "strategy.bad_period")
}

// Target is one goal.
type Target struct {
	ID     platform.ID `json:"id,string"`
	Period Period      `json:"-"`
	Metric Metric      `json:"metric"`
	// Value is fen for money metrics, basis points for rates.
	Value     int64     `json:"value"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
	// PeriodCode is Period.Code, for the audit snapshot.
	PeriodCode string `json:"period"`
}

// Validate checks a target before it is stored.
func (t Target) Validate() error {
	e := platform.E(platform.CodeInvalid)
	if t.Period.Kind != Month && t.Period.Kind != Quarter {
		e.With("period", "strategy.bad_period")
	}
	if !t.Metric.valid() {
		e.With("metric", "field.invalid")
	}
	if t.Value <= 0 {
		e.With(string(t.Metric), "strategy.positive")
	}
	if t.Metric == RepeatRate && t.Value > 10000 {
		e.With(string(t.Metric), "strategy.rate_max")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// Service stores targets.
type Service struct{ DB *store.DB }

// Targets lists the targets of the given periods (all when none given),
// newest period first, metrics in display order.
func (s *Service) Targets(ctx context.Context, periods ...Period) ([]Target, error) {
	var out []Target
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = targets(ctx, tx, periods)
		return err
	})
	return out, err
}

func targets(ctx context.Context, q store.Querier, periods []Period) ([]Target, error) {
	query := `SELECT id, period_kind, period_start, metric, target, updated_by, updated_at FROM strategy_targets`
	var args []any
	if len(periods) > 0 {
		var ors []string
		for _, p := range periods {
			args = append(args, string(p.Kind), p.Start.Format(time.DateOnly))
			ors = append(ors, fmt.Sprintf("(period_kind = $%d AND period_start = $%d)", len(args)-1, len(args)))
		}
		query += ` WHERE ` + strings.Join(ors, " OR ")
	}
	query += ` ORDER BY period_start DESC, period_kind DESC`
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("strategy: list targets: %w", err)
	}
	defer rows.Close()
	var out []Target
	for rows.Next() {
		var t Target
		var kind, start, metric string
		if err := rows.Scan(&t.ID, &kind, &start, &metric, &t.Value, &t.UpdatedBy, &t.UpdatedAt); err != nil {
			return nil, fmt.Errorf("strategy: list targets: %w", err)
		}
		day, err := time.Parse(time.DateOnly, start)
		if err != nil {
			return nil, fmt.Errorf("strategy: target %d: period start %q: %w", t.ID, start, err)
		}
		t.Period = Period{Kind: PeriodKind(kind), Start: day}
		t.PeriodCode = t.Period.Code()
		t.Metric = Metric(metric)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("strategy: list targets: %w", err)
	}
	sortTargets(out)
	return out, nil
}

// sortTargets keeps the query's period order and puts metrics in display
// order within a period.
func sortTargets(ts []Target) {
	rank := func(m Metric) int {
		for i, x := range Metrics {
			if x == m {
				return i
			}
		}
		return len(Metrics)
	}
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0; j-- {
			a, b := ts[j-1], ts[j]
			if a.Period == b.Period && rank(a.Metric) > rank(b.Metric) {
				ts[j-1], ts[j] = b, a
			}
		}
	}
}

// Change is one edit of a period's targets: a value per metric; a nil
// value removes that metric's target.
type Change struct {
	Period Period
	Values map[Metric]*int64
	// By names who made it ("staff:ID" or a name), stored on the row.
	By string
}

// Recorder writes an audit entry for one target change in the same
// transaction (before or after is nil for a create or a delete).
type Recorder func(ctx context.Context, tx *store.Tx, action string, id platform.ID, before, after *Target) error

// Apply sets and removes a period's targets in one transaction, recording
// each actual change with rec (may be nil). It returns CodeInvalid when a
// value fails Validate, and nothing is written then.
func (s *Service) Apply(ctx context.Context, c Change, rec Recorder) error {
	for _, m := range Metrics {
		if v := c.Values[m]; v != nil {
			if err := (Target{Period: c.Period, Metric: m, Value: *v}).Validate(); err != nil {
				return err
			}
		}
	}
	return s.DB.Write(ctx, func(tx *store.Tx) error {
		existing, err := targets(ctx, tx, []Period{c.Period})
		if err != nil {
			return err
		}
		for _, m := range Metrics {
			v, mentioned := c.Values[m]
			if !mentioned {
				continue
			}
			var before *Target
			for i := range existing {
				if existing[i].Metric == m {
					before = &existing[i]
				}
			}
			switch {
			case v == nil && before != nil:
				if _, err := tx.ExecContext(ctx, `DELETE FROM strategy_targets WHERE id = $1`, int64(before.ID)); err != nil {
					return fmt.Errorf("strategy: delete target: %w", err)
				}
				if rec != nil {
					if err := rec(ctx, tx, "strategy.target_delete", before.ID, before, nil); err != nil {
						return err
					}
				}
			case v != nil && (before == nil || before.Value != *v):
				after := Target{Period: c.Period, PeriodCode: c.Period.Code(), Metric: m, Value: *v, UpdatedBy: c.By, UpdatedAt: tx.Now}
				after.ID = tx.NewID()
				if before != nil {
					after.ID = before.ID
				}
				// One statement for insert and update on both databases.
				_, err := tx.ExecContext(ctx, `INSERT INTO strategy_targets
					(id, period_kind, period_start, metric, target, updated_by, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
					ON CONFLICT (period_kind, period_start, metric)
					DO UPDATE SET target = excluded.target, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
					int64(after.ID), string(c.Period.Kind), c.Period.Start.Format(time.DateOnly), string(m), *v, c.By, tx.Now)
				if err != nil {
					return fmt.Errorf("strategy: set target: %w", err)
				}
				if rec != nil {
					action := "strategy.target_update"
					if before == nil {
						action = "strategy.target_create"
					}
					if err := rec(ctx, tx, action, after.ID, before, &after); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// Target returns one period's target for a metric, or platform.ErrNotFound.
func (s *Service) Target(ctx context.Context, p Period, m Metric) (Target, error) {
	ts, err := s.Targets(ctx, p)
	if err != nil {
		return Target{}, err
	}
	for _, t := range ts {
		if t.Metric == m {
			return t, nil
		}
	}
	return Target{}, store.NotFound(sql.ErrNoRows, "target")
}

package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/strategy"
)

// The rollup tables, in the order a day's rows are replaced.
var dayTables = []string{"analytics_days", "analytics_day_products", "analytics_day_categories", "analytics_day_customers"}

// rollDays replaces the rollups of the shop days first..last (inclusive)
// with aggregates of the raw rows, set-based: one INSERT … SELECT … GROUP
// BY per table over the whole span, so rebuilding the demo's 25 months
// costs four scans. Every day of the span gets its analytics_days row,
// zeros when it had no sales, which marks it rolled up.
func rollDays(ctx context.Context, tx *store.Tx, first, last time.Time) error {
	if last.Before(first) {
		return nil
	}
	from, to := strategy.DayStart(first), strategy.DayStart(last.AddDate(0, 0, 1))
	lo, hi := first.Format(time.DateOnly), last.Format(time.DateOnly)
	for _, t := range dayTables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE day >= $1 AND day <= $2`, lo, hi); err != nil {
			return fmt.Errorf("analytics: roll days: clear %s: %w", t, err)
		}
	}
	key, day := shopDay(tx.Dialect, "placed_at")
	okey, oday := shopDay(tx.Dialect, "o.placed_at")
	statements := []string{
		`INSERT INTO analytics_days (day, gmv, orders, cost, refunds, rolled_at)
		SELECT ` + day + `, SUM(total), COUNT(*), SUM(cost_total), SUM(refunded_total), $3
		FROM orders WHERE placed_at >= $1 AND placed_at < $2 AND ` + countedSQL + ` GROUP BY ` + key,
		`INSERT INTO analytics_day_products (day, product_id, quantity, orders, sales)
		SELECT ` + oday + `, l.product_id, SUM(l.quantity), COUNT(DISTINCT l.order_id), SUM(l.line_total)
		FROM orders o JOIN order_lines l ON l.order_id = o.id
		WHERE o.placed_at >= $1 AND o.placed_at < $2 AND o.` + countedSQL + ` GROUP BY ` + okey + `, l.product_id`,
		`INSERT INTO analytics_day_categories (day, category_id, quantity, orders, sales)
		SELECT ` + oday + `, l.category_id, SUM(l.quantity), COUNT(DISTINCT l.order_id), SUM(l.line_total)
		FROM orders o JOIN order_lines l ON l.order_id = o.id
		WHERE o.placed_at >= $1 AND o.placed_at < $2 AND o.` + countedSQL + ` GROUP BY ` + okey + `, l.category_id`,
		`INSERT INTO analytics_day_customers (day, customer_id)
		SELECT ` + day + `, customer_id
		FROM orders WHERE placed_at >= $1 AND placed_at < $2 AND ` + countedSQL + ` GROUP BY ` + key + `, customer_id`,
	}
	for i, q := range statements {
		args := []any{from, to}
		if i == 0 {
			args = append(args, tx.Now)
		}
		start := time.Now()
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("analytics: roll days %s..%s: %s: %w", lo, hi, dayTables[i], err)
		}
		debug(tx, "analytics: rolled up", "table", dayTables[i], "first", lo, "last", hi, "took", time.Since(start))
	}
	// The days without sales, in batches of multi-row inserts.
	const batch = 200
	var vals []string
	var args []any
	flush := func() error {
		if len(vals) == 0 {
			return nil
		}
		q := `INSERT INTO analytics_days (day, gmv, orders, cost, refunds, rolled_at) VALUES ` + strings.Join(vals, ", ") +
			` ON CONFLICT (day) DO NOTHING`
		_, err := tx.ExecContext(ctx, q, args...)
		vals, args = vals[:0], args[:0]
		if err != nil {
			return fmt.Errorf("analytics: roll days: empty days: %w", err)
		}
		return nil
	}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		args = append(args, d.Format(time.DateOnly), tx.Now)
		vals = append(vals, fmt.Sprintf("($%d, 0, 0, 0, 0, $%d)", len(args)-1, len(args)))
		if len(vals) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// customerFirstsSQL selects each customer's first and second counted
// orders' placed_at; filter narrows the orders (an AND clause or "").
func customerFirstsSQL(filter string) string {
	return `SELECT customer_id, MIN(placed_at), MAX(CASE WHEN rn = 2 THEN placed_at END)
		FROM (SELECT customer_id, placed_at, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY placed_at, id) AS rn
			FROM orders WHERE ` + countedSQL + filter + `) t
		WHERE rn <= 2 GROUP BY customer_id`
}

// rollCustomers rebuilds every customer's first and second counted order
// and marks the table valid.
func rollCustomers(ctx context.Context, tx *store.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM analytics_customers`); err != nil {
		return fmt.Errorf("analytics: roll customers: %w", err)
	}
	start := time.Now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO analytics_customers (customer_id, first_at, second_at) `+customerFirstsSQL("")); err != nil {
		return fmt.Errorf("analytics: roll customers: %w", err)
	}
	debug(tx, "analytics: rolled up", "table", "analytics_customers", "took", time.Since(start))
	_, err := tx.ExecContext(ctx, `INSERT INTO analytics_rollup_state (id, customers_at) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET customers_at = excluded.customers_at`, tx.Now)
	if err != nil {
		return fmt.Errorf("analytics: roll customers: state: %w", err)
	}
	return nil
}

// refreshCustomers recomputes the first and second counted orders of the
// given customers from the raw rows.
func refreshCustomers(ctx context.Context, tx *store.Tx, ids []platform.ID) error {
	const batch = 500
	for len(ids) > 0 {
		n := min(len(ids), batch)
		ph := make([]string, n)
		args := make([]any, n)
		for i, id := range ids[:n] {
			ph[i] = fmt.Sprintf("$%d", i+1)
			args[i] = int64(id)
		}
		in := "(" + strings.Join(ph, ", ") + ")"
		if _, err := tx.ExecContext(ctx, `DELETE FROM analytics_customers WHERE customer_id IN `+in, args...); err != nil {
			return fmt.Errorf("analytics: refresh customers: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO analytics_customers (customer_id, first_at, second_at) `+
			customerFirstsSQL(" AND customer_id IN "+in), args...); err != nil {
			return fmt.Errorf("analytics: refresh customers: %w", err)
		}
		ids = ids[n:]
	}
	return nil
}

// clearRollups empties every rollup table and the change log.
func clearRollups(ctx context.Context, tx *store.Tx) error {
	for _, t := range append(append([]string{}, dayTables...), "analytics_customers", "analytics_rollup_state", "analytics_dirty") {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return fmt.Errorf("analytics: clear rollups: %s: %w", t, err)
		}
	}
	return nil
}

// Rebuild recomputes every rollup from the raw rows in one transaction:
// all shop days from the first order's to yesterday, and every customer's
// first orders. The demo calls it after loading the order history; it is
// also the repair for rollups suspected wrong (a writer that broke the
// MarkDirty contract).
func Rebuild(ctx context.Context, db *store.DB) error {
	return db.Write(ctx, func(tx *store.Tx) error {
		if err := lockRollups(ctx, tx); err != nil {
			return err
		}
		if err := clearRollups(ctx, tx); err != nil {
			return err
		}
		if err := rollCustomers(ctx, tx); err != nil {
			return err
		}
		first, ok, err := firstOrderDay(ctx, tx)
		if err != nil || !ok {
			return err
		}
		return rollDays(ctx, tx, first, strategy.DayOf(tx.Now).AddDate(0, 0, -1))
	})
}

// firstOrderDay is the shop day of the oldest order; ok is false without
// orders.
func firstOrderDay(ctx context.Context, tx *store.Tx) (day time.Time, ok bool, err error) {
	var at time.Time
	err = tx.QueryRowContext(ctx, `SELECT placed_at FROM orders ORDER BY placed_at LIMIT 1`).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("analytics: first order: %w", err)
	}
	return strategy.DayOf(at), true, nil
}

// debug logs a rollup step's cost, for "demo --log-level debug".
func debug(tx *store.Tx, msg string, args ...any) {
	if l := tx.DB().Log; l != nil {
		l.Debug(msg, args...)
	}
}

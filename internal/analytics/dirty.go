package analytics

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/strategy"
)

// MarkDirty records, in the transaction of an order write, that the
// rollups of the order's shop day and its customer's first orders may be
// out of date. It is the contract every order writer keeps:
//
// Any write that creates an order or changes its status, total, cost,
// refunded total, lines, customer or placed_at must call MarkDirty with
// the order's customer and placed_at in the same transaction, after the
// change; a change of customer or placed_at calls it for the old values
// too.
//
// It appends one row and takes no lock, so concurrent checkouts do not
// contend on it. From the moment the transaction commits, readers treat
// that day and customer as unknown and read them from the raw rows, so
// figures are exact at once; the refresh job (Refresh) recomputes them in
// the background. A writer that skips it leaves a past day's figures
// stale until Rebuild.
func MarkDirty(ctx context.Context, tx *store.Tx, customerID platform.ID, placedAt time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO analytics_dirty (id, day, customer_id) VALUES ($1, $2, $3)`,
		tx.NewID(), strategy.DayOf(placedAt).Format(time.DateOnly), int64(customerID))
	if err != nil {
		return fmt.Errorf("analytics: mark dirty: %w", err)
	}
	return nil
}

// refreshBatch bounds the change rows one refresh transaction handles.
const refreshBatch = 5000

// refreshLock is the PostgreSQL advisory lock that keeps two refreshes,
// or a refresh and a rebuild, from replacing the same day's rows at once
// (SQLite's single writer already does).
const refreshLock = 7_140_118_227

// lockRollups takes refreshLock until tx ends.
func lockRollups(ctx context.Context, tx *store.Tx) error {
	if tx.Dialect != store.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(refreshLock)); err != nil {
		return fmt.Errorf("analytics: lock rollups: %w", err)
	}
	return nil
}

// Refreshed says what a Refresh did.
type Refreshed struct {
	Days      int // shop days recomputed
	Customers int // customers whose first orders were recomputed
	Changes   int // change rows consumed
}

// Refresh brings the rollups up to date: it recomputes the shop days and
// customers named by MarkDirty rows, rolls up every whole past day not
// rolled up yet (yesterday, once today starts), and deletes the change
// rows it handled. It is idempotent and safe beside writers: it reads the
// change rows before the raw rows, so whatever a change row it consumes
// describes is visible to its recomputation, and it deletes only the rows
// it read (a row committed meanwhile stays, and its day stays read raw).
func Refresh(ctx context.Context, db *store.DB) (Refreshed, error) {
	var total Refreshed
	for {
		var r Refreshed
		err := db.Write(ctx, func(tx *store.Tx) error {
			var err error
			r, err = refreshOnce(ctx, tx)
			return err
		})
		if err != nil {
			return total, err
		}
		total.Days += r.Days
		total.Customers += r.Customers
		total.Changes += r.Changes
		if r.Changes < refreshBatch {
			return total, nil
		}
	}
}

func refreshOnce(ctx context.Context, tx *store.Tx) (Refreshed, error) {
	var out Refreshed
	if err := lockRollups(ctx, tx); err != nil {
		return out, err
	}
	// The change rows first: see the doc comment.
	rows, err := tx.QueryContext(ctx, `SELECT id, day, customer_id FROM analytics_dirty ORDER BY id LIMIT `+fmt.Sprint(refreshBatch))
	if err != nil {
		return out, fmt.Errorf("analytics: refresh: %w", err)
	}
	var ids []int64
	days := map[string]bool{}
	customers := map[platform.ID]bool{}
	for rows.Next() {
		var id int64
		var day string
		var customer platform.ID
		if err := rows.Scan(&id, &day, &customer); err != nil {
			rows.Close()
			return out, fmt.Errorf("analytics: refresh: %w", err)
		}
		ids = append(ids, id)
		days[day] = true
		customers[customer] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("analytics: refresh: %w", err)
	}
	out.Changes = len(ids)

	built, err := customersBuilt(ctx, tx)
	if err != nil {
		return out, err
	}
	if !built {
		if err := rollCustomers(ctx, tx); err != nil {
			return out, err
		}
	} else if len(customers) > 0 {
		list := make([]platform.ID, 0, len(customers))
		for c := range customers {
			list = append(list, c)
		}
		sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
		if err := refreshCustomers(ctx, tx, list); err != nil {
			return out, err
		}
		out.Customers = len(list)
	}

	// Days to roll: the changed past days (or rolled ones, whatever the
	// clock did), and every past day since the first order not rolled up.
	today := strategy.DayOf(tx.Now)
	rolled, err := rolledDays(ctx, tx)
	if err != nil {
		return out, err
	}
	todo := map[time.Time]bool{}
	for key := range days {
		d, err := time.Parse(time.DateOnly, key)
		if err != nil {
			return out, fmt.Errorf("analytics: refresh: day %q: %w", key, err)
		}
		if d.Before(today) || rolled[key] {
			todo[d] = true
		}
	}
	if first, ok, err := firstOrderDay(ctx, tx); err != nil {
		return out, err
	} else if ok {
		for d := first; d.Before(today); d = d.AddDate(0, 0, 1) {
			if !rolled[d.Format(time.DateOnly)] {
				todo[d] = true
			}
		}
	}
	for _, span := range spans(todo) {
		if err := rollDays(ctx, tx, span[0], span[1]); err != nil {
			return out, err
		}
	}
	out.Days = len(todo)
	return out, deleteChanges(ctx, tx, ids)
}

// spans groups days into runs of consecutive days, [first, last] each.
func spans(days map[time.Time]bool) [][2]time.Time {
	list := make([]time.Time, 0, len(days))
	for d := range days {
		list = append(list, d)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Before(list[j]) })
	var out [][2]time.Time
	for _, d := range list {
		if n := len(out); n > 0 && out[n-1][1].AddDate(0, 0, 1).Equal(d) {
			out[n-1][1] = d
			continue
		}
		out = append(out, [2]time.Time{d, d})
	}
	return out
}

func rolledDays(ctx context.Context, tx *store.Tx) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT day FROM analytics_days`)
	if err != nil {
		return nil, fmt.Errorf("analytics: rolled days: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("analytics: rolled days: %w", err)
		}
		out[d] = true
	}
	return out, rows.Err()
}

func customersBuilt(ctx context.Context, tx *store.Tx) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM analytics_rollup_state`).Scan(&n); err != nil {
		return false, fmt.Errorf("analytics: rollup state: %w", err)
	}
	return n > 0, nil
}

// deleteChanges deletes the change rows with the given ids, and only
// those.
func deleteChanges(ctx context.Context, tx *store.Tx, ids []int64) error {
	const batch = 500
	for len(ids) > 0 {
		n := min(len(ids), batch)
		ph := make([]string, n)
		args := make([]any, n)
		for i, id := range ids[:n] {
			ph[i] = fmt.Sprintf("$%d", i+1)
			args[i] = id
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM analytics_dirty WHERE id IN (`+strings.Join(ph, ", ")+`)`, args...); err != nil {
			return fmt.Errorf("analytics: refresh: delete changes: %w", err)
		}
		ids = ids[n:]
	}
	return nil
}

// RefreshArgs is the job that runs Refresh: every minute on the queue's
// leader, and once at start.
type RefreshArgs struct{}

// Kind implements river.JobArgs.
func (RefreshArgs) Kind() string { return "analytics_refresh" }

type refreshWorker struct {
	river.WorkerDefaults[RefreshArgs]
	db *store.DB
}

func (w *refreshWorker) Work(ctx context.Context, _ *river.Job[RefreshArgs]) error {
	_, err := Refresh(ctx, w.db)
	return err
}

// refreshEvery is how often the rollups catch up with order writes; the
// figures are exact meanwhile (changed days are read raw), only slower.
const refreshEvery = time.Minute

func refreshJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(refreshEvery),
		func() (river.JobArgs, *river.InsertOpts) { return RefreshArgs{}, nil },
		&river.PeriodicJobOpts{ID: "analytics_refresh", RunOnStart: true})
}

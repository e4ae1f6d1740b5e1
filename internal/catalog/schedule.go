package catalog

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// ScheduleArgs is the periodic job that lists and delists the products
// whose scheduled times have come.
type ScheduleArgs struct{}

// Kind names the job.
func (ScheduleArgs) Kind() string { return "catalog.schedule" }

type scheduleWorker struct {
	river.WorkerDefaults[ScheduleArgs]
	db *store.DB
}

func (w *scheduleWorker) Work(ctx context.Context, _ *river.Job[ScheduleArgs]) error {
	_, err := RunSchedule(ctx, w.db, w.db.Now())
	return err
}

// scheduleBatch bounds one sweep; the next minute's takes the rest.
const scheduleBatch = 500

// ScheduleResult counts what a sweep did.
type ScheduleResult struct {
	Listed, Delisted, Skipped int
}

// RunSchedule puts on sale the draft and off-sale products whose list_at
// has come by now, then takes off sale the on-sale ones whose delist_at
// has, each in its own transaction audited as the system. A sweep every
// minute replaces a job per product, so editing or cancelling a schedule
// is a plain column change; each move reads the product again in its
// transaction, so a product changed meanwhile is left as the operator
// left it. A product due to list without a priced SKU cannot go on sale:
// its schedule is cleared and the skip audited, instead of failing every
// minute.
func RunSchedule(ctx context.Context, db *store.DB, now time.Time) (ScheduleResult, error) {
	var res ScheduleResult
	now = store.Time(now)
	due := func(q string) ([]platform.ID, error) {
		rows, err := db.R.QueryContext(ctx, q+` LIMIT `+strconv.Itoa(scheduleBatch), now)
		if err != nil {
			return nil, fmt.Errorf("catalog: due schedules: %w", err)
		}
		defer rows.Close()
		var ids []platform.ID
		for rows.Next() {
			var id platform.ID
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	list, err := due(`SELECT id FROM products WHERE list_at IS NOT NULL AND list_at <= $1 AND status IN ('draft', 'off_sale') ORDER BY list_at, id`)
	if err != nil {
		return res, err
	}
	reason := platform.T(platform.ZH, "catalog.scheduled")
	for _, id := range list {
		// outcome is set by the attempt that commits (Write may retry).
		var outcome *int
		err := db.Write(ctx, func(tx *store.Tx) error {
			outcome = nil
			var st Status
			var at *time.Time
			if err := tx.QueryRowContext(ctx, `SELECT status, list_at FROM products WHERE id = $1`, id).Scan(&st, &at); err != nil {
				return err
			}
			if at == nil || at.After(now) || (st != StatusDraft && st != StatusOffSale) {
				return nil
			}
			err := setStatus(ctx, tx, audit.System, id, StatusOnSale, reason)
			switch platform.ErrorCode(err) {
			case "":
				outcome = &res.Listed
				return nil
			case CodeNotSellable:
				outcome = &res.Skipped
				return skipSchedule(ctx, tx, id, *at)
			}
			return err
		})
		if err != nil {
			return res, err
		}
		if outcome != nil {
			*outcome++
		}
	}
	delist, err := due(`SELECT id FROM products WHERE delist_at IS NOT NULL AND delist_at <= $1 AND status = 'on_sale' ORDER BY delist_at, id`)
	if err != nil {
		return res, err
	}
	for _, id := range delist {
		done := false
		err := db.Write(ctx, func(tx *store.Tx) error {
			done = false
			var st Status
			var at *time.Time
			if err := tx.QueryRowContext(ctx, `SELECT status, delist_at FROM products WHERE id = $1`, id).Scan(&st, &at); err != nil {
				return err
			}
			if at == nil || at.After(now) || st != StatusOnSale {
				return nil
			}
			if err := setStatus(ctx, tx, audit.System, id, StatusOffSale, reason); err != nil {
				return err
			}
			done = true
			return nil
		})
		if err != nil {
			return res, err
		}
		if done {
			res.Delisted++
		}
	}
	return res, nil
}

// skipSchedule clears a listing that cannot happen and records why.
func skipSchedule(ctx context.Context, tx *store.Tx, id platform.ID, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE products SET list_at = NULL, updated_at = $1 WHERE id = $2`, tx.Now, id); err != nil {
		return fmt.Errorf("catalog: clear schedule of %d: %w", id, err)
	}
	return audit.Change(ctx, tx, audit.System, "product.schedule_skipped", "product", id,
		map[string]any{"list_at": at}, map[string]any{"list_at": nil, "reason": string(CodeNotSellable)})
}

package search

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/store"
)

// LogKeep is how long the search log is kept: a little over a year, so a
// keyword report can compare a season with the same season last year.
const LogKeep = 400 * 24 * time.Hour

// PurgeLog deletes searches logged before cutoff with their clicks and
// purchases, and returns how many searches went.
func PurgeLog(ctx context.Context, db *store.DB, cutoff time.Time) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_feedback WHERE search_id IN
			(SELECT id FROM search_log WHERE at < $1)`, store.Time(cutoff)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM search_log WHERE at < $1`, store.Time(cutoff))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("search: purge log: %w", err)
	}
	return n, nil
}

// LogRetentionArgs is the daily purge of old search log rows.
type LogRetentionArgs struct{}

// Kind names the job.
func (LogRetentionArgs) Kind() string { return "search.log_retention" }

type logRetentionWorker struct {
	river.WorkerDefaults[LogRetentionArgs]
	db *store.DB
}

// Work purges rows older than LogKeep.
func (w *logRetentionWorker) Work(ctx context.Context, _ *river.Job[LogRetentionArgs]) error {
	_, err := PurgeLog(ctx, w.db, w.db.Now().Add(-LogKeep))
	return err
}

func logRetentionJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return LogRetentionArgs{}, nil }, nil)
}

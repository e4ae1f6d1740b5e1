package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/outbox"
	"storeops/internal/store"
)

// OutboxPruneArgs is the job that deletes outbox events older than
// KeepDays that every live consumer has handled.
type OutboxPruneArgs struct {
	KeepDays int `json:"keep_days"`
}

// Kind implements river.JobArgs.
func (OutboxPruneArgs) Kind() string { return "outbox_prune" }

type outboxPruneWorker struct {
	river.WorkerDefaults[OutboxPruneArgs]
	db *store.DB
}

func (w *outboxPruneWorker) Work(ctx context.Context, job *river.Job[OutboxPruneArgs]) error {
	_, err := outbox.Prune(ctx, w.db, time.Duration(job.Args.KeepDays)*24*time.Hour)
	return err
}

// OutboxRetention registers the outbox prune worker in workers and returns
// its daily schedule for Config.Periodic, keeping keepDays of events.
func OutboxRetention(workers *river.Workers, db *store.DB, keepDays int) *river.PeriodicJob {
	river.AddWorker(workers, &outboxPruneWorker{db: db})
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return OutboxPruneArgs{KeepDays: keepDays}, nil },
		&river.PeriodicJobOpts{ID: "outbox_prune"})
}

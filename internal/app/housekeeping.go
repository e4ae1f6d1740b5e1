package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/idempotency"
	"storeops/internal/module"
	"storeops/internal/outbox"
	"storeops/internal/store"
)

// platformModule holds the platform's own tables and chores: the outbox
// log, stored Idempotency-Key responses and their hourly purge.
func platformModule(d *module.Deps) (*module.Module, error) {
	return &module.Module{
		Name:       "platform",
		Migrations: []store.Migrations{outbox.Migrations(), idempotency.Migrations()},
		Workers: func(w *river.Workers) {
			river.AddWorker(w, &housekeepingWorker{d: d})
		},
		Periodic: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
				func() (river.JobArgs, *river.InsertOpts) { return HousekeepingArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
		},
	}, nil
}

// HousekeepingArgs is the hourly clean-up job.
type HousekeepingArgs struct{}

// Kind names the job.
func (HousekeepingArgs) Kind() string { return "platform.housekeeping" }

type housekeepingWorker struct {
	river.WorkerDefaults[HousekeepingArgs]
	d *module.Deps
}

// Work deletes expired idempotency records.
func (w *housekeepingWorker) Work(ctx context.Context, job *river.Job[HousekeepingArgs]) error {
	n, err := idempotency.Purge(ctx, w.d.DB, w.d.DB.Now())
	if err != nil {
		return err
	}
	if n > 0 {
		w.d.Log.Info("purged expired idempotency keys", "count", n)
	}
	return nil
}

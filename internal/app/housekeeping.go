package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/cart"
	"storeops/internal/customer"
	"storeops/internal/idempotency"
	"storeops/internal/module"
	"storeops/internal/outbox"
	"storeops/internal/store"
)

// platformModule holds the platform's own tables and chores: the outbox
// log, stored Idempotency-Key responses, and the hourly purge of those and
// of other modules' expired rows.
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

// Work runs Housekeeping.
func (w *housekeepingWorker) Work(ctx context.Context, job *river.Job[HousekeepingArgs]) error {
	return Housekeeping(ctx, w.d.DB, w.d.Log)
}

// Housekeeping deletes expired rows: stored Idempotency-Key responses,
// customer sessions and sign-in/sign-up throttle counters, and guest
// carts idle for cart.GuestIdle. The hourly
// housekeeping job runs it.
func Housekeeping(ctx context.Context, db *store.DB, log *slog.Logger) error {
	now := db.Now()
	n, err := idempotency.Purge(ctx, db, now)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("purged expired idempotency keys", "count", n)
	}
	sessions, counters, err := customer.Purge(ctx, db, now)
	if err != nil {
		return err
	}
	if sessions > 0 || counters > 0 {
		log.Info("purged expired customer sessions and throttle counters", "sessions", sessions, "counters", counters)
	}
	carts, err := cart.PurgeGuests(ctx, db, now.Add(-cart.GuestIdle))
	if err != nil {
		return err
	}
	if carts > 0 {
		log.Info("purged idle guest carts", "carts", carts)
	}
	return nil
}

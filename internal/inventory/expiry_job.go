package inventory

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/store"
)

// ExpireArgs is the periodic job that releases expired reservations.
type ExpireArgs struct{}

// Kind names the job.
func (ExpireArgs) Kind() string { return "inventory.expire_reservations" }

type expireWorker struct {
	river.WorkerDefaults[ExpireArgs]
	db  *store.DB
	log *slog.Logger
}

// Work releases every reservation due by now.
func (w *expireWorker) Work(ctx context.Context, job *river.Job[ExpireArgs]) error {
	n, err := ExpireDue(ctx, w.db, w.db.Now())
	if n > 0 && w.log != nil {
		w.log.Info("released expired stock reservations", "rows", n)
	}
	return err
}

// expireEvery is how often the leader looks for expired reservations; a
// hold outlives its expiry by at most this long.
const expireEvery = time.Minute

func expirePeriodic() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(expireEvery),
		func() (river.JobArgs, *river.InsertOpts) { return ExpireArgs{}, nil },
		&river.PeriodicJobOpts{ID: "inventory_expire_reservations", RunOnStart: true})
}

package payment

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// ReconcileArgs is the job that reconciles a day (empty: yesterday and the
// day before, so late captures and refunds are caught).
type ReconcileArgs struct {
	Day string `json:"day,omitempty"`
}

// Kind implements river.JobArgs.
func (ReconcileArgs) Kind() string { return "payment_reconcile" }

type reconcileWorker struct {
	river.WorkerDefaults[ReconcileArgs]
	s *Service
}

func (w *reconcileWorker) Work(ctx context.Context, job *river.Job[ReconcileArgs]) error {
	days := []string{job.Args.Day}
	if job.Args.Day == "" {
		now := w.s.db.Now()
		days = []string{ShopDay(now.AddDate(0, 0, -2)), ShopDay(now.AddDate(0, 0, -1))}
	}
	for _, d := range days {
		if _, _, err := w.s.Reconcile(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// SweepArgs is the job that resends refunds the provider never got, asks
// providers about old pending online payments, and forgets old nonces.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "payment_sweep" }

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

func (w *sweepWorker) Work(ctx context.Context, job *river.Job[SweepArgs]) error {
	return w.s.Sweep(ctx)
}

// Sweep is one pass of the sweep job. A provider that is down is logged
// and tried again next pass.
func (s *Service) Sweep(ctx context.Context) error {
	now := s.db.Now()
	rows, err := s.db.R.QueryContext(ctx, `SELECT id FROM refunds WHERE status = 'approved' AND submitted_at IS NULL AND request_key IS NOT NULL AND created_at < $1 ORDER BY id LIMIT 100`,
		now.Add(-time.Minute))
	if err != nil {
		return err
	}
	var refunds []platform.ID
	for rows.Next() {
		var id platform.ID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		refunds = append(refunds, id)
	}
	rows.Close()
	for _, id := range refunds {
		if err := s.submitRefund(ctx, s.db, id); err != nil {
			s.log.WarnContext(ctx, "refund resend failed", "refund", id, "err", err)
		}
	}
	rows, err = s.db.R.QueryContext(ctx, `SELECT id FROM payments WHERE status = 'pending' AND method = 'online' AND created_at < $1 AND created_at > $2 ORDER BY id LIMIT 100`,
		now.Add(-10*time.Minute), now.Add(-48*time.Hour))
	if err != nil {
		return err
	}
	var pending []platform.ID
	for rows.Next() {
		var id platform.ID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		pending = append(pending, id)
	}
	rows.Close()
	for _, id := range pending {
		if _, err := s.Sync(ctx, id); err != nil {
			s.log.WarnContext(ctx, "payment sync failed", "payment", id, "err", err)
		}
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM payment_nonces WHERE seen_at < $1`, now.Add(-nonceKeep))
		return err
	})
}

// periodic are the payment domain's schedules.
func (s *Service) periodic() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(6*time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return ReconcileArgs{}, nil },
			&river.PeriodicJobOpts{ID: "payment_reconcile", RunOnStart: true}),
		river.NewPeriodicJob(river.PeriodicInterval(5*time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
			&river.PeriodicJobOpts{ID: "payment_sweep"}),
	}
}

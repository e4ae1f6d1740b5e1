package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// testTables are the rows test jobs and test writers add.
var testTables = store.Migrations{Name: "jobstest", FS: fstest.MapFS{
	"sqlite/20261125100100_jobstest.sql": {Data: []byte(`-- +goose Up
CREATE TABLE jobstest_done (n INTEGER PRIMARY KEY, at TIMESTAMP NOT NULL);
CREATE TABLE jobstest_other (id BIGINT PRIMARY KEY, w INTEGER NOT NULL, at TIMESTAMP NOT NULL);
-- +goose Down
DROP TABLE jobstest_other;
DROP TABLE jobstest_done;
`)},
	"postgres/20261125100100_jobstest.sql": {Data: []byte(`-- +goose Up
CREATE TABLE jobstest_done (n INTEGER PRIMARY KEY, at TIMESTAMPTZ NOT NULL);
CREATE TABLE jobstest_other (id BIGINT PRIMARY KEY, w INTEGER NOT NULL, at TIMESTAMPTZ NOT NULL);
-- +goose Down
DROP TABLE jobstest_other;
DROP TABLE jobstest_done;
`)},
}}

var testConfig = storetest.Config{Sets: []store.Migrations{Migrations(), testTables}}

// writeArgs is a job that records its number in jobstest_done.
type writeArgs struct {
	N int `json:"n"`
}

func (writeArgs) Kind() string { return "jobstest_write" }

type writeWorker struct {
	river.WorkerDefaults[writeArgs]
	db *store.DB
}

func (w *writeWorker) Work(ctx context.Context, job *river.Job[writeArgs]) error {
	return w.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO jobstest_done (n, at) VALUES ($1, $2)`, job.Args.N, tx.Now)
		return err
	})
}

// blockArgs is a job that waits for its test to release it.
type blockArgs struct{}

func (blockArgs) Kind() string { return "jobstest_block" }

type blockWorker struct {
	river.WorkerDefaults[blockArgs]
	started chan struct{}
	release chan struct{}
}

func (w *blockWorker) Work(ctx context.Context, job *river.Job[blockArgs]) error {
	close(w.started)
	<-w.release
	return nil
}

// logRecorder is a slog handler that keeps warnings and errors.
type logRecorder struct {
	mu      sync.Mutex
	records []string
	errors  int
}

func (r *logRecorder) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", rec.Level, rec.Message)
	rec.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, b.String())
	if rec.Level >= slog.LevelError {
		r.errors++
	}
	return nil
}
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *logRecorder) WithGroup(string) slog.Handler      { return r }

func (r *logRecorder) check(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.records {
		t.Log("river:", s)
	}
	if r.errors > 0 {
		t.Fatalf("river logged %d errors", r.errors)
	}
}

// startQueue makes and starts a queue that stops when the test ends.
func startQueue(t *testing.T, db *store.DB, log *slog.Logger, cfg Config) *Queue {
	t.Helper()
	q, err := New(db, log, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
	})
	return q
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMigrationsIdempotent(t *testing.T) {
	storetest.Each(t, testConfig, func(t *testing.T, db *store.DB) {
		if err := store.Migrate(context.Background(), db, append([]store.Migrations{store.OwnMigrations()}, testConfig.Sets...)); err != nil {
			t.Fatal(err)
		}
		storetest.Count(t, db, `SELECT COUNT(*) FROM river_job`)
	})
}

// A job inserted in a transaction that rolls back never exists; one inserted
// in a committed transaction runs.
func TestInsertTxFollowsTheTransaction(t *testing.T) {
	storetest.Each(t, testConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		workers := river.NewWorkers()
		river.AddWorker(workers, &writeWorker{db: db})
		rec := &logRecorder{}
		q := startQueue(t, db, slog.New(rec), Config{Workers: workers})

		boom := errors.New("boom")
		err := db.Write(ctx, func(tx *store.Tx) error {
			if _, err := q.InsertTx(ctx, tx, writeArgs{N: 1}, nil); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := q.InsertTx(ctx, tx, writeArgs{N: 2}, nil)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "job 2", func() bool {
			return storetest.Count(t, db, `SELECT COUNT(*) FROM jobstest_done WHERE n = 2`) == 1
		})
		// Job 2 ran after job 1 would have, so job 1 would have run by now.
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM jobstest_done WHERE n = 1`); n != 0 {
			t.Fatalf("rolled-back job ran %d times", n)
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM river_job`); n != 1 {
			t.Fatalf("river_job rows = %d, want 1 (the committed job)", n)
		}
		rec.check(t)
	})
}

// Stop waits for a running job to finish before it returns.
func TestStopWaitsForRunningJob(t *testing.T) {
	storetest.Each(t, testConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := &blockWorker{started: make(chan struct{}), release: make(chan struct{})}
		workers := river.NewWorkers()
		river.AddWorker(workers, w)
		q, err := New(db, slog.New(&logRecorder{}), Config{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		res, err := q.Insert(ctx, blockArgs{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-w.started:
		case <-time.After(time.Minute):
			t.Fatal("job never started")
		}
		stopped := make(chan error, 1)
		go func() {
			sctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			stopped <- q.Stop(sctx)
		}()
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned (%v) while a job was running", err)
		case <-time.After(300 * time.Millisecond):
		}
		close(w.release)
		if err := <-stopped; err != nil {
			t.Fatalf("Stop: %v", err)
		}
		job, err := q.Client().JobGet(ctx, res.Job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if job.State != rivertype.JobStateCompleted {
			t.Fatalf("job state after Stop = %s, want completed", job.State)
		}
	})
}

// Stats, Recent and the collector count what was inserted.
func TestStatsAndRecent(t *testing.T) {
	storetest.Each(t, testConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		workers := river.NewWorkers()
		river.AddWorker(workers, &writeWorker{db: db})
		q, err := New(db, nil, Config{Workers: workers, DisableWorking: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if _, err := q.Insert(ctx, writeArgs{N: i}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := q.Insert(ctx, writeArgs{N: 9}, &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		s, err := q.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s.Available != 3 || s.Scheduled != 1 || s.Running+s.Completed+s.Discarded+s.Retryable+s.Cancelled+s.Pending != 0 {
			t.Fatalf("stats = %+v, want 3 available and 1 scheduled", s)
		}
		if s.OldestAvailable <= 0 || s.OldestAvailable > time.Hour {
			t.Fatalf("oldest available = %v", s.OldestAvailable)
		}
		recent, err := q.Recent(ctx, RecentFilter{States: []rivertype.JobState{rivertype.JobStateAvailable}}, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(recent) != 3 || recent[0].Kind != "jobstest_write" || recent[0].ID < recent[2].ID {
			t.Fatalf("recent = %+v, want 3 available jobs newest first", recent)
		}
		c := q.Collector()
		want := `
# HELP storeops_jobs Jobs in the queue by state.
# TYPE storeops_jobs gauge
storeops_jobs{state="available"} 3
storeops_jobs{state="cancelled"} 0
storeops_jobs{state="completed"} 0
storeops_jobs{state="discarded"} 0
storeops_jobs{state="pending"} 0
storeops_jobs{state="retryable"} 0
storeops_jobs{state="running"} 0
storeops_jobs{state="scheduled"} 1
`
		if err := testutil.CollectAndCompare(c, strings.NewReader(want), "storeops_jobs"); err != nil {
			t.Fatal(err)
		}
		if err := prometheus.NewPedanticRegistry().Register(c); err != nil {
			t.Fatal(err)
		}
	})
}

// tickArgs is the periodic test job.
type tickArgs struct{}

func (tickArgs) Kind() string { return "jobstest_tick" }

type tickWorker struct {
	river.WorkerDefaults[tickArgs]
	mu sync.Mutex
	n  int
}

func (w *tickWorker) Work(ctx context.Context, job *river.Job[tickArgs]) error {
	w.mu.Lock()
	w.n++
	w.mu.Unlock()
	return nil
}

func (w *tickWorker) count() int { w.mu.Lock(); defer w.mu.Unlock(); return w.n }

// A periodic job registered in Config runs repeatedly.
func TestPeriodicJobRuns(t *testing.T) {
	storetest.Each(t, testConfig, func(t *testing.T, db *store.DB) {
		w := &tickWorker{}
		workers := river.NewWorkers()
		river.AddWorker(workers, w)
		rec := &logRecorder{}
		startQueue(t, db, slog.New(rec), Config{
			Workers: workers,
			Periodic: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(300*time.Millisecond),
				func() (river.JobArgs, *river.InsertOpts) { return tickArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true})},
		})
		waitFor(t, "three periodic runs", func() bool { return w.count() >= 3 })
		rec.check(t)
	})
}

// The outbox retention job prunes events nobody needs any more.
func TestOutboxRetentionJob(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	clock := platform.NewFixedClock(t0)
	cfg := storetest.Config{Sets: []store.Migrations{Migrations(), outbox.Migrations()}, Clock: clock}
	storetest.Each(t, cfg, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock.Set(t0)
		err := db.Write(ctx, func(tx *store.Tx) error {
			return outbox.Publish(ctx, tx, outbox.Event{Topic: "order.placed", Key: "1"})
		})
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(30 * 24 * time.Hour)
		workers := river.NewWorkers()
		periodic := OutboxRetention(workers, db, 7)
		q := startQueue(t, db, slog.New(&logRecorder{}), Config{Workers: workers, Periodic: []*river.PeriodicJob{periodic}})
		if _, err := q.Insert(ctx, OutboxPruneArgs{KeepDays: 7}, nil); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "pruned outbox", func() bool {
			return storetest.Count(t, db, `SELECT COUNT(*) FROM outbox_events`) == 0
		})
	})
}

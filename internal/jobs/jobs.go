// Package jobs is the durable job queue: River on the store's database, with
// one client type (*river.Client[*sql.Tx]) on both SQLite and PostgreSQL so a
// job can be inserted in the same store transaction as the change that
// needs it.
//
// Wiring: build one *river.Workers, let every domain add its workers with
// river.AddWorker, collect the periodic jobs, then call New with them in
// Config and Start the queue. Register Queue.Collector with Prometheus.
//
// On SQLite River shares the store's single writer connection (db.W). Each
// of River's transactions starts with BEGIN IMMEDIATE (the writer's DSN sets
// _txlock=immediate), so River and the application queue for the one
// connection in Go and never meet SQLITE_BUSY. The price: never call Insert
// (or anything else on the Queue) from inside a store transaction on SQLite;
// it waits for the connection the transaction holds. Use InsertTx there.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"storeops/internal/store"
)

// Config says what the queue runs.
type Config struct {
	// Workers are the job kinds this process can work, registered with
	// river.AddWorker before New. Nil means none (insert-only use).
	Workers *river.Workers
	// Periodic jobs are enqueued by the elected leader only, so each runs
	// once per cluster per period.
	Periodic []*river.PeriodicJob
	// Concurrency bounds the jobs worked at once by this process
	// (default 10).
	Concurrency int
	// DisableWorking makes an insert-only queue for CLI commands: Start
	// and Stop do nothing and no job runs in this process.
	DisableWorking bool

	// pollOnly turns off River's notifications (tests compare both modes).
	pollOnly bool
}

// Queue is the job queue of one process.
type Queue struct {
	db      *store.DB
	client  *river.Client[*sql.Tx]
	working bool
	metrics *metrics
}

// DefaultConcurrency is the number of jobs a process works at once unless
// Config.Concurrency says otherwise.
const DefaultConcurrency = 10

// New makes a queue on db. Migrations must have been applied. River logs
// through log.
func New(db *store.DB, log *slog.Logger, cfg Config) (*Queue, error) {
	if log == nil {
		log = slog.Default()
	}
	q := &Queue{db: db, working: !cfg.DisableWorking, metrics: newMetrics()}
	rc := &river.Config{
		// River reports routine progress at info level every few seconds;
		// the shop's log keeps its warnings and errors only.
		Logger:      slog.New(atLeast{Handler: log.Handler(), min: slog.LevelWarn}),
		MaxAttempts: 10,
		Middleware:  []rivertype.Middleware{river.WorkerMiddlewareFunc(q.metrics.observe)},
		// Failed or cancelled jobs stay a week for the console.
		CancelledJobRetentionPeriod: 7 * 24 * time.Hour,
		DiscardedJobRetentionPeriod: 7 * 24 * time.Hour,
		CompletedJobRetentionPeriod: 24 * time.Hour,
		PollOnly:                    cfg.pollOnly,
	}
	if q.working {
		n := cfg.Concurrency
		if n <= 0 {
			n = DefaultConcurrency
		}
		workers := cfg.Workers
		if workers == nil {
			workers = river.NewWorkers()
		}
		rc.Workers = workers
		rc.PeriodicJobs = cfg.Periodic
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: n}}
		// Give running jobs ten seconds of a graceful stop before their
		// contexts are cancelled, unless Stop's own deadline is shorter.
		rc.SoftStopTimeout = 10 * time.Second
	} else if cfg.Workers != nil {
		// Insert-only: still check kinds against the registered workers.
		rc.Workers = cfg.Workers
	}
	client, err := river.NewClient(driver(db, true), rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: new client: %w", err)
	}
	q.client = client
	return q, nil
}

// driver is River's driver for db. listen asks for LISTEN/NOTIFY on
// PostgreSQL through a dedicated pgx connection; SQLite notifies through a
// table River polls.
func driver(db *store.DB, listen bool) riverdriver.Driver[*sql.Tx] {
	if db.Dialect == store.SQLite {
		return riversqlite.New(db.W)
	}
	if listen && db.Pool != nil {
		return riverdatabasesql.NewWithPgxListener(db.W, db.Pool)
	}
	return riverdatabasesql.New(db.W)
}

// Client is the River client, for what this package does not wrap (job
// cancel, retry, queue pause). Prefer the Queue's methods.
func (q *Queue) Client() *river.Client[*sql.Tx] { return q.client }

// Start begins fetching and working jobs, and (on the elected leader)
// periodic jobs and maintenance. A no-op for an insert-only queue.
func (q *Queue) Start(ctx context.Context) error {
	if !q.working {
		return nil
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop shuts down gracefully: no new jobs are fetched and running jobs may
// finish. After 10 seconds, or when ctx is done if sooner, the contexts of
// jobs still running are cancelled; a job that returns an error then is
// retried later, and one that never returns is rescued after River's
// stuck-job timeout. Stop returns ctx's error if ctx ended first.
func (q *Queue) Stop(ctx context.Context) error {
	if !q.working {
		return nil
	}
	err := q.client.Stop(ctx)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = q.client.StopAndCancel(hard)
		return fmt.Errorf("jobs: stop: %w", ctx.Err())
	}
	return fmt.Errorf("jobs: stop: %w", err)
}

// Insert enqueues a job on its own. On SQLite never call it inside a
// store transaction (it would wait for the connection that transaction
// holds); use InsertTx.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res, nil
}

// InsertTx enqueues a job in tx: it runs only if tx commits, and never
// before the commit.
func (q *Queue) InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	if tx == nil {
		return nil, errors.New("jobs: InsertTx without a transaction")
	}
	res, err := q.client.InsertTx(ctx, tx.Tx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("jobs: insert %s: %w", args.Kind(), err)
	}
	return res, nil
}

// atLeast drops records below min, whatever the wrapped handler allows.
type atLeast struct {
	slog.Handler
	min slog.Level
}

func (h atLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h atLeast) WithAttrs(attrs []slog.Attr) slog.Handler {
	return atLeast{Handler: h.Handler.WithAttrs(attrs), min: h.min}
}

func (h atLeast) WithGroup(name string) slog.Handler {
	return atLeast{Handler: h.Handler.WithGroup(name), min: h.min}
}

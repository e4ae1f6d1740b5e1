package jobs

import (
	"bytes"
	"context"
	"log/slog"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// TestQueueBesideWriters is the proof that River shares the database with
// the application: 300 real jobs, each writing a row through store.Write,
// are inserted and worked while eight goroutines keep writing other rows
// for the whole run. Every job must complete on its first attempt, every
// domain write must land, and nothing may report busy or locked: no error
// from any writer, no store retry (a retry is how a hidden SQLITE_BUSY
// would show), no River error log, no discarded or retryable job. On
// SQLite it runs with River's notifications (the default) and poll-only.
func TestQueueBesideWriters(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		modes := []bool{false}
		if d == store.SQLite {
			modes = append(modes, true)
		}
		for _, pollOnly := range modes {
			name := string(d) + "/notify"
			if pollOnly {
				name = string(d) + "/poll"
			}
			t.Run(name, func(t *testing.T) {
				proveBesideWriters(t, storetest.Open(t, d, testConfig), pollOnly)
			})
		}
	}
}

func proveBesideWriters(t *testing.T, db *store.DB, pollOnly bool) {
	const (
		jobs      = 300
		inserters = 3
		writers   = 8
	)
	ctx := context.Background()
	retriesBefore := storeRetries(t)
	workers := river.NewWorkers()
	river.AddWorker(workers, &writeWorker{db: db})
	rec := &logRecorder{}
	q := startQueue(t, db, slog.New(rec), Config{Workers: workers, pollOnly: pollOnly})

	var (
		errMu sync.Mutex
		errs  []error
	)
	fail := func(err error) {
		errMu.Lock()
		errs = append(errs, err)
		errMu.Unlock()
	}

	// Writers on another table for the whole run.
	stop := make(chan struct{})
	var written atomic.Int64
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := db.Write(ctx, func(tx *store.Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO jobstest_other (id, w, at) VALUES ($1, $2, $3)`, tx.NewID(), w, tx.Now)
					return err
				})
				if err != nil {
					fail(err)
					return
				}
				written.Add(1)
			}
		}()
	}

	// Jobs inserted in store transactions beside a domain write, while
	// the queue works the earlier ones.
	var iwg sync.WaitGroup
	for i := range inserters {
		iwg.Add(1)
		go func() {
			defer iwg.Done()
			for n := i; n < jobs; n += inserters {
				err := db.Write(ctx, func(tx *store.Tx) error {
					if _, err := tx.ExecContext(ctx, `INSERT INTO jobstest_other (id, w, at) VALUES ($1, -1, $2)`, tx.NewID(), tx.Now); err != nil {
						return err
					}
					_, err := q.InsertTx(ctx, tx, writeArgs{N: n}, nil)
					return err
				})
				if err != nil {
					fail(err)
					return
				}
				written.Add(1)
			}
		}()
	}
	iwg.Wait()

	done := func() bool {
		var n int
		if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobstest_done`).Scan(&n); err != nil {
			fail(err)
			return true
		}
		return n == jobs
	}
	deadline := time.Now().Add(2 * time.Minute)
	for !done() {
		if time.Now().After(deadline) {
			var buf bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&buf, 1)
			t.Log(buf.String())
			close(stop)
			t.Fatalf("jobs did not finish; %d done", storetest.Count(t, db, `SELECT COUNT(*) FROM jobstest_done`))
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(stop)
	wg.Wait()

	// Let the completer record the last completions.
	waitFor(t, "all jobs completed", func() bool {
		return storetest.Count(t, db, `SELECT COUNT(*) FROM river_job WHERE state = 'completed'`) == jobs
	})
	for _, err := range errs {
		t.Errorf("write failed: %v", err)
	}
	if got := storetest.Count(t, db, `SELECT COUNT(*) FROM jobstest_other`); int64(got) != written.Load() {
		t.Errorf("domain rows = %d, acknowledged writes = %d", got, written.Load())
	}
	s, err := q.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Completed != jobs || s.Discarded != 0 || s.Retryable != 0 || s.Available != 0 || s.Running != 0 {
		t.Errorf("stats = %+v, want %d completed and nothing else", s, jobs)
	}
	if n := storetest.Count(t, db, `SELECT COUNT(*) FROM river_job WHERE attempt <> 1 OR errors IS NOT NULL`); n != 0 {
		t.Errorf("%d jobs needed more than one attempt or recorded errors", n)
	}
	if r := storeRetries(t) - retriesBefore; r != 0 {
		t.Errorf("store retried %v transactions (busy or serialization failures)", r)
	}
	rec.check(t)
	ws := db.W.Stats()
	t.Logf("%d jobs and %d domain writes, no busy, no retry; writer pool: max open %d, waited %d times, %v in total",
		jobs, written.Load(), ws.MaxOpenConnections, ws.WaitCount, ws.WaitDuration)
}

// storeRetries reads the store's retry counter from the default registry.
func storeRetries(t *testing.T) float64 {
	t.Helper()
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "storeops_db_tx_retries_total" {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	return 0
}

package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var testConfig = storetest.Config{Sets: []store.Migrations{Migrations()}}

var quiet = slog.New(slog.DiscardHandler)

// recorder is a consumer's Handle that keeps what it was given.
type recorder struct {
	mu     sync.Mutex
	events []Event
	fail   error
}

func (r *recorder) handle(_ context.Context, evs []Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.events = append(r.events, evs...)
	return nil
}

func (r *recorder) setFail(err error) { r.mu.Lock(); r.fail = err; r.mu.Unlock() }

func (r *recorder) got() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

func (r *recorder) ids() []platform.ID {
	var out []platform.ID
	for _, e := range r.got() {
		out = append(out, e.ID)
	}
	return out
}

// publish commits one transaction with an event per topic and returns
// their ids.
func publish(t *testing.T, db *store.DB, topics ...string) []platform.ID {
	t.Helper()
	ctx := context.Background()
	var ids []platform.ID
	err := db.Write(ctx, func(tx *store.Tx) error {
		ids = ids[:0]
		for i, topic := range topics {
			if err := Publish(ctx, tx, Event{Topic: topic, Key: fmt.Sprint(i), Payload: json.RawMessage(`{"n":1}`)}); err != nil {
				return err
			}
			var id platform.ID
			if err := tx.QueryRowContext(ctx, `SELECT MAX(id) FROM outbox_events`).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func newRunner(t *testing.T, db *store.DB, cfg RunnerConfig, cs ...Consumer) *Runner {
	t.Helper()
	r := NewRunner(db, quiet, cfg)
	for _, c := range cs {
		if err := r.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func equalIDs(a, b []platform.ID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Consumers receive committed events in order, only their topics, in
// batches, and each once; a rolled-back event never appears.
func TestPublishAndConsumeInOrder(t *testing.T) {
	storetest.Each(t, testConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var all, paid []platform.ID
		for i := range 40 {
			ids := publish(t, db, "order.placed", "order.paid", "order.placed")
			all = append(all, ids...)
			paid = append(paid, ids[1])
			if i == 20 {
				err := db.Write(ctx, func(tx *store.Tx) error {
					if err := Publish(ctx, tx, Event{Topic: "order.paid", Key: "gone"}); err != nil {
						return err
					}
					return errors.New("roll back")
				})
				if err == nil {
					t.Fatal("rollback did not fail")
				}
			}
		}
		everything, payments := &recorder{}, &recorder{}
		r := newRunner(t, db, RunnerConfig{},
			Consumer{Name: "all", Batch: 7, Handle: everything.handle},
			Consumer{Name: "payments", Topics: []string{"order.paid"}, Handle: payments.handle})
		drain(t, r, func() bool { return len(everything.got()) >= len(all) && len(payments.got()) >= len(paid) })
		if got := everything.ids(); !equalIDs(got, all) {
			t.Fatalf("all consumer got %d events %v, want %d in publish order", len(got), got, len(all))
		}
		if got := payments.ids(); !equalIDs(got, paid) {
			t.Fatalf("payments consumer got %v, want %v", got, paid)
		}
		for _, e := range everything.got() {
			if e.Key == "gone" {
				t.Fatal("rolled-back event delivered")
			}
			if string(e.Payload) != `{"n": 1}` && string(e.Payload) != `{"n":1}` {
				t.Fatalf("payload = %s", e.Payload)
			}
		}
		if err := r.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(everything.got()); n != len(all) {
			t.Fatalf("second run redelivered: %d events", n)
		}
		lags, err := r.Lag(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lags {
			if l.Behind != 0 || l.Head.ID != all[len(all)-1] {
				t.Fatalf("lag = %+v, want caught up at head %v", l, all[len(all)-1])
			}
		}
	})
}

// A failing Handle leaves the position; the same events come again.
func TestHandleErrorRedelivers(t *testing.T) {
	storetest.Each(t, testConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		want := publish(t, db, "review.posted", "review.posted")
		rec := &recorder{fail: errors.New("mail server down")}
		r := newRunner(t, db, RunnerConfig{}, Consumer{Name: "mail", Handle: rec.handle})
		waitFor(t, "the handler's error", func() bool { return r.RunOnce(ctx) != nil })
		if len(rec.got()) != 0 {
			t.Fatal("failed batch recorded")
		}
		rec.setFail(nil)
		drain(t, r, func() bool { return len(rec.got()) >= len(want) })
		if got := rec.ids(); !equalIDs(got, want) {
			t.Fatalf("after recovery got %v, want %v", got, want)
		}
	})
}

// Publish wakes a started runner in the same process at once, long before
// its poll interval.
func TestPublishWakesRunner(t *testing.T) {
	storetest.Each(t, testConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rec := &recorder{}
		r := newRunner(t, db, RunnerConfig{Interval: time.Hour}, Consumer{Name: "index", PerNode: true, Handle: rec.handle})
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer r.Stop(ctx)
		time.Sleep(100 * time.Millisecond) // let the first poll find nothing
		want := publish(t, db, "product.updated")
		waitFor(t, "woken delivery", func() bool { return len(rec.got()) == 1 })
		if got := rec.ids(); !equalIDs(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		if err := r.Stop(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// Lag counts what a consumer has yet to handle; Prune deletes old events
// only once every live consumer has passed them.
func TestLagAndPrune(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	clock := platform.NewFixedClock(t0)
	storetest.Each(t, storetest.Config{Sets: testConfig.Sets, Clock: clock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock.Set(t0)
		old := publish(t, db, "order.placed", "order.placed", "order.placed")
		fast, slow := &recorder{}, &recorder{fail: errors.New("stuck")}
		r := newRunner(t, db, RunnerConfig{},
			Consumer{Name: "fast", Handle: fast.handle},
			Consumer{Name: "slow", Topics: []string{"order.placed"}, Handle: slow.handle})
		waitFor(t, "the slow consumer's error", func() bool { return r.RunOnce(ctx) != nil && len(fast.got()) == len(old) })
		// A consumer gone for longer than the retention holds nothing back.
		if _, err := db.W.ExecContext(ctx, `INSERT INTO outbox_positions (consumer, txid, event_id, seen_at) VALUES ('retired@7', 0, 0, $1)`,
			store.Time(t0.Add(-30*24*time.Hour))); err != nil {
			t.Fatal(err)
		}
		clock.Advance(10 * 24 * time.Hour)
		publish(t, db, "order.placed", "order.paid")
		clock.Advance(time.Minute)
		// slow still fails, but is alive.
		waitFor(t, "fast to catch up", func() bool { _ = r.RunOnce(ctx); return len(fast.got()) == len(old)+2 })
		lags, err := r.Lag(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if lags[0].Consumer != "fast" || lags[0].Behind != 0 || lags[0].OldestAge != 0 {
			t.Fatalf("fast lag = %+v", lags[0])
		}
		if lags[1].Consumer != "slow" || lags[1].Behind != 4 || lags[1].OldestAge != 10*24*time.Hour+time.Minute {
			t.Fatalf("slow lag = %+v, want 4 behind, oldest 10 days 1 minute", lags[1])
		}
		if n, err := Prune(ctx, db, 7*24*time.Hour); err != nil || n != 0 {
			t.Fatalf("prune with a stuck consumer deleted %d (%v), want 0", n, err)
		}
		slow.setFail(nil)
		drain(t, r, func() bool { return len(slow.got()) == 4 })
		n, err := Prune(ctx, db, 7*24*time.Hour)
		if err != nil || n != int64(len(old)) {
			t.Fatalf("prune deleted %d (%v), want %d", n, err, len(old))
		}
		if left := storetest.Count(t, db, `SELECT COUNT(*) FROM outbox_events`); left != 2 {
			t.Fatalf("events left = %d, want 2", left)
		}
	})
}

// drain runs r's consumers until cond holds. On PostgreSQL committed
// events stay invisible while any older transaction on the server runs
// (other tests' included), so one pass may not deliver everything.
func drain(t *testing.T, r *Runner, cond func() bool) {
	t.Helper()
	waitFor(t, "consumers to deliver", func() bool {
		if err := r.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		return cond()
	})
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

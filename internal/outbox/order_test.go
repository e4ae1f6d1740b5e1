package outbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// holdOpen publishes an event in a transaction that stays open until
// release is closed, and returns the event's id once published; done gets
// the transaction's outcome.
func holdOpen(t *testing.T, db *store.DB, key string, release <-chan struct{}) (platform.ID, <-chan error) {
	t.Helper()
	ctx := context.Background()
	published := make(chan platform.ID, 1)
	done := make(chan error, 1)
	go func() {
		done <- db.Write(ctx, func(tx *store.Tx) error {
			if err := Publish(ctx, tx, Event{Topic: "order.placed", Key: key}); err != nil {
				return err
			}
			var id platform.ID
			if err := tx.QueryRowContext(ctx, `SELECT id FROM outbox_events WHERE key = $1`, key).Scan(&id); err != nil {
				return err
			}
			published <- id
			<-release
			return nil
		})
	}()
	select {
	case id := <-published:
		return id, done
	case err := <-done:
		t.Fatalf("transaction %s: %v", key, err)
	}
	return 0, nil
}

// On PostgreSQL a transaction that publishes first and commits last must
// not be skipped: while A (lower id) is open and B has committed, the
// consumer may not move past A; once A commits it gets A, then B, each
// once.
func TestOutOfOrderCommitIsNotSkipped(t *testing.T) {
	if !slices.Contains(storetest.Kinds(t), store.Postgres) {
		t.Skip("PostgreSQL tests are off (STOREOPS_TEST_POSTGRES)")
	}
	db := storetest.Open(t, store.Postgres, testConfig)
	ctx := context.Background()
	cluster, node := &recorder{}, &recorder{}
	r := newRunner(t, db, RunnerConfig{Node: "n1"},
		Consumer{Name: "mail", Handle: cluster.handle},
		Consumer{Name: "index", PerNode: true, Handle: node.handle})

	release := make(chan struct{})
	var once sync.Once
	commitA := func() { once.Do(func() { close(release) }) }
	t.Cleanup(commitA) // a failed test must not leave A open
	idA, doneA := holdOpen(t, db, "A", release)
	idB := publish(t, db, "order.placed")[0]
	if idB <= idA {
		t.Fatalf("ids %v (A) and %v (B): A should have the lower id", idA, idB)
	}
	if err := r.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*recorder{"cluster": cluster, "per-node": node} {
		for _, id := range c.ids() {
			if id == idB {
				t.Fatalf("%s consumer got B while A was still open: it would skip A", name)
			}
		}
	}
	commitA()
	if err := <-doneA; err != nil {
		t.Fatal(err)
	}
	drain(t, r, func() bool { return len(cluster.got()) >= 2 && len(node.got()) >= 2 })
	for name, c := range map[string]*recorder{"cluster": cluster, "per-node": node} {
		if got := c.ids(); !equalIDs(got, []platform.ID{idA, idB}) {
			t.Fatalf("%s consumer got %v, want A %v then B %v", name, got, idA, idB)
		}
	}
}

// Many goroutines publish at once, some rolling back, while consumers run
// on two runners (two nodes on PostgreSQL). Every committed event reaches
// each cluster consumer exactly once across the nodes and each per-node
// consumer exactly once per node, in log order; no rolled-back event
// arrives.
func TestConcurrentPublishersExactlyOnce(t *testing.T) {
	storetest.Each(t, testConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const publishers, each = 8, 40
		nodes := []string{"a"}
		if db.Dialect == store.Postgres {
			nodes = append(nodes, "b") // SQLite belongs to one process
		}
		cluster := &recorder{}
		perNode := map[string]*recorder{}
		var runners []*Runner
		for _, n := range nodes {
			perNode[n] = &recorder{}
			r := newRunner(t, db, RunnerConfig{Node: n},
				Consumer{Name: "mail", Batch: 16, Handle: cluster.handle},
				Consumer{Name: "index", PerNode: true, Batch: 16, Handle: perNode[n].handle})
			if err := r.Start(ctx); err != nil {
				t.Fatal(err)
			}
			runners = append(runners, r)
		}

		var mu sync.Mutex
		committed := map[platform.ID]bool{}
		var wg sync.WaitGroup
		errs := make(chan error, publishers)
		for p := range publishers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					rollback := rand.IntN(5) == 0
					var ids []platform.ID
					err := db.Write(ctx, func(tx *store.Tx) error {
						ids = ids[:0]
						for k := range 1 + i%2 {
							key := fmt.Sprintf("%d-%d-%d", p, i, k)
							if err := Publish(ctx, tx, Event{Topic: "order.placed", Key: key}); err != nil {
								return err
							}
							var id platform.ID
							if err := tx.QueryRowContext(ctx, `SELECT id FROM outbox_events WHERE key = $1`, key).Scan(&id); err != nil {
								return err
							}
							ids = append(ids, id)
						}
						if rollback {
							return errRollback
						}
						return nil
					})
					if err != nil && !errors.Is(err, errRollback) {
						errs <- err
						return
					}
					mu.Lock()
					for _, id := range ids {
						committed[id] = !rollback
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		want := 0
		for _, ok := range committed {
			if ok {
				want++
			}
		}
		// Wait for the consumers to catch up; if they never do, the checks
		// below say what is missing.
		waitUntil(time.Now().Add(30*time.Second), func() bool {
			if len(cluster.got()) < want {
				return false
			}
			for _, rec := range perNode {
				if len(rec.got()) < want {
					return false
				}
			}
			return true
		})
		for _, r := range runners {
			if err := r.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		}
		check := func(name string, rec *recorder) {
			seen := map[platform.ID]bool{}
			var prev Position
			for _, e := range rec.got() {
				if !committed[e.ID] {
					t.Fatalf("%s: got event %v of a rolled-back transaction", name, e.ID)
				}
				if seen[e.ID] {
					t.Fatalf("%s: event %v delivered twice", name, e.ID)
				}
				seen[e.ID] = true
				pos := Position{TxID: e.txid, ID: e.ID}
				if !prev.Less(pos) {
					t.Fatalf("%s: %+v delivered after %+v", name, pos, prev)
				}
				prev = pos
			}
			if len(seen) != want {
				t.Fatalf("%s: %d events delivered, %d committed", name, len(seen), want)
			}
		}
		check("cluster", cluster)
		for n, rec := range perNode {
			check("node "+n, rec)
		}
		t.Logf("%d committed events, %d rolled back", want, len(committed)-want)
	})
}

var errRollback = errors.New("roll back")

// waitUntil polls cond until it holds or the deadline passes.
func waitUntil(deadline time.Time, cond func() bool) {
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
}

package outbox

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"storeops/internal/store"
)

// Consumer follows the log from its own position.
//
// A cluster consumer (PerNode false) handles each event once per cluster:
// on PostgreSQL a node claims the consumer with a transaction-level
// advisory lock (pg_try_advisory_xact_lock, skipped when another node
// holds it) in a transaction that stays open while Handle runs and that
// also advances the position, so two nodes never handle the same consumer
// at once and a node that dies mid-batch releases the claim with its
// connection. The claim holds one pool connection during Handle; Handle's
// own writes use others. On SQLite one process owns the database and the
// runner's single goroutine per consumer is the claim.
//
// A per-node consumer (PerNode true) handles every event on every node (a
// node-local search index); its position is kept per node name.
type Consumer struct {
	// Name identifies the consumer's position; renaming it starts over.
	Name string
	// Topics to receive; empty means all.
	Topics []string
	// PerNode makes every node follow the log on its own.
	PerNode bool
	// Batch is the most events per Handle call (default 100).
	Batch int
	// Handle processes events in log order. It must be idempotent: after a
	// crash or an error the same events come again. An error leaves the
	// position where it was; the batch is retried after a backoff.
	Handle func(ctx context.Context, events []Event) error
}

// RunnerConfig tunes a Runner. The zero value is fine.
type RunnerConfig struct {
	// Interval between polls when idle (default 200ms). Publish wakes the
	// runners of its own process at once; other nodes see events on their
	// next poll.
	Interval time.Duration
	// Node names this node's positions for per-node consumers (default the
	// store's id node number). Use a name that survives restarts if the
	// consumer's state does (a search index on disk).
	Node string
}

// DefaultBatch is a consumer's batch size unless it sets Batch.
const DefaultBatch = 100

// maxBackoff caps the wait after a failing Handle.
const maxBackoff = 30 * time.Second

// Runner runs consumers: one goroutine per consumer, polling and woken by
// Publish.
type Runner struct {
	db   *store.DB
	log  *slog.Logger
	cfg  RunnerConfig
	cons []*consumer

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

type consumer struct {
	Consumer
	key  string
	wake chan struct{}
	mu   sync.Mutex // one batch at a time
	seen time.Time  // last seen_at write
}

// NewRunner makes a runner on db; add consumers with Add, then Start.
func NewRunner(db *store.DB, log *slog.Logger, cfg RunnerConfig) *Runner {
	if log == nil {
		log = slog.Default()
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 200 * time.Millisecond
	}
	if cfg.Node == "" && db.IDs != nil {
		cfg.Node = strconv.Itoa(db.IDs.Node())
	}
	return &Runner{db: db, log: log, cfg: cfg}
}

// Add registers c. It fails after Start, for a duplicate name, or for a
// consumer without Name or Handle.
func (r *Runner) Add(c Consumer) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.started:
		return fmt.Errorf("outbox: add %s: runner already started", c.Name)
	case c.Name == "" || strings.Contains(c.Name, "@"):
		return fmt.Errorf("outbox: add: consumer name %q must be non-empty without @", c.Name)
	case c.Handle == nil:
		return fmt.Errorf("outbox: add %s: no Handle", c.Name)
	}
	if c.Batch <= 0 {
		c.Batch = DefaultBatch
	}
	key := c.Name
	if c.PerNode {
		if r.cfg.Node == "" {
			return fmt.Errorf("outbox: add %s: per-node consumer but no node name (lease the node first or set RunnerConfig.Node)", c.Name)
		}
		key = c.Name + "@" + r.cfg.Node
	}
	for _, o := range r.cons {
		if o.Name == c.Name {
			return fmt.Errorf("outbox: add %s: duplicate consumer", c.Name)
		}
	}
	r.cons = append(r.cons, &consumer{Consumer: c, key: key, wake: make(chan struct{}, 1)})
	return nil
}

// Start creates missing positions (a new consumer starts at the oldest
// retained event) and starts one goroutine per consumer.
func (r *Runner) Start(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		return errors.New("outbox: runner already started")
	}
	if err := r.ensurePositions(ctx); err != nil {
		return err
	}
	rctx, cancel := context.WithCancel(context.Background())
	r.started, r.cancel = true, cancel
	for _, c := range r.cons {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.loop(rctx, c)
		}()
	}
	runnersMu.Lock()
	runners[r.db] = append(runners[r.db], r)
	runnersMu.Unlock()
	return nil
}

// Stop ends the consumers' loops: a batch being handled gets its context
// cancelled and, if Handle returns an error, is delivered again later. It
// waits until the loops are done or ctx is.
func (r *Runner) Stop(ctx context.Context) error {
	r.mu.Lock()
	if !r.started {
		r.mu.Unlock()
		return nil
	}
	r.started = false
	r.cancel()
	r.mu.Unlock()
	runnersMu.Lock()
	rs := runners[r.db]
	for i, o := range rs {
		if o == r {
			rs = append(rs[:i:i], rs[i+1:]...)
			break
		}
	}
	if len(rs) == 0 {
		delete(runners, r.db)
	} else {
		runners[r.db] = rs
	}
	runnersMu.Unlock()
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("outbox: stop: %w", ctx.Err())
	}
}

// Notify wakes every consumer to poll now. It never blocks.
func (r *Runner) Notify() {
	for _, c := range r.cons {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
}

// RunOnce hands every consumer its deliverable events until none is left
// (or another node holds a cluster consumer), without a started runner:
// for tests, CLI commands and a final catch-up.
func (r *Runner) RunOnce(ctx context.Context) error {
	if err := r.ensurePositions(ctx); err != nil {
		return err
	}
	var errs []error
	for _, c := range r.cons {
		for {
			n, err := r.batch(ctx, c)
			if err != nil {
				errs = append(errs, err)
				break
			}
			if n < c.Batch {
				break
			}
		}
	}
	return errors.Join(errs...)
}

func (r *Runner) ensurePositions(ctx context.Context) error {
	return r.db.Write(ctx, func(tx *store.Tx) error {
		for _, c := range r.cons {
			_, err := tx.ExecContext(ctx, `INSERT INTO outbox_positions (consumer, txid, event_id, seen_at) VALUES ($1, 0, 0, $2)
				ON CONFLICT (consumer) DO NOTHING`, c.key, tx.Now)
			if err != nil {
				return fmt.Errorf("outbox: position of %s: %w", c.key, err)
			}
		}
		return nil
	})
}

func (r *Runner) loop(ctx context.Context, c *consumer) {
	// backoff grows while Handle fails. settle is the next quick re-poll
	// after a wake-up that found nothing: on PostgreSQL a just-committed
	// event stays invisible until older transactions (anywhere on the
	// server) finish, so the runner looks again at 20ms, 40ms, … rather
	// than sleeping a whole interval.
	var backoff, settle time.Duration
	for {
		n, err := r.batch(ctx, c)
		wait := r.cfg.Interval
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			backoff = min(max(2*backoff, r.cfg.Interval), maxBackoff)
			wait, settle = backoff, 0
			r.log.Error("outbox consumer failed", "consumer", c.key, "err", err, "retry_in", wait)
		case n == c.Batch:
			backoff = 0
			continue // more may be waiting
		case n == 0 && settle > 0:
			backoff, wait = 0, settle
			if settle *= 2; settle >= r.cfg.Interval {
				settle = 0
			}
		default:
			backoff, settle = 0, 0
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-c.wake:
			t.Stop()
			if err != nil {
				// A failing consumer keeps its backoff.
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
			} else {
				settle = 20 * time.Millisecond
			}
		case <-t.C:
		}
	}
}

// batch delivers at most one batch to c and returns how many events it
// handled.
func (r *Runner) batch(ctx context.Context, c *consumer) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int
	var err error
	if r.db.Dialect == store.Postgres && !c.PerNode {
		n, err = r.lockedBatch(ctx, c)
	} else {
		n, err = r.ownBatch(ctx, c)
	}
	if r.db.Now().Sub(c.seen) >= time.Minute && ctx.Err() == nil {
		// Idle or failing, the consumer is alive: say so, at most once a
		// minute, so Prune keeps its events. Skip a row another node has
		// locked; that node stamps it when it advances.
		terr := r.db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE outbox_positions SET seen_at = $1 WHERE consumer = $2`+skipLocked(r.db.Dialect), tx.Now, c.key)
			return err
		})
		if terr != nil {
			err = errors.Join(err, fmt.Errorf("outbox: %s: touch: %w", c.key, terr))
		} else {
			c.seen = r.db.Now()
		}
	}
	return n, err
}

// skipLocked narrows an update of a position row to one no other
// transaction is updating, on PostgreSQL, so a touch never waits.
func skipLocked(d store.Dialect) string {
	if d == store.Postgres {
		return ` AND consumer IN (SELECT consumer FROM outbox_positions WHERE consumer = $2 FOR UPDATE SKIP LOCKED)`
	}
	return ""
}

// lockedBatch claims a cluster consumer on PostgreSQL and advances it in
// the claiming transaction. The claim is a transaction-level advisory lock
// on the consumer, not a row lock: locking a row would give the
// transaction an xid while Handle runs and hold back pg_snapshot_xmin, and
// with it every outbox reader on the server. The transaction gets an xid
// only at the final UPDATE, just before it commits. Every writer of a
// cluster consumer's position holds the lock, so the position read here
// stays current until that UPDATE.
func (r *Runner) lockedBatch(ctx context.Context, c *consumer) (int, error) {
	tx, err := r.db.W.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("outbox: %s: begin: %w", c.key, err)
	}
	defer tx.Rollback()
	// The transaction stays open (idle) while Handle runs; a server-wide
	// idle_in_transaction_session_timeout, which production sets to stop
	// forgotten transactions stalling the outbox, must not kill it.
	if _, err := tx.ExecContext(ctx, `SET LOCAL idle_in_transaction_session_timeout = 0`); err != nil {
		return 0, fmt.Errorf("outbox: %s: %w", c.key, err)
	}
	var claimed bool
	if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1)`, lockKey(c.key)).Scan(&claimed); err != nil {
		return 0, fmt.Errorf("outbox: %s: claim: %w", c.key, err)
	}
	if !claimed {
		return 0, nil // another node is on it
	}
	var pos Position
	err = tx.QueryRowContext(ctx, `SELECT txid, event_id FROM outbox_positions WHERE consumer = $1`, c.key).
		Scan(&pos.TxID, &pos.ID)
	if err != nil {
		return 0, fmt.Errorf("outbox: %s: position: %w", c.key, err)
	}
	events, err := readEvents(ctx, tx, r.db.Dialect, pos, c.Topics, c.Batch)
	if err != nil {
		return 0, fmt.Errorf("outbox: %s: %w", c.key, err)
	}
	if len(events) == 0 {
		return 0, nil
	}
	if err := handle(ctx, c, events); err != nil {
		return 0, err
	}
	now := r.db.Now()
	last := events[len(events)-1]
	next := Position{TxID: last.txid, ID: last.ID}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox_positions SET txid = $1, event_id = $2, seen_at = $3 WHERE consumer = $4`,
		next.TxID, next.ID, now, c.key); err != nil {
		return 0, fmt.Errorf("outbox: %s: advance: %w", c.key, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("outbox: %s: commit: %w", c.key, err)
	}
	c.seen = now
	return len(events), nil
}

// ownBatch serves consumers that only this process advances: every
// consumer on SQLite, per-node consumers on PostgreSQL. Events are read
// and handled outside any transaction (Handle may write: on SQLite the one
// writer connection must be free), then the position moves forward only
// if it is still where this batch started.
func (r *Runner) ownBatch(ctx context.Context, c *consumer) (int, error) {
	var pos Position
	err := r.db.R.QueryRowContext(ctx, `SELECT txid, event_id FROM outbox_positions WHERE consumer = $1`, c.key).
		Scan(&pos.TxID, &pos.ID)
	if err != nil {
		return 0, fmt.Errorf("outbox: %s: position: %w", c.key, err)
	}
	events, err := readEvents(ctx, r.db.R, r.db.Dialect, pos, c.Topics, c.Batch)
	if err != nil {
		return 0, fmt.Errorf("outbox: %s: %w", c.key, err)
	}
	if len(events) == 0 {
		return 0, nil
	}
	if err := handle(ctx, c, events); err != nil {
		return 0, err
	}
	last := events[len(events)-1]
	next := Position{TxID: last.txid, ID: last.ID}
	err = r.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE outbox_positions SET txid = $1, event_id = $2, seen_at = $3
			WHERE consumer = $4 AND txid = $5 AND event_id = $6`, next.TxID, next.ID, tx.Now, c.key, pos.TxID, pos.ID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: %s: advance: %w", c.key, err)
	}
	c.seen = r.db.Now()
	return len(events), nil
}

// handle calls c.Handle, turning a panic into an error so one bad event
// cannot kill the runner.
func handle(ctx context.Context, c *consumer, events []Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("outbox: %s: handler panic: %v", c.key, p)
		}
	}()
	if err := c.Handle(ctx, events); err != nil {
		return fmt.Errorf("outbox: %s: handle: %w", c.key, err)
	}
	return nil
}

// visible is the condition that keeps readers below every running
// transaction on PostgreSQL (see the package comment).
func visible(d store.Dialect) string {
	if d == store.Postgres {
		return ` AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`
	}
	return ""
}

// topicFilter is " AND topic IN ($n, …)" for topics, numbered from next.
func topicFilter(topics []string, next int) (string, []any) {
	if len(topics) == 0 {
		return "", nil
	}
	var b strings.Builder
	args := make([]any, len(topics))
	b.WriteString(" AND topic IN (")
	for i, t := range topics {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", next+i)
		args[i] = t
	}
	b.WriteString(")")
	return b.String(), args
}

// readEvents returns up to limit deliverable events after pos, in order.
func readEvents(ctx context.Context, q store.Querier, d store.Dialect, pos Position, topics []string, limit int) ([]Event, error) {
	filter, targs := topicFilter(topics, 4)
	args := append([]any{pos.TxID, pos.ID, limit}, targs...)
	rows, err := q.QueryContext(ctx, `SELECT id, txid, topic, key, payload, at FROM outbox_events
		WHERE (txid, id) > ($1, $2)`+visible(d)+filter+`
		ORDER BY txid, id LIMIT $3`, args...)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var payload []byte
		if err := rows.Scan(&e.ID, &e.txid, &e.Topic, &e.Key, &payload, &e.At); err != nil {
			return nil, fmt.Errorf("read events: %w", err)
		}
		e.Payload = payload
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return out, nil
}

// lockKey is the advisory lock id of a consumer: FNV-1a of its key in a
// namespace of its own.
func lockKey(key string) int64 {
	h := fnv.New64a()
	h.Write([]byte("storeops/outbox/"))
	h.Write([]byte(key))
	return int64(h.Sum64())
}

package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"storeops/internal/store"
)

// ConsumerLag is how far one consumer trails the log.
type ConsumerLag struct {
	// Consumer is the position's key: the name, plus "@node" when per node.
	Consumer string
	Position Position
	// Head is the newest event of the log (of any topic).
	Head Position
	// Behind counts the events of the consumer's topics after Position,
	// including ones whose transactions are still settling.
	Behind int
	// OldestAge is how long the oldest of those has waited; zero when
	// Behind is zero.
	OldestAge time.Duration
	// SeenAt is when the consumer last polled or advanced.
	SeenAt time.Time
}

// Lag reports each of the runner's consumers, in the order they were added.
// It reads through the reader pool.
func (r *Runner) Lag(ctx context.Context) ([]ConsumerLag, error) {
	var head Position
	err := r.db.R.QueryRowContext(ctx, `SELECT txid, id FROM outbox_events ORDER BY txid DESC, id DESC LIMIT 1`).
		Scan(&head.TxID, &head.ID)
	if err != nil && err != sql.ErrNoRows {
		return nil, fmt.Errorf("outbox: lag: head: %w", err)
	}
	now := r.db.Now()
	out := make([]ConsumerLag, 0, len(r.cons))
	for _, c := range r.cons {
		l := ConsumerLag{Consumer: c.key, Head: head}
		err := r.db.R.QueryRowContext(ctx, `SELECT txid, event_id, seen_at FROM outbox_positions WHERE consumer = $1`, c.key).
			Scan(&l.Position.TxID, &l.Position.ID, &l.SeenAt)
		if err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("outbox: lag of %s: %w", c.key, err)
		}
		filter, targs := topicFilter(c.Topics, 3)
		var oldest sql.NullTime
		// MIN(at) would lose the column type on SQLite; order instead.
		err = r.db.R.QueryRowContext(ctx, `SELECT at FROM outbox_events WHERE (txid, id) > ($1, $2)`+filter+` ORDER BY at LIMIT 1`,
			append([]any{l.Position.TxID, l.Position.ID}, targs...)...).Scan(&oldest)
		if err != nil && err != sql.ErrNoRows {
			return nil, fmt.Errorf("outbox: lag of %s: %w", c.key, err)
		}
		if oldest.Valid {
			l.OldestAge = max(now.Sub(oldest.Time), 0)
			err = r.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox_events WHERE (txid, id) > ($1, $2)`+filter,
				append([]any{l.Position.TxID, l.Position.ID}, targs...)...).Scan(&l.Behind)
			if err != nil {
				return nil, fmt.Errorf("outbox: lag of %s: %w", c.key, err)
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// Prune deletes events older than keep that every live consumer has
// passed, and returns how many. A consumer is live if it polled within
// keep; positions of consumers gone longer (a retired node's per-node
// consumer) no longer hold events back. Call it from a daily job.
func Prune(ctx context.Context, db *store.DB, keep time.Duration) (int64, error) {
	cutoff := db.Now().Add(-keep)
	var floor Position
	var consumers int
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox_positions WHERE seen_at >= $1`, cutoff).Scan(&consumers); err != nil {
		return 0, fmt.Errorf("outbox: prune: %w", err)
	}
	if consumers > 0 {
		err := db.R.QueryRowContext(ctx, `SELECT txid, event_id FROM outbox_positions WHERE seen_at >= $1
			ORDER BY txid, event_id LIMIT 1`, cutoff).Scan(&floor.TxID, &floor.ID)
		if err != nil {
			return 0, fmt.Errorf("outbox: prune: %w", err)
		}
	} else {
		floor = Position{TxID: 1 << 62, ID: 1 << 62}
	}
	var total int64
	for {
		var n int64
		err := db.Write(ctx, func(tx *store.Tx) error {
			res, err := tx.ExecContext(ctx, `DELETE FROM outbox_events WHERE id IN (
				SELECT id FROM outbox_events WHERE at < $1 AND (txid, id) <= ($2, $3) LIMIT 1000)`, cutoff, floor.TxID, floor.ID)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("outbox: prune: %w", err)
		}
		total += n
		if n < 1000 {
			return total, nil
		}
	}
}

// Collector exports the runner's consumers for /metrics:
// storeops_outbox_lag_events{consumer} and
// storeops_outbox_lag_seconds{consumer} (age of the oldest unhandled
// event).
type Collector struct {
	r              *Runner
	events, oldest *prometheus.Desc
}

// Collector describes r's consumers; register it once per process.
func (r *Runner) Collector() *Collector {
	l := []string{"consumer"}
	return &Collector{
		r:      r,
		events: prometheus.NewDesc("storeops_outbox_lag_events", "Events a consumer has yet to handle.", l, nil),
		oldest: prometheus.NewDesc("storeops_outbox_lag_seconds", "Age of the oldest event a consumer has yet to handle.", l, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.events
	ch <- c.oldest
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lags, err := c.r.Lag(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.events, err)
		return
	}
	for _, l := range lags {
		ch <- prometheus.MustNewConstMetric(c.events, prometheus.GaugeValue, float64(l.Behind), l.Consumer)
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, l.OldestAge.Seconds(), l.Consumer)
	}
}

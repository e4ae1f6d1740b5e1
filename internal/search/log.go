package search

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"storeops/internal/platform"
	"storeops/internal/store"
)

var (
	logDropped = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "storeops_search_log_dropped_total",
		Help: "Search log rows (searches, clicks, purchases) dropped because the buffer was full or a batch failed to write.",
	})
	logWritten = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "storeops_search_log_written_total",
		Help: "Search log rows (searches, clicks, purchases) written to the database.",
	})
)

// Feedback kinds: what a shopper did with a search result.
const (
	FeedbackClick    = "click"
	FeedbackPurchase = "purchase"
)

// logEntry is one search as logged.
type logEntry struct {
	id        platform.ID
	at        time.Time
	query     string
	norm      string
	results   int
	sort      string
	filters   string
	visitor   string
	session   platform.ID
	feedback  string // "" for a search; FeedbackClick or FeedbackPurchase
	product   platform.ID
	searchRef platform.ID // the search a feedback row belongs to
}

// LogConfig tunes the search log's buffer. The zero value is fine.
type LogConfig struct {
	// Buffer bounds the rows held in memory (default 10,000); past it new
	// rows are dropped and counted, never waited for.
	Buffer int
	// Batch is the most rows written in one transaction (default 500).
	Batch int
	// Interval is the longest a row waits before a flush (default 1 s).
	Interval time.Duration
	Log      *slog.Logger
}

// Log records searches and what shoppers did with them, off the request
// path: requests put a row on a bounded channel and one goroutine writes
// batches. A failing batch is logged and dropped; the log is for
// reports, never worth holding a request for.
type Log struct {
	db      *store.DB
	cfg     LogConfig
	ch      chan logEntry
	flush   chan chan struct{}
	mu      sync.Mutex
	running bool
	stop    chan struct{}
	done    chan struct{}
	dropped atomic.Int64
}

// NewLog makes a search log on db; Start begins its writer.
func NewLog(db *store.DB, cfg LogConfig) *Log {
	if cfg.Buffer <= 0 {
		cfg.Buffer = 10_000
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 500
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Log{db: db, cfg: cfg, ch: make(chan logEntry, cfg.Buffer), flush: make(chan chan struct{})}
}

// Visitor is who searched: the traffic cookies, when the shopper has
// them.
type Visitor struct {
	VisitorID string
	SessionID platform.ID
}

// Search logs a search that returned result; it never blocks.
func (l *Log) Search(r Request, res Result, who Visitor) {
	filters := map[string]any{}
	if r.CategoryID != nil {
		filters["category"] = r.CategoryID.String()
	}
	if r.BrandID != nil {
		filters["brand"] = r.BrandID.String()
	}
	if r.PriceMin != nil {
		filters["price_min"] = int64(*r.PriceMin)
	}
	if r.PriceMax != nil {
		filters["price_max"] = int64(*r.PriceMax)
	}
	if len(r.Attrs) > 0 {
		filters["attr"] = r.Attrs
	}
	if r.Page.After != nil {
		filters["page"] = "next"
	}
	b, _ := json.Marshal(filters)
	l.put(logEntry{id: res.SearchID, at: l.db.Clock.Now(), query: r.Query, norm: normalizeString(r.Query),
		results: res.Total, sort: string(r.Sort), filters: string(b), visitor: who.VisitorID, session: who.SessionID})
}

// Feedback logs a click on, or a purchase of, product from search
// searchID. Feedback for a search the log does not hold is ignored when
// written (a forged or expired id costs nothing).
func (l *Log) Feedback(searchID, product platform.ID, kind string) {
	l.put(logEntry{at: l.db.Clock.Now(), feedback: kind, product: product, searchRef: searchID})
}

func (l *Log) put(e logEntry) {
	select {
	case l.ch <- e:
	default:
		l.dropped.Add(1)
		logDropped.Inc()
	}
}

// Dropped is how many rows this log has dropped.
func (l *Log) Dropped() int64 { return l.dropped.Load() }

// Start runs the writer until Stop.
func (l *Log) Start(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running {
		return nil
	}
	l.running = true
	l.stop, l.done = make(chan struct{}), make(chan struct{})
	go l.run(l.stop, l.done)
	return nil
}

// Stop writes what the buffer holds and ends the writer, waiting up to
// ctx's deadline.
func (l *Log) Stop(ctx context.Context) {
	l.mu.Lock()
	if !l.running {
		l.mu.Unlock()
		return
	}
	l.running = false
	close(l.stop)
	done := l.done
	l.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		l.cfg.Log.Warn("search: stop before the log buffer was written", "err", ctx.Err())
	}
}

// Flush writes everything buffered so far (tests, and callers that need
// the rows now).
func (l *Log) Flush(ctx context.Context) {
	l.mu.Lock()
	running := l.running
	l.mu.Unlock()
	if !running {
		l.writeAll(l.drain(nil))
		return
	}
	done := make(chan struct{})
	select {
	case l.flush <- done:
	case <-ctx.Done():
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (l *Log) run(stop, done chan struct{}) {
	defer close(done)
	tick := time.NewTicker(l.cfg.Interval)
	defer tick.Stop()
	batch := make([]logEntry, 0, l.cfg.Batch)
	for {
		select {
		case e := <-l.ch:
			batch = append(batch, e)
			if len(batch) >= l.cfg.Batch {
				l.write(batch)
				batch = batch[:0]
			}
		case <-tick.C:
			if len(batch) > 0 {
				l.write(batch)
				batch = batch[:0]
			}
		case req := <-l.flush:
			l.writeAll(l.drain(batch))
			batch = batch[:0]
			close(req)
		case <-stop:
			l.writeAll(l.drain(batch))
			return
		}
	}
}

func (l *Log) drain(batch []logEntry) []logEntry {
	for {
		select {
		case e := <-l.ch:
			batch = append(batch, e)
		default:
			return batch
		}
	}
}

func (l *Log) writeAll(rows []logEntry) {
	for len(rows) > 0 {
		n := min(len(rows), l.cfg.Batch)
		l.write(rows[:n])
		rows = rows[n:]
	}
}

func (l *Log) write(rows []logEntry) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := writeLog(ctx, l.db, rows); err != nil {
		l.dropped.Add(int64(len(rows)))
		logDropped.Add(float64(len(rows)))
		l.cfg.Log.Error("search: write log batch", "err", err, "rows", len(rows))
		return
	}
	logWritten.Add(float64(len(rows)))
}

// writeLog stores a batch in order, so a click logged after its search
// finds the search row.
func writeLog(ctx context.Context, db *store.DB, rows []logEntry) error {
	return db.Write(ctx, func(tx *store.Tx) error {
		for _, e := range rows {
			if e.feedback == "" {
				var session any
				if e.session != 0 {
					session = e.session
				}
				_, err := tx.ExecContext(ctx, `INSERT INTO search_log (id, at, query, norm_query, result_count, sort, filters,
						visitor_id, session_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
					e.id, store.Time(e.at), e.query, e.norm, e.results, e.sort, e.filters, e.visitor, session)
				if err != nil {
					return fmt.Errorf("search: log search: %w", err)
				}
				continue
			}
			var known int
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_log WHERE id = $1`, e.searchRef).Scan(&known)
			if err != nil {
				return fmt.Errorf("search: log feedback: %w", err)
			}
			if known == 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO search_feedback (id, search_id, kind, product_id, at) VALUES ($1, $2, $3, $4, $5)`,
				tx.NewID(), e.searchRef, e.feedback, e.product, store.Time(e.at)); err != nil {
				return fmt.Errorf("search: log feedback: %w", err)
			}
			column := "clicks"
			if e.feedback == FeedbackPurchase {
				column = "purchases"
			}
			if _, err := tx.ExecContext(ctx, `UPDATE search_log SET `+column+` = `+column+` + 1 WHERE id = $1`, e.searchRef); err != nil {
				return fmt.Errorf("search: log feedback: %w", err)
			}
		}
		return nil
	})
}

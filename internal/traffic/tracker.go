package traffic

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Event kinds.
const (
	PageView    = "page_view"
	ProductView = "product_view"
)

// Cookie names: a long-lived random visitor id and the current session id,
// which expires after SessionIdle without a visit (each visit renews it).
const (
	VisitorCookie = "so_vid"
	SessionCookie = "so_sid"
	SessionIdle   = 30 * time.Minute
)

var (
	eventsDropped = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "storeops_traffic_events_dropped_total",
		Help: "Storefront visit events dropped because the tracking buffer was full or a batch failed to write.",
	})
	eventsWritten = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "storeops_traffic_events_written_total",
		Help: "Storefront visit events written to the database.",
	})
	batchesFailed = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "storeops_traffic_batch_failures_total",
		Help: "Tracking batches that failed to write.",
	})
)

// Collectors are the tracker's metrics.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{eventsDropped, eventsWritten, batchesFailed}
}

// TrackerConfig tunes the buffer. The zero value is fine.
type TrackerConfig struct {
	// Buffer bounds the events held in memory (default 10,000); past it
	// new events are dropped and counted, never waited for.
	Buffer int
	// Batch is the most events written in one transaction (default 500).
	Batch int
	// Interval is the longest an event waits before a flush (default 1 s).
	Interval time.Duration
	// Secure marks the cookies Secure.
	Secure bool
	Log    *slog.Logger
}

// Tracker records storefront visits. Requests only put a small value on a
// bounded channel; one background goroutine writes batches: new sessions,
// their events, and each touched session's page count and last-seen time,
// all in one transaction per batch.
type Tracker struct {
	db       *store.DB
	cfg      TrackerConfig
	ch       chan hit
	flushReq chan chan struct{}
	stop     chan struct{}
	done     chan struct{}
	mu       sync.Mutex // guards running and write
	running  bool
	dropped  atomic.Int64
}

// hit is one recorded request.
type hit struct {
	session platform.ID
	start   *session // set on a session's first request
	kind    string
	path    string
	product platform.ID
	at      time.Time
}

type session struct {
	visitor                      string
	customer                     platform.ID
	source                       Source
	utmSource, utmMedium, utmCmp string
	referrer, landing            string
	device                       Device
}

// NewTracker makes a tracker on db; Start begins its flusher.
func NewTracker(db *store.DB, cfg TrackerConfig) *Tracker {
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
	return &Tracker{db: db, cfg: cfg, ch: make(chan hit, cfg.Buffer), flushReq: make(chan chan struct{})}
}

// Dropped is how many events this tracker has dropped.
func (t *Tracker) Dropped() int64 { return t.dropped.Load() }

// Visit records a storefront request of kind (PageView, ProductView with
// the product's id) unless the caller is a robot: it sets the visitor and
// session cookies, starting a new session (with its source, landing page
// and device) when the session cookie is missing or has lapsed. It never
// blocks and never fails the request.
func (t *Tracker) Visit(w http.ResponseWriter, r *http.Request, kind string, product platform.ID, customer platform.ID) {
	ua := r.Header.Get("User-Agent")
	if IsBot(ua) {
		return
	}
	now := t.db.Clock.Now()
	h := hit{kind: kind, path: Clean(r.URL.Path, MaxPathLen), product: product, at: now}
	visitor := ""
	if c, err := r.Cookie(VisitorCookie); err == nil && validVisitor(c.Value) {
		visitor = c.Value
	} else {
		visitor = newVisitorID()
		http.SetCookie(w, &http.Cookie{Name: VisitorCookie, Value: visitor, Path: "/", MaxAge: 2 * 365 * 24 * 3600,
			HttpOnly: true, Secure: t.cfg.Secure, SameSite: http.SameSiteLaxMode})
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		if id, err := platform.ParseID(c.Value); err == nil {
			h.session = id
		}
	}
	if h.session == 0 {
		h.session = t.db.IDs.Next()
		q := r.URL.Query()
		s := &session{
			visitor:   visitor,
			customer:  customer,
			utmSource: Clean(q.Get("utm_source"), MaxUTMLen),
			utmMedium: Clean(q.Get("utm_medium"), MaxUTMLen),
			utmCmp:    Clean(q.Get("utm_campaign"), MaxUTMLen),
			referrer:  Clean(r.Referer(), MaxReferrerLen),
			landing:   Clean(r.URL.RequestURI(), MaxPathLen),
			device:    DeviceOf(ua),
		}
		s.source = Classify(s.utmSource, s.utmMedium, s.referrer, r.Host)
		h.start = s
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: h.session.String(), Path: "/", MaxAge: int(SessionIdle.Seconds()),
		HttpOnly: true, Secure: t.cfg.Secure, SameSite: http.SameSiteLaxMode})
	select {
	case t.ch <- h:
	default:
		t.dropped.Add(1)
		eventsDropped.Inc()
	}
}

func validVisitor(v string) bool {
	if len(v) != 32 {
		return false
	}
	_, err := hex.DecodeString(v)
	return err == nil
}

func newVisitorID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Start runs the flusher until Stop.
func (t *Tracker) Start(context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.running {
		return nil
	}
	t.running = true
	t.stop, t.done = make(chan struct{}), make(chan struct{})
	go t.run(t.stop, t.done)
	return nil
}

// Stop ends the flusher after writing what the buffer holds, waiting up
// to ctx's deadline.
func (t *Tracker) Stop(ctx context.Context) {
	t.mu.Lock()
	if !t.running {
		t.mu.Unlock()
		return
	}
	t.running = false
	close(t.stop)
	done := t.done
	t.mu.Unlock()
	select {
	case <-done:
	case <-ctx.Done():
		t.cfg.Log.Warn("traffic: stop before the buffer was written", "err", ctx.Err())
	}
}

// Flush writes everything buffered so far and returns once it is written
// (tests, and callers that need the rows now).
func (t *Tracker) Flush(ctx context.Context) {
	t.mu.Lock()
	running := t.running
	t.mu.Unlock()
	if !running {
		t.writeAll(t.drain(nil))
		return
	}
	done := make(chan struct{})
	select {
	case t.flushReq <- done:
	case <-ctx.Done():
		return
	}
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (t *Tracker) run(stop, done chan struct{}) {
	defer close(done)
	tick := time.NewTicker(t.cfg.Interval)
	defer tick.Stop()
	batch := make([]hit, 0, t.cfg.Batch)
	for {
		select {
		case h := <-t.ch:
			batch = append(batch, h)
			if len(batch) >= t.cfg.Batch {
				t.write(batch)
				batch = batch[:0]
			}
		case <-tick.C:
			if len(batch) > 0 {
				t.write(batch)
				batch = batch[:0]
			}
		case req := <-t.flushReq:
			t.writeAll(t.drain(batch))
			batch = batch[:0]
			close(req)
		case <-stop:
			t.writeAll(t.drain(batch))
			return
		}
	}
}

// drain appends whatever the channel holds now to batch.
func (t *Tracker) drain(batch []hit) []hit {
	for {
		select {
		case h := <-t.ch:
			batch = append(batch, h)
		default:
			return batch
		}
	}
}

func (t *Tracker) writeAll(hits []hit) {
	for len(hits) > 0 {
		n := min(len(hits), t.cfg.Batch)
		t.write(hits[:n])
		hits = hits[n:]
	}
}

// write stores one batch; a failure is logged and its events counted as
// dropped (tracking never holds requests or memory hostage to the
// database).
func (t *Tracker) write(hits []hit) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := writeBatch(ctx, t.db, hits); err != nil {
		batchesFailed.Inc()
		t.dropped.Add(int64(len(hits)))
		eventsDropped.Add(float64(len(hits)))
		t.cfg.Log.Error("traffic: write batch", "err", err, "events", len(hits))
		return
	}
	eventsWritten.Add(float64(len(hits)))
}

// eventChunk bounds the rows of one multi-row INSERT.
const eventChunk = 100

func writeBatch(ctx context.Context, db *store.DB, hits []hit) error {
	type touch struct {
		n    int
		last time.Time
	}
	touched := map[platform.ID]*touch{}
	var order []platform.ID
	starts := map[platform.ID]*session{}
	firstAt := map[platform.ID]time.Time{}
	for _, h := range hits {
		tc, ok := touched[h.session]
		if !ok {
			tc = &touch{}
			touched[h.session] = tc
			order = append(order, h.session)
		}
		tc.n++
		if h.at.After(tc.last) {
			tc.last = h.at
		}
		if h.start != nil {
			if _, seen := starts[h.session]; !seen {
				starts[h.session], firstAt[h.session] = h.start, h.at
			}
		}
	}
	return db.Write(ctx, func(tx *store.Tx) error {
		for _, id := range order {
			s, ok := starts[id]
			if !ok {
				continue
			}
			var customer any
			if s.customer != 0 {
				customer = s.customer
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO visit_sessions (id, visitor_id, customer_id, source, utm_source, utm_medium,
					utm_campaign, referrer, landing_path, device, page_views, started_at, last_seen_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $11) ON CONFLICT (id) DO NOTHING`,
				id, s.visitor, customer, string(s.source), s.utmSource, s.utmMedium, s.utmCmp, s.referrer, s.landing,
				string(s.device), store.Time(firstAt[id]))
			if err != nil {
				return fmt.Errorf("traffic: insert session: %w", err)
			}
		}
		for i := 0; i < len(hits); i += eventChunk {
			chunk := hits[i:min(i+eventChunk, len(hits))]
			q := make([]byte, 0, 80+len(chunk)*40)
			q = append(q, "INSERT INTO visit_events (id, session_id, kind, path, product_id, at) VALUES "...)
			args := make([]any, 0, len(chunk)*6)
			for j, h := range chunk {
				if j > 0 {
					q = append(q, ", "...)
				}
				n := len(args)
				q = fmt.Appendf(q, "($%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6)
				var product any
				if h.product != 0 {
					product = h.product
				}
				args = append(args, tx.NewID(), h.session, h.kind, h.path, product, store.Time(h.at))
			}
			if _, err := tx.ExecContext(ctx, string(q), args...); err != nil {
				return fmt.Errorf("traffic: insert events: %w", err)
			}
		}
		for _, id := range order {
			tc := touched[id]
			last := store.Time(tc.last)
			_, err := tx.ExecContext(ctx, `UPDATE visit_sessions SET page_views = page_views + $1,
				last_seen_at = CASE WHEN last_seen_at < $2 THEN $3 ELSE last_seen_at END WHERE id = $4`,
				tc.n, last, last, id)
			if err != nil {
				return fmt.Errorf("traffic: update session: %w", err)
			}
		}
		return nil
	})
}

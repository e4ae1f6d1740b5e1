// Package sandbox is a payment gateway for development, demos and tests
// that behaves like a real one: a merchant opens a trade with a signed
// API call and sends the shopper to a hosted pay page; when the shopper
// pays or cancels there, the gateway tells the merchant asynchronously,
// with signed notifications over real HTTP that it retries with backoff
// (on the job queue, so they survive restarts) until the merchant answers
// "success". Chaos settings make it sometimes send a notification twice
// or hold one back so that a later one overtakes it, as real gateways do.
//
// The gateway keeps its own books (sandbox_* tables) and imports nothing
// of the shop: the shop reaches it only over HTTP, so the same code runs
// mounted in the shop's server or standalone in a test.
package sandbox

import (
	"embed"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"storeops/internal/jobs"
	"storeops/internal/store"
)

//go:embed migrations
var migrationsFS embed.FS

// Migrations are the gateway's tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrationsFS, "migrations")
	return store.Migrations{Name: "sandbox-pay", FS: sub}
}

// Trade statuses.
const (
	TradeWaiting = "waiting" // opened, not paid yet
	TradePaid    = "paid"
	TradeClosed  = "closed" // the shopper cancelled
)

// Notification kinds.
const (
	KindPaid     = "trade.paid"
	KindClosed   = "trade.closed"
	KindRefunded = "refund.succeeded"
)

// Chaos makes delivery misbehave the way real gateways do.
type Chaos struct {
	// Duplicate is the probability (0..1) that a notification is
	// delivered twice, by two independent deliveries.
	Duplicate float64
	// Hold delays the first delivery of notifications of a kind, so a
	// later notification (a refund) can arrive before an earlier one.
	Hold map[string]time.Duration
	// Jitter delays each first delivery by a random time below it.
	Jitter time.Duration
}

// Backoff spaces delivery retries: Base doubled per failed attempt, at
// most Max. The zero value means 10s up to 1h.
type Backoff struct {
	Base, Max time.Duration
}

func (b Backoff) after(attempt int) time.Duration {
	base, most := b.Base, b.Max
	if base <= 0 {
		base = 10 * time.Second
	}
	if most <= 0 {
		most = time.Hour
	}
	d := base << min(attempt-1, 20)
	if d <= 0 || d > most {
		d = most
	}
	return d
}

// Gateway is the sandbox gateway: its HTTP handlers and its delivery
// worker, on a database that holds its tables.
type Gateway struct {
	db *store.DB
	// jobs returns the queue (the app creates it after the modules).
	jobs   func() *jobs.Queue
	prefix string
	chaos  Chaos
	retry  Backoff
	client *http.Client

	mu  sync.Mutex
	rnd *rand.Rand
}

// Config sets up a Gateway.
type Config struct {
	DB *store.DB
	// Jobs returns the job queue on DB, whose workers include the
	// gateway's (Register).
	Jobs func() *jobs.Queue
	// Prefix is where the handlers are mounted, e.g. "/sandbox-pay".
	Prefix string
	Chaos  Chaos
	Retry  Backoff
	// Client sends notifications (default: a 10-second timeout).
	Client *http.Client
	// Seed makes the chaos reproducible (0: random).
	Seed uint64
}

// New makes a gateway.
func New(cfg Config) *Gateway {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	return &Gateway{db: cfg.DB, jobs: cfg.Jobs, prefix: cfg.Prefix, chaos: cfg.Chaos, retry: cfg.Retry,
		client: cfg.Client, rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (g *Gateway) chance(p float64) bool {
	if p <= 0 {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rnd.Float64() < p
}

func (g *Gateway) jitter() time.Duration {
	if g.chaos.Jitter <= 0 {
		return 0
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return time.Duration(g.rnd.Int64N(int64(g.chaos.Jitter)))
}

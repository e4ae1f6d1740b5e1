// Package app wires the modules into one running program: it opens the
// database, applies every module's migrations, builds the route table and
// templates, and serves HTTP beside the background work.
package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"storeops/internal/idempotency"
	"storeops/internal/jobs"
	"storeops/internal/module"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// Config is what the command line and environment decide.
type Config struct {
	DB     string // sqlite:PATH or postgres://…
	Addr   string
	Log    *slog.Logger
	Clock  platform.Clock
	Dev    bool
	Secure bool
	// MaxBody bounds request bodies.
	MaxBody int64
	// ShutdownTimeout bounds the drain of requests and jobs on SIGTERM.
	ShutdownTimeout time.Duration
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client (rate limits, audit log).
	TrustedProxies []netip.Prefix
	// FirstRunDemo fills an empty shop with the demo shop on first run.
	FirstRunDemo bool
	// SMTP is the outgoing mail server (empty Host: mail is logged).
	SMTP module.SMTP
	// InsertOnly builds a job queue that enqueues but never works jobs
	// (CLI commands).
	InsertOnly bool
}

// App is the assembled program.
type App struct {
	Config   Config
	DB       *store.DB
	Modules  []*module.Module
	Router   *web.Router
	Renderer *web.Renderer
	Handler  http.Handler
	Registry *prometheus.Registry
	Deps     *module.Deps
	Jobs     *jobs.Queue
	Outbox   *outbox.Runner

	ready    atomic.Bool
	starters []starter
}

// Open connects to the database, migrates it and builds every module. It
// does not start serving or working jobs.
func Open(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = platform.SystemClock{}
	}
	db, err := store.Open(ctx, cfg.DB, store.Options{Clock: cfg.Clock, Logger: cfg.Log})
	if err != nil {
		return nil, err
	}
	a, err := Build(ctx, cfg, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// Build assembles the app on an open database: migrations, modules,
// routes, templates. Tests call it with a storetest database.
func Build(ctx context.Context, cfg Config, db *store.DB) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	a := &App{Config: cfg, DB: db, Registry: prometheus.NewRegistry()}
	a.Deps = &module.Deps{DB: db, Log: cfg.Log, Clock: db.Clock, Dev: cfg.Dev, Secure: cfg.Secure, FirstRunDemo: cfg.FirstRunDemo, SMTP: cfg.SMTP}
	mods, err := buildModules(a.Deps)
	if err != nil {
		return nil, err
	}
	a.Modules = mods
	if err := store.Migrate(ctx, db, Migrations(mods)); err != nil {
		return nil, err
	}
	if err := db.LeaseNode(ctx); err != nil {
		return nil, err
	}
	// A bulk load killed midway left its indexes recorded: build them.
	if n, err := store.RestorePendingIndexes(ctx, db); err != nil {
		return nil, err
	} else if n > 0 {
		cfg.Log.Warn("rebuilt indexes an interrupted bulk load had dropped", "count", n)
	}
	// Consumers follow the outbox by id: new ids must stay above every
	// stored one even if the wall clock stepped back since the last run.
	var maxEvent sql.NullInt64
	if err := db.R.QueryRowContext(ctx, `SELECT MAX(id) FROM outbox_events`).Scan(&maxEvent); err != nil {
		return nil, fmt.Errorf("app: newest outbox event: %w", err)
	}
	db.IDs.Observe(platform.ID(maxEvent.Int64))
	if err := a.buildJobs(); err != nil {
		return nil, err
	}
	if err := a.buildOutbox(); err != nil {
		return nil, err
	}
	if err := a.buildHTTP(); err != nil {
		return nil, err
	}
	a.moduleStarters()
	return a, nil
}

// MigrationSets lists every module's migrations without a database, for
// tools and test templates. Module constructors therefore must not use
// their Deps until a request or job arrives.
func MigrationSets() ([]store.Migrations, error) {
	mods, err := buildModules(&module.Deps{Log: slog.Default(), Clock: platform.SystemClock{}})
	if err != nil {
		return nil, err
	}
	return Migrations(mods), nil
}

// Migrations lists every module's migrations, the store's own first and
// the job queue's own last (River's migrator runs after the SQL files).
func Migrations(mods []*module.Module) []store.Migrations {
	sets := []store.Migrations{store.OwnMigrations()}
	for _, m := range mods {
		sets = append(sets, m.Migrations...)
	}
	return append(sets, jobs.Migrations())
}

// buildJobs makes the job queue with every module's workers and periodic
// jobs, and hands it to the modules through Deps.
func (a *App) buildJobs() error {
	workers := river.NewWorkers()
	var periodic []*river.PeriodicJob
	for _, m := range a.Modules {
		if m.Workers != nil {
			m.Workers(workers)
		}
		periodic = append(periodic, m.Periodic...)
	}
	periodic = append(periodic, jobs.OutboxRetention(workers, a.DB, outboxKeepDays))
	q, err := jobs.New(a.DB, a.Config.Log, jobs.Config{Workers: workers, Periodic: periodic, DisableWorking: a.Config.InsertOnly})
	if err != nil {
		return err
	}
	a.Jobs = q
	a.Deps.Jobs = q
	a.Registry.MustRegister(q.Collector())
	a.starters = append(a.starters, starter{
		start: q.Start,
		stop: func(ctx context.Context) {
			if err := q.Stop(ctx); err != nil {
				a.Config.Log.Warn("job queue stop", "err", err)
			}
		},
	})
	return nil
}

// outboxKeepDays is how long consumed events stay in the log.
const outboxKeepDays = 30

// buildOutbox makes this node's outbox runner with every module's
// consumers. It starts after the job queue (consumers may enqueue jobs)
// and stops before it.
func (a *App) buildOutbox() error {
	r := outbox.NewRunner(a.DB, a.Config.Log, outbox.RunnerConfig{})
	for _, m := range a.Modules {
		for _, c := range m.Consumers {
			if err := r.Add(c); err != nil {
				return err
			}
		}
	}
	a.Outbox = r
	a.Deps.Outbox = r
	a.Registry.MustRegister(r.Collector())
	a.starters = append(a.starters, starter{
		start: r.Start,
		stop: func(ctx context.Context) {
			if err := r.Stop(ctx); err != nil {
				a.Config.Log.Warn("outbox stop", "err", err)
			}
		},
	})
	return nil
}

// moduleStarters adds every module's Start/Stop hook after the job queue,
// so module work stops (and flushes) before the queue drains.
func (a *App) moduleStarters() {
	for _, m := range a.Modules {
		if m.Start == nil && m.Stop == nil {
			continue
		}
		s := starter{start: m.Start, stop: m.Stop}
		if s.start == nil {
			s.start = func(context.Context) error { return nil }
		}
		if s.stop == nil {
			s.stop = func(context.Context) {}
		}
		a.starters = append(a.starters, s)
	}
}

func (a *App) buildHTTP() error {
	static := web.NewStatic()
	var menu []web.MenuItem
	cfg := web.RendererConfig{Static: static}
	var auth web.Authenticators
	for _, m := range a.Modules {
		menu = append(menu, m.Menu...)
		if m.Templates != nil {
			cfg.Pages = append(cfg.Pages, m.Templates)
		}
		if m.Auth != nil {
			auth = append(auth, m.Auth)
		}
	}
	cfg.Menu = menu
	rd, err := web.NewRenderer(cfg)
	if err != nil {
		return err
	}
	a.Renderer = rd
	rt := web.NewRouter()
	// Creates that move money or stock opt in (Doc.Idempotent): a key is
	// scoped to the caller, and checked after the route's permission.
	scope := func(r *http.Request) string { return web.PrincipalFrom(r.Context()).Actor() }
	rt.Idempotency = idempotency.Middleware(a.DB, scope, web.Fail)
	rt.Add(static.Routes()...)
	a.systemRoutes(rt)
	for _, m := range a.Modules {
		if m.Routes != nil {
			m.Routes(rt, rd)
		}
	}
	a.Router = rt
	a.Handler = web.Stack(web.Config{Log: a.Config.Log, Auth: auth, MaxBody: a.Config.MaxBody, HTMLError: rd.ErrorPage,
		TrustedProxies: a.Config.TrustedProxies}, rt)
	return nil
}

// Serve listens on cfg.Addr until ctx ends, then shuts down gracefully:
// readiness turns false, the listener closes, in-flight requests finish
// (bounded by ShutdownTimeout), then background work drains.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(a.Config.Log.Handler(), slog.LevelWarn),
	}
	a.ready.Store(true)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		a.ready.Store(false)
		return err
	case <-ctx.Done():
	}
	a.ready.Store(false)
	timeout := a.Config.ShutdownTimeout
	if timeout <= 0 {
		timeout = 20 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	a.Config.Log.Info("shutting down: draining requests")
	err := srv.Shutdown(sctx)
	if err2 := <-errc; err2 != nil && !errors.Is(err2, http.ErrServerClosed) && err == nil {
		err = err2
	}
	if err != nil {
		return fmt.Errorf("app: shutdown: %w", err)
	}
	return nil
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Ready reports whether the app serves traffic (for /readyz).
func (a *App) Ready() bool { return a.ready.Load() }

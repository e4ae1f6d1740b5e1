// Package module defines what a business domain contributes to the
// application: its tables, permissions, texts, console menu, templates,
// routes, background work and demo data. A domain fills in a Module; the
// app package wires every module in one list, so adding a domain touches
// its own folder and one line there.
package module

import (
	"context"
	"io/fs"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"storeops/internal/demo/demokit"
	"storeops/internal/jobs"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// Module is one domain's contribution. Every field is optional but Name.
type Module struct {
	Name string
	// Migrations are the domain's schema changes (store.Migrations).
	Migrations []store.Migrations
	// Permissions join the staff permission matrix.
	Permissions []platform.PermissionDef
	// Messages join the zh-CN/en catalog.
	Messages platform.Texts
	// Menu entries join the console navigation (shown only to roles that
	// hold the entry's permission).
	Menu []web.MenuItem
	// Templates hold the domain's pages (see web.RendererConfig).
	Templates fs.FS
	// Routes adds the domain's routes; called once the renderer exists.
	Routes func(r *web.Router, rd *web.Renderer)
	// Auth recognises the domain's credentials (sessions, tokens).
	Auth web.Authenticator
	// Workers registers job workers on the queue before it starts.
	Workers func(w *river.Workers)
	// Periodic jobs the queue's leader schedules.
	Periodic []*river.PeriodicJob
	// Consumers follow the outbox: cluster consumers run on one node at a
	// time, per-node consumers on every node.
	Consumers []outbox.Consumer
	// Collectors export the domain's Prometheus metrics.
	Collectors []prometheus.Collector
	// FirstRun prepares an empty shop on start (the staff domain creates
	// the first owner) and returns lines to print once, or "".
	FirstRun func(ctx context.Context) (string, error)
	// Demo steps contribute to the demo shop, run in Order.
	Demo []DemoStep
	// Start begins the domain's background work (e.g. a buffered writer's
	// flusher) when the app starts; Stop ends it, draining what it holds
	// before ctx's deadline. Stop runs in reverse module order, before the
	// database closes.
	Start func(ctx context.Context) error
	Stop  func(ctx context.Context)
}

// DemoStep is one domain's part of the demo shop generator.
type DemoStep struct {
	Name  string
	Order int
	Run   func(ctx context.Context, env *DemoEnv) error
}

// DemoEnv is what a demo step gets: the database, a deterministic seed,
// the as-of date and the scale.
type DemoEnv struct {
	DB    *store.DB
	Seed  int64
	Scale float64
	AsOf  string
	Log   *slog.Logger
	// Shop is what the steps share: each fills in its part (catalog,
	// customers…) for the later steps, and all draw their randomness and
	// ids from it so a seed and as-of day give the same shop every time.
	Shop *demokit.Shop
	// Clear asks the step to delete the rows it generates instead (the
	// generator runs steps in reverse order for "demo --replace").
	Clear bool
}

// Deps are the services a module's constructor may keep. Jobs and the
// outbox become usable once the app has started them; read them at
// request time, not in the constructor.
type Deps struct {
	DB    *store.DB
	Log   *slog.Logger
	Clock platform.Clock
	// Dev relaxes settings for local runs and tests (cheap password
	// hashing, no secure cookies).
	Dev bool
	// Secure marks cookies Secure (behind HTTPS).
	Secure bool
	// FirstRunDemo asks FirstRun steps to fill an empty shop with the
	// scale-1 demo shop (set by "storeops serve" on a new database; tests
	// leave it off).
	FirstRunDemo bool
	// Jobs is the job queue; insert jobs in the same transaction as the
	// change that needs them (Jobs.InsertTx).
	Jobs *jobs.Queue
	// Outbox runs the consumers; publish events with outbox.Publish in
	// the transaction of the change.
	Outbox *outbox.Runner
	// SMTP is the outgoing mail server (empty Host: mail is logged).
	SMTP SMTP
}

// SMTP is the outgoing mail server's settings (see package mail).
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	// TLS is starttls (default), tls or none.
	TLS string
}

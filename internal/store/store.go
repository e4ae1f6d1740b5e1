// Package store opens the database (SQLite or PostgreSQL), applies the
// embedded migrations, and runs transactions that carry one frozen "now"
// and retry transient failures.
//
// One set of queries serves both databases: placeholders are $1, $2…
// (SQLite reads them positionally too), timestamps are UTC and truncated to
// microseconds so both round-trip the same value, and the few dialect
// differences (DDL, upserts, locking) live in per-dialect migration folders
// and the helpers in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"storeops/internal/platform"
)

// Dialect is the kind of database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database: a writer and readers (the same pool on
// PostgreSQL), the clock that stamps transactions, and the id generator.
type DB struct {
	Dialect Dialect
	// W takes writes. On SQLite it is one connection whose transactions
	// start with BEGIN IMMEDIATE, so writers queue in Go instead of failing
	// with SQLITE_BUSY.
	W *sql.DB
	// R serves reads. On SQLite it is a pool of read-only connections that
	// WAL lets run beside the writer.
	R *sql.DB
	// Pool is the pgx pool behind W and R on PostgreSQL (nil on SQLite).
	Pool  *pgxpool.Pool
	Clock platform.Clock
	IDs   *platform.IDGen
	// Path is the SQLite file; URL the PostgreSQL connection string.
	Path string
	URL  string
	Log  *slog.Logger

	lease     *nodeLease
	leaseLost atomic.Bool
}

// Options tune Open. The zero value is fine.
type Options struct {
	Clock  platform.Clock
	Logger *slog.Logger
	// MaxConns bounds the PostgreSQL pool (default 20) and the SQLite
	// reader pool (default 2×CPU).
	MaxConns int
	// Node fixes the id node number instead of leasing one (tests, tools).
	Node *int
}

// Open connects to spec: "sqlite:PATH" (or a bare path ending in .db),
// "postgres://…" or "postgresql://…". SQLite creates the file's folder.
func Open(ctx context.Context, spec string, opt Options) (*DB, error) {
	if opt.Clock == nil {
		opt.Clock = platform.SystemClock{}
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	db := &DB{Clock: opt.Clock, Log: opt.Logger}
	var err error
	switch {
	case strings.HasPrefix(spec, "postgres://"), strings.HasPrefix(spec, "postgresql://"):
		err = db.openPostgres(ctx, spec, opt)
	case strings.HasPrefix(spec, "sqlite:"):
		err = db.openSQLite(ctx, strings.TrimPrefix(spec, "sqlite:"), opt)
	case strings.HasSuffix(spec, ".db"):
		err = db.openSQLite(ctx, spec, opt)
	default:
		return nil, fmt.Errorf("store: --db must be sqlite:PATH or a postgres:// URL, not %q", spec)
	}
	if err != nil {
		return nil, err
	}
	if opt.Node != nil {
		db.IDs = platform.NewIDGen(*opt.Node)
	} else if db.Dialect == SQLite {
		// One process owns a SQLite file, so one node number suffices.
		db.IDs = platform.NewIDGen(0)
	}
	// On PostgreSQL the node number is leased after migrations (LeaseNode).
	return db, nil
}

// sqlitePageSize is the page size of a new database file. 16 KiB pages
// make shallower trees and a quarter of the page writes of the 4 KiB
// default for the bulk of a shop's rows (orders, lines, visit events).
const sqlitePageSize = 16384

// newSQLiteFile creates the database file when there is none yet, with
// its page size set before the first page is written: once the file
// exists (and in WAL mode) the size is fixed.
func newSQLiteFile(ctx context.Context, path, file string) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	c, err := sql.Open("sqlite", file)
	if err != nil {
		return fmt.Errorf("store: sqlite: %w", err)
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	for _, p := range []string{fmt.Sprintf("PRAGMA page_size = %d", sqlitePageSize), "PRAGMA journal_mode = WAL"} {
		if _, err := c.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("store: sqlite: create %s: %w", path, err)
		}
	}
	return nil
}

func (db *DB) openSQLite(ctx context.Context, path string, opt Options) error {
	if path == "" {
		return errors.New("store: sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: sqlite: %w", err)
		}
	}
	db.Dialect, db.Path = SQLite, path
	file := "file:" + (&url.URL{Path: path}).EscapedPath()
	if err := newSQLiteFile(ctx, path, file); err != nil {
		return err
	}
	// busy_timeout first so even the WAL switch waits for a lock.
	base := file + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_time_format=sqlite"
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("store: sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return fmt.Errorf("store: sqlite: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return fmt.Errorf("store: sqlite: %w", err)
	}
	n := opt.MaxConns
	if n <= 0 {
		n = 2 * runtime.NumCPU()
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.W, db.R = w, r
	return nil
}

func (db *DB) openPostgres(ctx context.Context, spec string, opt Options) error {
	cfg, err := pgxpool.ParseConfig(spec)
	if err != nil {
		return fmt.Errorf("store: postgres: %w", err)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = int32(opt.MaxConns)
	} else if !strings.Contains(spec, "pool_max_conns") {
		cfg.MaxConns = 20
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("store: postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return fmt.Errorf("store: postgres: connect: %w", err)
	}
	db.Dialect, db.URL, db.Pool = Postgres, spec, pool
	db.W = stdlib.OpenDBFromPool(pool)
	db.R = db.W
	return nil
}

// Close releases the node lease and closes every connection.
func (db *DB) Close() error {
	if db.lease != nil {
		db.lease.stop()
	}
	var errs []error
	if db.R != nil && db.R != db.W {
		errs = append(errs, db.R.Close())
	}
	if db.W != nil {
		errs = append(errs, db.W.Close())
	}
	if db.Pool != nil {
		db.Pool.Close()
	}
	return errors.Join(errs...)
}

// Now is the clock's current time as the database stores it: UTC, to the
// microsecond.
func (db *DB) Now() time.Time { return Time(db.Clock.Now()) }

// Time normalises t for storage: UTC, truncated to microseconds (the
// precision PostgreSQL keeps), so a value reads back equal on both.
func Time(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Ping checks that the database answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error { return db.W.PingContext(ctx) }

// Querier is what both *sql.DB and *Tx offer, so read helpers take either.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

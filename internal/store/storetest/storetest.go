// Package storetest gives each test its own real database: a fresh SQLite
// file, or a PostgreSQL database cloned from a migrated template (cloning
// is fast; migrating per test is not).
//
// SQLite always runs. PostgreSQL runs when STOREOPS_TEST_POSTGRES is set,
// to an admin URL (postgres://postgres@127.0.0.1:5432/postgres) or to "1"
// for the standard PG* variables. Under CI=true a missing PostgreSQL fails
// the test instead of skipping it.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Config says how to prepare a test database.
type Config struct {
	// Sets are the migrations to apply. The store's own are always added.
	Sets []store.Migrations
	// Clock stamps transactions; nil means the real clock.
	Clock platform.Clock
}

// Kinds lists the dialects to test on this machine.
func Kinds(tb testing.TB) []store.Dialect {
	kinds := []store.Dialect{store.SQLite}
	if AdminURL() != "" {
		kinds = append(kinds, store.Postgres)
	} else if os.Getenv("CI") == "true" {
		tb.Fatal("storetest: CI=true but STOREOPS_TEST_POSTGRES is not set; PostgreSQL tests must run in CI")
	}
	return kinds
}

// Each runs fn as a subtest on every dialect of Kinds, each with its own
// database.
func Each(t *testing.T, cfg Config, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d, cfg))
		})
	}
}

// AdminURL is the PostgreSQL URL tests connect to for creating databases,
// or "" when PostgreSQL tests are off.
func AdminURL() string {
	v := os.Getenv("STOREOPS_TEST_POSTGRES")
	switch v {
	case "", "0", "false":
		return ""
	case "1", "true":
		u := &url.URL{Scheme: "postgres", Path: "/" + envOr("PGDATABASE", "postgres")}
		u.Host = envOr("PGHOST", "127.0.0.1") + ":" + envOr("PGPORT", "5432")
		if strings.HasPrefix(u.Host, "/") { // a socket folder
			q := url.Values{"host": {envOr("PGHOST", "")}}
			u.Host = ""
			u.RawQuery = q.Encode()
		}
		if p := os.Getenv("PGPASSWORD"); p != "" {
			u.User = url.UserPassword(envOr("PGUSER", "postgres"), p)
		} else {
			u.User = url.User(envOr("PGUSER", "postgres"))
		}
		q := u.Query()
		if q.Get("sslmode") == "" {
			q.Set("sslmode", envOr("PGSSLMODE", "disable"))
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	return v
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// Open makes a fresh, migrated database of dialect d, closed and removed
// when the test ends.
func Open(tb testing.TB, d store.Dialect, cfg Config) *store.DB {
	tb.Helper()
	ctx := context.Background()
	sets := cfg.Sets
	if !hasSet(sets, store.OwnMigrations().Name) {
		sets = append([]store.Migrations{store.OwnMigrations()}, sets...)
	}
	var spec string
	switch d {
	case store.SQLite:
		spec = "sqlite:" + filepath.Join(tb.TempDir(), "test.db")
	case store.Postgres:
		admin := AdminURL()
		if admin == "" {
			tb.Skip("storetest: STOREOPS_TEST_POSTGRES not set")
		}
		tpl, err := template(ctx, admin, sets)
		if err != nil {
			tb.Fatalf("storetest: template: %v", err)
		}
		name := "storeops_t_" + randomHex(6)
		if err := adminExec(ctx, admin, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, tpl)); err != nil {
			tb.Fatalf("storetest: clone: %v", err)
		}
		tb.Cleanup(func() {
			_ = adminExec(context.Background(), admin, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
		})
		spec = withDB(admin, name)
	default:
		tb.Fatalf("storetest: unknown dialect %q", d)
	}
	node := 1
	db, err := store.Open(ctx, spec, store.Options{Clock: cfg.Clock, MaxConns: 8, Node: &node})
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	if d == store.SQLite {
		if err := store.Migrate(ctx, db, sets); err != nil {
			tb.Fatalf("storetest: migrate: %v", err)
		}
	}
	return db
}

func hasSet(sets []store.Migrations, name string) bool {
	for _, s := range sets {
		if s.Name == name {
			return true
		}
	}
	return false
}

var (
	templatesMu sync.Mutex
	templates   = map[string]string{}
)

// template returns the name of a migrated template database for the set,
// creating it once per content fingerprint. Test binaries of several
// packages run at once, so creation holds an advisory lock.
func template(ctx context.Context, admin string, sets []store.Migrations) (string, error) {
	fp, err := store.Fingerprint(store.Postgres, sets)
	if err != nil {
		return "", err
	}
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if name, ok := templates[fp]; ok {
		return name, nil
	}
	name := "storeops_tpl_" + fp
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(727274)`); err != nil {
		return "", err
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock(727274)`)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		build := name + "_build"
		_, _ = conn.Exec(ctx, `DROP DATABASE IF EXISTS `+build+` WITH (FORCE)`)
		if _, err := conn.Exec(ctx, `CREATE DATABASE `+build); err != nil {
			return "", err
		}
		node := 0
		db, err := store.Open(ctx, withDB(admin, build), store.Options{Node: &node, MaxConns: 4})
		if err != nil {
			return "", err
		}
		err = store.Migrate(ctx, db, sets)
		db.Close()
		if err != nil {
			return "", err
		}
		// Rename into place only when complete, so a crash leaves no
		// half-migrated template behind.
		if _, err := conn.Exec(ctx, `ALTER DATABASE `+build+` RENAME TO `+name); err != nil {
			return "", err
		}
		if _, err := conn.Exec(ctx, `ALTER DATABASE `+name+` WITH is_template = true`); err != nil {
			return "", err
		}
	}
	templates[fp] = name
	return name, nil
}

func adminExec(ctx context.Context, admin, stmt string) error {
	var err error
	for attempt := 0; attempt < 20; attempt++ {
		var conn *pgx.Conn
		conn, err = pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		_, err = conn.Exec(ctx, stmt)
		conn.Close(ctx)
		// Two clones of one template at once: "source database is being
		// accessed by other users" (55006). Wait and try again.
		if pe, ok := err.(*pgconn.PgError); ok && pe.Code == "55006" {
			time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
			continue
		}
		return err
	}
	return err
}

func withDB(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		return admin
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Count runs a SELECT COUNT(*) query and fails the test on error.
func Count(tb testing.TB, db *store.DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := db.R.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		tb.Fatalf("storetest: count %q: %v", query, err)
	}
	return n
}

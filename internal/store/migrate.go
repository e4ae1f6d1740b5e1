package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrations is one module's schema changes. FS holds SQL files named
// <UTC timestamp>_<what>.sql in the folders sqlite/ and postgres/ (goose
// format: -- +goose Up / Down). Timestamps keep parallel work from
// colliding; every module's files are applied together in timestamp order
// and recorded in one goose table. Apply, when set, runs after the SQL
// (the job queue's own migrations use it).
type Migrations struct {
	Name  string
	FS    fs.FS
	Apply func(ctx context.Context, db *DB) error
}

//go:embed migrations
var migrationsFS embed.FS

// OwnMigrations are the store's own tables (node leases, indexes pending
// after an interrupted bulk load).
func OwnMigrations() Migrations {
	sub, _ := fs.Sub(migrationsFS, "migrations")
	return Migrations{Name: "store", FS: sub}
}

// Migrate applies every pending migration of the given modules. It is safe
// to run on every start and from several nodes at once (goose takes a lock
// on PostgreSQL; SQLite has one writer).
func Migrate(ctx context.Context, db *DB, sets []Migrations) error {
	merged, err := mergeSQL(db.Dialect, sets)
	if err != nil {
		return err
	}
	gd := goose.DialectSQLite3
	// Modules are written in parallel and merge in any order, so a
	// migration may land with a timestamp below one already applied: apply
	// it rather than refuse (each file is still applied exactly once).
	opts := []goose.ProviderOption{goose.WithAllowOutofOrder(true)}
	if db.Dialect == Postgres {
		gd = goose.DialectPostgres
		// goose's session locker serialises nodes that start together.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, db.W, merged, opts...)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, s := range sets {
		if s.Apply != nil {
			if err := s.Apply(ctx, db); err != nil {
				return fmt.Errorf("store: migrate %s: %w", s.Name, err)
			}
		}
	}
	return nil
}

// mergeSQL gathers the dialect's files of every set into one flat FS.
func mergeSQL(d Dialect, sets []Migrations) (fs.FS, error) {
	out := fstest.MapFS{}
	for _, s := range sets {
		if s.FS == nil {
			continue
		}
		entries, err := fs.ReadDir(s.FS, string(d))
		if err != nil {
			return nil, fmt.Errorf("store: migrations of %s: %w", s.Name, err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
				continue
			}
			if _, dup := out[e.Name()]; dup {
				return nil, fmt.Errorf("store: migration %s exists twice (module %s)", e.Name(), s.Name)
			}
			b, err := fs.ReadFile(s.FS, path.Join(string(d), e.Name()))
			if err != nil {
				return nil, err
			}
			out[e.Name()] = &fstest.MapFile{Data: b}
		}
	}
	return out, nil
}

// Fingerprint identifies a migration set's content for a dialect, so test
// helpers can reuse a migrated template database until a file changes.
func Fingerprint(d Dialect, sets []Migrations) (string, error) {
	merged, err := mergeSQL(d, sets)
	if err != nil {
		return "", err
	}
	m := merged.(fstest.MapFS)
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%s\x00", n, m[n].Data)
	}
	for _, s := range sets {
		fmt.Fprintf(h, "set:%s:%v\x00", s.Name, s.Apply != nil)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

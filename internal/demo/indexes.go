package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"storeops/internal/store"
)

// bulkTables are the tables the demo steps fill with many rows. Their
// non-unique secondary indexes are dropped for the generation and built
// again afterwards: sorting a finished column once is several times
// cheaper than keeping an index ordered row by row. Unique indexes and
// primary keys stay, so the constraints hold throughout.
var bulkTables = []string{
	"customers", "customer_addresses",
	"orders", "order_lines", "payments", "refunds", "order_transitions",
	"visit_sessions", "visit_events",
}

// secondaryIndex is a dropped index and the statement that makes it again.
type secondaryIndex struct {
	name, create string
}

// dropIndexes drops the non-unique secondary indexes of bulkTables and
// returns their definitions, read from the database itself so that
// restoreIndexes builds exactly what the migrations made.
func dropIndexes(ctx context.Context, db *store.DB) ([]secondaryIndex, error) {
	var q string
	var args []any
	if db.Dialect == store.Postgres {
		q = `SELECT i.indexname, i.indexdef FROM pg_indexes i
			JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = to_regnamespace(i.schemaname)
			JOIN pg_index x ON x.indexrelid = c.oid
			WHERE i.schemaname = current_schema() AND i.tablename = ANY($1) AND NOT x.indisunique
			ORDER BY i.indexname`
		args = []any{bulkTables}
	} else {
		q = `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (` +
			strings.TrimSuffix(strings.Repeat("?,", len(bulkTables)), ",") + `) ORDER BY name`
		for _, t := range bulkTables {
			args = append(args, t)
		}
	}
	rows, err := db.W.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("demo: list indexes: %w", err)
	}
	var idx []secondaryIndex
	for rows.Next() {
		var ix secondaryIndex
		if err := rows.Scan(&ix.name, &ix.create); err != nil {
			rows.Close()
			return nil, fmt.Errorf("demo: list indexes: %w", err)
		}
		if db.Dialect == store.SQLite && strings.HasPrefix(strings.ToUpper(ix.create), "CREATE UNIQUE") {
			continue
		}
		idx = append(idx, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("demo: list indexes: %w", err)
	}
	defs := make([]store.IndexDef, len(idx))
	for i, ix := range idx {
		defs[i] = store.IndexDef{Name: ix.name, Create: ix.create}
	}
	if err := store.DropIndexesForLoad(ctx, db, defs); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return idx, nil
}

// restoreIndexes builds the indexes dropIndexes dropped; on PostgreSQL
// two at a time, one per core.
func restoreIndexes(ctx context.Context, db *store.DB, idx []secondaryIndex) error {
	if db.Dialect == store.Postgres && len(idx) > 1 {
		errs := make(chan error, 2)
		next := make(chan secondaryIndex)
		for range 2 {
			go func() {
				var first error
				for ix := range next {
					if _, err := db.Pool.Exec(ctx, ix.create); err != nil {
						if first == nil {
							first = fmt.Errorf("demo: restore index %s: %w", ix.name, err)
						}
						continue
					}
					if err := store.IndexRestored(ctx, db, ix.name); err != nil && first == nil {
						first = err
					}
				}
				errs <- first
			}()
		}
		for _, ix := range idx {
			next <- ix
		}
		close(next)
		return errors.Join(<-errs, <-errs)
	}
	for _, ix := range idx {
		if _, err := db.W.ExecContext(ctx, ix.create); err != nil {
			return fmt.Errorf("demo: restore index %s: %w", ix.name, err)
		}
		if err := store.IndexRestored(ctx, db, ix.name); err != nil {
			return err
		}
	}
	return nil
}

// loadSettings tunes SQLite for the generation and returns what puts the
// usual settings back. Rows go straight to the database file instead of
// through the WAL, which would write every page twice (once to the WAL,
// once at the checkpoint): with a rollback journal only pages that
// existed before a transaction are saved first, and a fresh shop's
// pages are nearly all new. Leaving WAL needs the readers' idle
// connections closed; the pool opens new ones afterwards.
func loadSettings(ctx context.Context, db *store.DB) (func() error, error) {
	if db.Dialect != store.SQLite {
		return func() error { return nil }, nil
	}
	set := func(ctx context.Context, pragmas ...string) error {
		for _, p := range pragmas {
			if _, err := db.W.ExecContext(ctx, `PRAGMA `+p); err != nil {
				return fmt.Errorf("demo: %s: %w", p, err)
			}
		}
		return nil
	}
	idle := db.R.Stats().MaxOpenConnections
	db.R.SetMaxIdleConns(0)
	restore := func() error {
		defer db.R.SetMaxIdleConns(idle)
		return set(context.Background(), "journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON",
			"cache_size = -2000")
	}
	// A running server's readers (the job queue, outbox consumers) may
	// hold the WAL open for a moment; leaving it is retried briefly and
	// otherwise skipped, since the rollback journal only makes the load
	// faster and WAL is as correct.
	for wait := 20 * time.Millisecond; ; wait *= 2 {
		var mode string
		err := db.W.QueryRowContext(ctx, `PRAGMA journal_mode = TRUNCATE`).Scan(&mode)
		if err == nil {
			break
		}
		if !store.IsTransient(err) {
			return nil, errors.Join(fmt.Errorf("demo: journal_mode: %w", err), restore())
		}
		if wait > 2*time.Second {
			slog.InfoContext(ctx, "demo: database in use, generating in WAL mode")
			break
		}
		select {
		case <-ctx.Done():
			return nil, errors.Join(ctx.Err(), restore())
		case <-time.After(wait):
		}
	}
	// Foreign keys are not checked row by row: the steps write parents
	// before children and a test checks the finished shop with
	// foreign_key_check. The page cache stays large from the first step
	// to the last index build.
	if err := set(ctx, "synchronous = OFF", "foreign_keys = OFF", "cache_size = -262144"); err != nil {
		return nil, errors.Join(err, restore())
	}
	return restore, nil
}

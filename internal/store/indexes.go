package store

import (
	"context"
	"fmt"
	"strings"
)

// IndexDef is a secondary index as the database reports it: its name and
// the statement that creates it.
type IndexDef struct {
	Name, Create string
}

// DropIndexesForLoad drops the given indexes for a bulk load. Their
// definitions are recorded in the same transaction as the drops, so if the
// process dies before RestoreIndexes, RestorePendingIndexes (run on every
// start) builds them again: a crash can cost time, never an index.
func DropIndexesForLoad(ctx context.Context, db *DB, defs []IndexDef) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, d := range defs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO store_pending_indexes (name, create_sql) VALUES ($1, $2)
				ON CONFLICT (name) DO UPDATE SET create_sql = excluded.create_sql`, d.Name, d.Create); err != nil {
				return fmt.Errorf("store: record index %s: %w", d.Name, err)
			}
			if _, err := tx.ExecContext(ctx, `DROP INDEX IF EXISTS `+quoteIdent(d.Name)); err != nil {
				return fmt.Errorf("store: drop index %s: %w", d.Name, err)
			}
		}
		return nil
	})
}

// IndexRestored forgets a recorded index once it exists again.
func IndexRestored(ctx context.Context, db *DB, name string) error {
	_, err := db.W.ExecContext(ctx, `DELETE FROM store_pending_indexes WHERE name = $1`, name)
	return err
}

// RestorePendingIndexes builds every index a bulk load dropped and did not
// restore (the process died mid-load). Idempotent: the statements run with
// IF NOT EXISTS, and a rebuilt index is forgotten.
func RestorePendingIndexes(ctx context.Context, db *DB) (int, error) {
	rows, err := db.W.QueryContext(ctx, `SELECT name, create_sql FROM store_pending_indexes ORDER BY name`)
	if err != nil {
		return 0, fmt.Errorf("store: pending indexes: %w", err)
	}
	var defs []IndexDef
	for rows.Next() {
		var d IndexDef
		if err := rows.Scan(&d.Name, &d.Create); err != nil {
			rows.Close()
			return 0, err
		}
		defs = append(defs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, d := range defs {
		if _, err := db.W.ExecContext(ctx, ifNotExists(d.Create)); err != nil {
			return 0, fmt.Errorf("store: rebuild index %s: %w", d.Name, err)
		}
		if err := IndexRestored(ctx, db, d.Name); err != nil {
			return 0, err
		}
	}
	return len(defs), nil
}

// ifNotExists turns "CREATE [UNIQUE] INDEX name" into its IF NOT EXISTS form.
func ifNotExists(create string) string {
	up := strings.ToUpper(create)
	for _, prefix := range []string{"CREATE UNIQUE INDEX ", "CREATE INDEX "} {
		if strings.HasPrefix(up, prefix) && !strings.HasPrefix(up[len(prefix):], "IF NOT EXISTS") {
			return create[:len(prefix)] + "IF NOT EXISTS " + create[len(prefix):]
		}
	}
	return create
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river/rivermigrate"

	"storeops/internal/store"
)

// migrateLockKey is the advisory lock that keeps two PostgreSQL nodes from
// running River's migrations at once (rivermigrate takes no lock itself).
const migrateLockKey = 727275

// Migrations are River's own tables, applied by River's migrator after the
// SQL migrations of every module. Applying them again is a no-op.
func Migrations() store.Migrations {
	return store.Migrations{Name: "jobs", Apply: migrate}
}

func migrate(ctx context.Context, db *store.DB) error {
	m, err := rivermigrate.New[*sql.Tx](driver(db, false), nil)
	if err != nil {
		return fmt.Errorf("jobs: migrator: %w", err)
	}
	if db.Dialect == store.Postgres && db.Pool != nil {
		conn, err := db.Pool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("jobs: migrate lock: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
			return fmt.Errorf("jobs: migrate lock: %w", err)
		}
		defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, migrateLockKey)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

package inventory

import (
	"context"
	"database/sql"
	"sync"

	"storeops/internal/store"
)

// SQLite parses every statement it runs unless it was prepared, and on a
// flash sale's hot path parsing was half of a reservation's time. The
// statements a reservation runs are therefore prepared once per SQLite
// writer (its one long-lived connection) and bound into each transaction
// with Tx.StmtContext, which reuses the connection's prepared statement.
// The writer's only connection is busy inside a transaction, so a
// statement not yet prepared runs plain and is prepared after the commit.
// PostgreSQL needs none of this: pgx caches prepared statements itself.
var prepared sync.Map // *sql.DB → *sync.Map (query → *sql.Stmt)

// hot is query's prepared statement bound to tx, or nil (run it plain).
func hot(ctx context.Context, tx *store.Tx, query string) *sql.Stmt {
	if tx.Dialect != store.SQLite {
		return nil
	}
	w := tx.DB().W
	m, _ := prepared.LoadOrStore(w, &sync.Map{})
	cache := m.(*sync.Map)
	if st, ok := cache.Load(query); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt))
	}
	tx.AfterCommit(func() {
		if _, ok := cache.Load(query); ok {
			return
		}
		s, err := w.Prepare(query)
		if err != nil {
			return // stays plain; tried again after the next commit
		}
		if _, loaded := cache.LoadOrStore(query, s); loaded {
			s.Close()
		}
	})
	return nil
}

// hotQueryRow is QueryRowContext through hot.
func hotQueryRow(ctx context.Context, tx *store.Tx, query string, args ...any) *sql.Row {
	if st := hot(ctx, tx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// hotQuery is QueryContext through hot.
func hotQuery(ctx context.Context, tx *store.Tx, query string, args ...any) (*sql.Rows, error) {
	if st := hot(ctx, tx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, query, args...)
}

// hotExec is ExecContext through hot.
func hotExec(ctx context.Context, tx *store.Tx, query string, args ...any) (sql.Result, error) {
	if st := hot(ctx, tx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

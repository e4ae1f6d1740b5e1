package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"storeops/internal/platform"
)

// Tx is a transaction with the frozen "now" of its start: every row it
// stamps carries the same time, and business rules that read the clock see
// one instant.
type Tx struct {
	*sql.Tx
	Now     time.Time
	Dialect Dialect
	db      *DB
	after   []func()
}

// NewID returns a fresh sortable id.
func (tx *Tx) NewID() platform.ID { return tx.db.IDs.Next() }

// DB is the database the transaction belongs to.
func (tx *Tx) DB() *DB { return tx.db }

// AfterCommit runs fn once the transaction has committed (not on rollback,
// not on a retried attempt). Use it to wake listeners, never for writes that
// must not be lost: those belong in the transaction or the outbox.
func (tx *Tx) AfterCommit(fn func()) { tx.after = append(tx.after, fn) }

// maxAttempts bounds retries of busy or serialization failures.
const maxAttempts = 16

// Write runs fn in a write transaction and commits it, retrying the whole
// function when the database reports a transient conflict (SQLite busy,
// PostgreSQL serialization failure or deadlock). fn must therefore only
// touch the database through tx and have no other side effects; use
// AfterCommit for those. An error returned by fn rolls back and is returned
// as is.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.W, nil, fn)
}

// WriteSerializable is Write at SERIALIZABLE isolation on PostgreSQL (on
// SQLite every write transaction is already serial).
func (db *DB) WriteSerializable(ctx context.Context, fn func(tx *Tx) error) error {
	if db.Dialect == Postgres {
		return db.run(ctx, db.W, &sql.TxOptions{Isolation: sql.LevelSerializable}, fn)
	}
	return db.Write(ctx, fn)
}

// Read runs fn in a read-only transaction on the reader pool, so all its
// queries see one snapshot.
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.Dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return db.run(ctx, db.R, opts, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(tx *Tx) error) error {
	for attempt := 1; ; attempt++ {
		tx, err := db.attempt(ctx, pool, opts, fn)
		if err == nil {
			for _, f := range tx.after {
				f()
			}
			return nil
		}
		if !IsTransient(err) || attempt >= maxAttempts || ctx.Err() != nil {
			return err
		}
		retries.Inc()
		// Jittered exponential backoff, capped at ~200ms, so hot-row
		// contenders spread out instead of colliding again in lockstep.
		base := time.Duration(1<<min(attempt, 7)) * time.Millisecond
		backoff := base/2 + time.Duration(rand.Int64N(int64(base)))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
	}
}

func (db *DB) attempt(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(tx *Tx) error) (_ *Tx, err error) {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, Now: db.Now(), Dialect: db.Dialect, db: db}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return nil, err
	}
	if err := sqlTx.Commit(); err != nil {
		return nil, fmt.Errorf("store: commit: %w", err)
	}
	return tx, nil
}

// IsTransient reports whether err is a conflict that a retry of the whole
// transaction can cure.
func IsTransient(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return true
		}
	}
	return false
}

// IsUniqueViolation reports whether err is a unique-constraint violation.
func IsUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == 2067 || se.Code() == 1555 // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// NotFound turns sql.ErrNoRows into the platform's not-found error for kind
// and leaves other errors alone.
func NotFound(err error, kind string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return platform.NotFound(kind)
	}
	return err
}

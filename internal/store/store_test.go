package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var testSet = store.Migrations{Name: "t", FS: fstest.MapFS{
	"sqlite/20261125000001_t.sql":   {Data: []byte("-- +goose Up\nCREATE TABLE t (id BIGINT PRIMARY KEY, n INTEGER NOT NULL, at TIMESTAMP NOT NULL);\n-- +goose Down\nDROP TABLE t;\n")},
	"postgres/20261125000001_t.sql": {Data: []byte("-- +goose Up\nCREATE TABLE t (id BIGINT PRIMARY KEY, n INTEGER NOT NULL, at TIMESTAMPTZ NOT NULL);\n-- +goose Down\nDROP TABLE t;\n")},
}}

func TestMigrateFromEmptyAndRoundTrip(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 11, 0, 0, 0, 123456789, time.UTC))
	storetest.Each(t, storetest.Config{Sets: []store.Migrations{testSet}, Clock: clock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Migrating again is a no-op.
		if err := store.Migrate(ctx, db, []store.Migrations{store.OwnMigrations(), testSet}); err != nil {
			t.Fatal(err)
		}
		var id platform.ID
		err := db.Write(ctx, func(tx *store.Tx) error {
			id = tx.NewID()
			_, err := tx.ExecContext(ctx, `INSERT INTO t (id, n, at) VALUES ($1, $2, $3)`, id, 7, tx.Now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		var at time.Time
		err = db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, `SELECT n, at FROM t WHERE id = $1 AND at >= $2`, id, clock.Now().Add(-time.Second)).Scan(&n, &at)
		})
		if err != nil {
			t.Fatal(err)
		}
		want := store.Time(clock.Now())
		if n != 7 || !at.Equal(want) {
			t.Fatalf("read back n=%d at=%v, want 7 at %v", n, at, want)
		}
	})
}

func TestWriteRollsBackOnError(t *testing.T) {
	storetest.Each(t, storetest.Config{Sets: []store.Migrations{testSet}}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.Write(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t (id, n, at) VALUES ($1, 1, $2)`, tx.NewID(), tx.Now); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM t`); got != 0 {
			t.Fatalf("rows after rollback = %d, want 0", got)
		}
	})
}

// Concurrent increments of one row must all land: SQLite serialises them on
// the writer, PostgreSQL under SERIALIZABLE retries the conflicts.
func TestConcurrentWritesAllLand(t *testing.T) {
	storetest.Each(t, storetest.Config{Sets: []store.Migrations{testSet}}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.W.ExecContext(ctx, `INSERT INTO t (id, n, at) VALUES (1, 0, $1)`, db.Now()); err != nil {
			t.Fatal(err)
		}
		const workers, each = 4, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					errs <- db.WriteSerializable(ctx, func(tx *store.Tx) error {
						var n int
						if err := tx.QueryRowContext(ctx, `SELECT n FROM t WHERE id = 1`).Scan(&n); err != nil {
							return err
						}
						_, err := tx.ExecContext(ctx, `UPDATE t SET n = $1 WHERE id = 1`, n+1)
						return err
					})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := storetest.Count(t, db, `SELECT n FROM t WHERE id = 1`); got != workers*each {
			t.Fatalf("n = %d, want %d", got, workers*each)
		}
	})
}

// A module's migration that lands after a later-stamped one was applied
// (parallel work merged late) is applied, not refused.
func TestMigrateAppliesLateLowerVersions(t *testing.T) {
	late := store.Migrations{Name: "late", FS: fstest.MapFS{
		"sqlite/20261124000000_late.sql":   {Data: []byte("-- +goose Up\nCREATE TABLE late (id BIGINT PRIMARY KEY);\n-- +goose Down\nDROP TABLE late;\n")},
		"postgres/20261124000000_late.sql": {Data: []byte("-- +goose Up\nCREATE TABLE late (id BIGINT PRIMARY KEY);\n-- +goose Down\nDROP TABLE late;\n")},
	}}
	storetest.Each(t, storetest.Config{Sets: []store.Migrations{testSet}}, func(t *testing.T, db *store.DB) {
		if err := store.Migrate(context.Background(), db, []store.Migrations{store.OwnMigrations(), testSet, late}); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM late`); n != 0 {
			t.Fatalf("late table has %d rows", n)
		}
	})
}

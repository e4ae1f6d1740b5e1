package bench

import (
	"context"
	"testing"
	"testing/fstest"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var benchSet = store.Migrations{Name: "bench", FS: fstest.MapFS{
	"sqlite/20261125000900_bench.sql":   {Data: []byte("-- +goose Up\nCREATE TABLE bench_rows (id BIGINT PRIMARY KEY, n INTEGER NOT NULL, note TEXT NOT NULL, at TIMESTAMP NOT NULL);\n-- +goose Down\nDROP TABLE bench_rows;\n")},
	"postgres/20261125000900_bench.sql": {Data: []byte("-- +goose Up\nCREATE TABLE bench_rows (id BIGINT PRIMARY KEY, n INTEGER NOT NULL, note TEXT NOT NULL, at TIMESTAMPTZ NOT NULL);\n-- +goose Down\nDROP TABLE bench_rows;\n")},
}}

const insertRow = `INSERT INTO bench_rows (id, n, note, at) VALUES ($1, $2, $3, $4)`

// eachDialect runs fn as a sub-benchmark per dialect under test, each with
// its own database on a frozen clock (as transactions carry in production).
func eachDialect(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC))
	for _, d := range storetest.Kinds(b) {
		b.Run(string(d), func(b *testing.B) {
			fn(b, storetest.Open(b, d, storetest.Config{Sets: []store.Migrations{benchSet}, Clock: clock}))
		})
	}
}

// BenchmarkStoreWrite compares a one-row insert through db.Write (frozen
// now, retry wrapper, explicit BEGIN/COMMIT) with the same insert as one
// raw statement on the writer.
func BenchmarkStoreWrite(b *testing.B) {
	eachDialect(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		b.Run("baseline", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := db.W.ExecContext(ctx, insertRow, db.IDs.Next(), i, "raw", db.Now()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("write", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				err := db.Write(ctx, func(tx *store.Tx) error {
					_, err := tx.ExecContext(ctx, insertRow, tx.NewID(), i, "tx", tx.Now)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkStoreRead compares a point lookup through db.Read (a read-only
// transaction, repeatable read on PostgreSQL) with a raw QueryRow on the
// reader pool.
func BenchmarkStoreRead(b *testing.B) {
	eachDialect(b, func(b *testing.B, db *store.DB) {
		ctx := context.Background()
		const rows = 1000
		ids := make([]platform.ID, rows)
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i := range ids {
				ids[i] = tx.NewID()
				if _, err := tx.ExecContext(ctx, insertRow, ids[i], i, "seed", tx.Now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		const q = `SELECT n FROM bench_rows WHERE id = $1`
		b.Run("baseline", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				var n int
				if err := db.R.QueryRowContext(ctx, q, ids[i%rows]).Scan(&n); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("read", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				var n int
				err := db.Read(ctx, func(tx *store.Tx) error {
					return tx.QueryRowContext(ctx, q, ids[i%rows]).Scan(&n)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

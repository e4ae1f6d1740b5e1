package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"testing/fstest"
	"time"

	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var bulkSet = store.Migrations{Name: "bulk", FS: fstest.MapFS{
	"sqlite/20261125000002_bulk.sql":   {Data: []byte("-- +goose Up\nCREATE TABLE bulk_rows (id BIGINT PRIMARY KEY, note TEXT NOT NULL, data BLOB, ok BOOLEAN NOT NULL, parent BIGINT, at TIMESTAMP NOT NULL);\n-- +goose Down\nDROP TABLE bulk_rows;\n")},
	"postgres/20261125000002_bulk.sql": {Data: []byte("-- +goose Up\nCREATE TABLE bulk_rows (id BIGINT PRIMARY KEY, note TEXT NOT NULL, data BYTEA, ok BOOLEAN NOT NULL, parent BIGINT, at TIMESTAMPTZ NOT NULL);\n-- +goose Down\nDROP TABLE bulk_rows;\n")},
}}

func TestLoadWritesEveryRowOfEveryBatch(t *testing.T) {
	at := store.Time(time.Date(2026, 11, 11, 20, 0, 0, 123456000, time.UTC))
	storetest.Each(t, storetest.Config{Sets: []store.Migrations{bulkSet}}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const rows = 12345 // several full batches and a partial one
		err := db.Load(ctx, func(l *store.Loader) error {
			b := l.Into("bulk_rows", "id", "note", "data", "ok", "parent", "at")
			for i := range int64(rows) {
				var parent any
				if i%2 == 0 {
					parent = i
				}
				if err := b.Add(i+1, fmt.Sprintf("行 %d", i), []byte{byte(i)}, i%3 == 0, parent, at.Add(time.Duration(i)*time.Second)); err != nil {
					return err
				}
			}
			if b.Rows() != rows {
				return fmt.Errorf("Rows() = %d", b.Rows())
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM bulk_rows`); n != rows {
			t.Fatalf("%d rows, want %d", n, rows)
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM bulk_rows WHERE parent IS NULL`); n != rows/2 {
			t.Fatalf("%d null parents, want %d", n, rows/2)
		}
		var note string
		var data []byte
		var ok bool
		var got time.Time
		if err := db.R.QueryRowContext(ctx, `SELECT note, data, ok, at FROM bulk_rows WHERE id = $1`, 301).Scan(&note, &data, &ok, &got); err != nil {
			t.Fatal(err)
		}
		if note != "行 300" || len(data) != 1 || data[0] != byte(300%256) || !ok || !got.Equal(at.Add(300*time.Second)) {
			t.Fatalf("row 301 = %q %v %v %v", note, data, ok, got)
		}
	})
}

func TestLoadRollsBackOnError(t *testing.T) {
	storetest.Each(t, storetest.Config{Sets: []store.Migrations{bulkSet}}, func(t *testing.T, db *store.DB) {
		boom := errors.New("boom")
		err := db.Load(context.Background(), func(l *store.Loader) error {
			b := l.Into("bulk_rows", "id", "note", "data", "ok", "parent", "at")
			for i := range int64(2000) {
				if err := b.Add(i+1, "x", nil, true, nil, time.Now().UTC()); err != nil {
					return err
				}
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if n := storetest.Count(t, db, `SELECT COUNT(*) FROM bulk_rows`); n != 0 {
			t.Fatalf("%d rows after rollback", n)
		}
	})
}

func TestAppendSQLiteTimeMatchesTheDriverFormat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	times := []time.Time{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), time.Date(2026, 1, 2, 3, 4, 5, 120_000, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}
	for range 10_000 {
		times = append(times, time.Unix(r.Int64N(4_000_000_000), r.Int64N(1e9)).UTC())
	}
	for _, at := range times {
		if got, want := string(store.AppendSQLiteTime(nil, at)), at.Format("2006-01-02 15:04:05.999999999-07:00"); got != want {
			t.Fatalf("%v: %q, want %q", at, got, want)
		}
	}
}

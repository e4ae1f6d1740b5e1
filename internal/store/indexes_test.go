package store_test

import (
	"context"
	"testing"
	"testing/fstest"

	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var indexedSet = store.Migrations{Name: "ix", FS: fstest.MapFS{
	"sqlite/20261125000002_ix.sql":   {Data: []byte("-- +goose Up\nCREATE TABLE ix (id BIGINT PRIMARY KEY, n INTEGER NOT NULL);\nCREATE INDEX ix_n ON ix (n);\n-- +goose Down\nDROP TABLE ix;\n")},
	"postgres/20261125000002_ix.sql": {Data: []byte("-- +goose Up\nCREATE TABLE ix (id BIGINT PRIMARY KEY, n INTEGER NOT NULL);\nCREATE INDEX ix_n ON ix (n);\n-- +goose Down\nDROP TABLE ix;\n")},
}}

// An index dropped for a bulk load comes back on the next start even if
// the load died before restoring it.
func TestDroppedIndexSurvivesACrash(t *testing.T) {
	storetest.Each(t, storetest.Config{Sets: []store.Migrations{indexedSet}}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		exists := func() bool {
			q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_n'`
			if db.Dialect == store.Postgres {
				q = `SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'ix_n'`
			}
			return storetest.Count(t, db, q) == 1
		}
		if err := store.DropIndexesForLoad(ctx, db, []store.IndexDef{{Name: "ix_n", Create: "CREATE INDEX ix_n ON ix (n)"}}); err != nil {
			t.Fatal(err)
		}
		if exists() {
			t.Fatal("index still there after the drop")
		}
		// The process dies here; the next start runs:
		n, err := store.RestorePendingIndexes(ctx, db)
		if err != nil || n != 1 || !exists() {
			t.Fatalf("restored %d (%v), index exists %v; want 1 and true", n, err, exists())
		}
		if n, _ := store.RestorePendingIndexes(ctx, db); n != 0 {
			t.Fatalf("a second start rebuilt %d indexes, want 0", n)
		}
	})
}

package store_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var backupSet = store.Migrations{Name: "backup", FS: fstest.MapFS{
	"sqlite/20261125000002_backup_t.sql": {Data: []byte(`-- +goose Up
CREATE TABLE products (id BIGINT PRIMARY KEY, name TEXT NOT NULL, price BIGINT NOT NULL, stock BIGINT NOT NULL DEFAULT 0, photo BLOB, note TEXT, created_at TIMESTAMP NOT NULL);
CREATE TABLE stock_ledger (seq INTEGER PRIMARY KEY AUTOINCREMENT, product_id BIGINT NOT NULL REFERENCES products (id), delta BIGINT NOT NULL);
CREATE INDEX stock_ledger_product ON stock_ledger (product_id);
-- +goose Down
DROP TABLE stock_ledger;
DROP TABLE products;
`)},
	"postgres/20261125000002_backup_t.sql": {Data: []byte(`-- +goose Up
CREATE TABLE products (id BIGINT PRIMARY KEY, name TEXT NOT NULL, price BIGINT NOT NULL, stock BIGINT NOT NULL DEFAULT 0, photo BYTEA, note TEXT, created_at TIMESTAMPTZ NOT NULL);
CREATE TABLE stock_ledger (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, product_id BIGINT NOT NULL REFERENCES products (id), delta BIGINT NOT NULL);
CREATE INDEX stock_ledger_product ON stock_ledger (product_id);
-- +goose Down
DROP TABLE stock_ledger;
DROP TABLE products;
`)},
}}

// TestBackupRestore backs up a live database, keeps writing to it during
// and after the backup, restores into a fresh database and checks that
// every table holds exactly the rows of the backup's moment: the ledger
// balances (one snapshot) and nothing written later leaked in.
func TestBackupRestore(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 11, 8, 30, 0, 123456000, time.UTC))
	storetest.Each(t, storetest.Config{Sets: []store.Migrations{backupSet}, Clock: clock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if db.Dialect == store.Postgres {
			requireTools(t, "pg_dump", "pg_restore")
		}
		ids := seedShop(t, db, 60)
		want := dumpAll(t, db)
		dir := t.TempDir()
		dest := filepath.Join(dir, "shop.backup")
		if err := store.Backup(ctx, db, dest); err != nil {
			t.Fatal(err)
		}
		if err := store.Backup(ctx, db, dest); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Fatalf("second backup to the same file: %v, want an 'already exists' error", err)
		}
		// Written after the backup: must not be restored.
		moveStock(t, db, ids[0], 99)

		// A second backup taken while writers move stock is still one
		// consistent snapshot.
		live := filepath.Join(dir, "live.backup")
		var stop atomic.Bool
		var wg sync.WaitGroup
		var moved atomic.Int64
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				moveStock(t, db, ids[i%len(ids)], 1)
				moved.Add(1)
			}
		}()
		time.Sleep(20 * time.Millisecond)
		err := store.Backup(ctx, db, live)
		stop.Store(true)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if moved.Load() == 0 {
			t.Fatal("no writes happened during the live backup")
		}

		target, open := freshTarget(t, db.Dialect)
		if err := store.Restore(ctx, target, dest); err != nil {
			t.Fatal(err)
		}
		restored := open()
		if got := dumpAll(t, restored); !slices.Equal(got, want) {
			t.Fatalf("restored database differs from the backup:\n got %d lines\nwant %d lines\n%s", len(got), len(want), firstDiff(got, want))
		}
		// Sequences came back too: a new ledger row does not collide.
		moveStock(t, restored, ids[1], 5)
		restored.Close()

		// Restoring again over the now-changed database (--clean on
		// PostgreSQL, replace on SQLite) gives the live snapshot, balanced.
		if err := store.Restore(ctx, target, live); err != nil {
			t.Fatal(err)
		}
		restored = open()
		defer restored.Close()
		unbalanced := storetest.Count(t, restored, `SELECT COUNT(*) FROM products p WHERE p.stock <> (SELECT COALESCE(SUM(delta), 0) FROM stock_ledger l WHERE l.product_id = p.id)`)
		if unbalanced != 0 {
			t.Fatalf("live backup: %d products whose stock differs from their ledger", unbalanced)
		}
		if n := storetest.Count(t, restored, `SELECT COUNT(*) FROM stock_ledger`); n <= len(ids) {
			t.Fatalf("live backup holds %d ledger rows, want more than the %d seeded", n, len(ids))
		}
	})
}

// TestRestoreSQLiteSafety: restore refuses a file in use and a file that is
// not a database, and removes the old database's stale WAL.
func TestRestoreSQLiteSafety(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite, storetest.Config{Sets: []store.Migrations{backupSet}})
	seedShop(t, db, 5)
	want := dumpAll(t, db)
	dir := t.TempDir()
	dest := filepath.Join(dir, "b.db")
	if err := store.Backup(ctx, db, dest); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(dir, "live", "shop.db")
	running, err := store.Open(ctx, "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := running.W.ExecContext(ctx, `CREATE TABLE old_stuff (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	if err := store.Restore(ctx, "sqlite:"+path, dest); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("restore over a running database: %v, want an 'in use' error", err)
	}
	running.Close()

	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte("definitely not sqlite, but long enough to have a header of sorts......................................................"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := store.Restore(ctx, "sqlite:"+path, junk); err == nil {
		t.Fatal("restoring a non-database succeeded")
	}
	if err := os.WriteFile(path+"-wal", []byte("stale wal frames"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := store.Restore(ctx, path, dest); err != nil { // bare .db path form
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-wal"); !os.IsNotExist(err) {
		t.Fatalf("stale -wal survived the restore: %v", err)
	}
	restored, err := store.Open(ctx, "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if got := dumpAll(t, restored); !slices.Equal(got, want) {
		t.Fatalf("restored database differs:\n%s", firstDiff(got, want))
	}
	if err := store.Restore(ctx, "mysql://x", dest); err == nil {
		t.Fatal("restore accepted an unknown --db")
	}
}

func requireTools(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not on PATH (CI=true: required)", n)
			}
			t.Skipf("%s not on PATH", n)
		}
	}
}

// seedShop writes n products with awkward values (Chinese text, bytes,
// NULLs) and one ledger row each, returning their ids.
func seedShop(t *testing.T, db *store.DB, n int) []platform.ID {
	t.Helper()
	ctx := context.Background()
	ids := make([]platform.ID, n)
	err := db.Write(ctx, func(tx *store.Tx) error {
		for i := range ids {
			ids[i] = tx.NewID()
			var photo []byte
			var note any
			if i%3 != 0 {
				photo = []byte{0, 1, 2, byte(i), 0xff}
				note = fmt.Sprintf("备注 %d: 'quotes' \"and\" \\ backslashes", i)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO products (id, name, price, photo, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				ids[i], fmt.Sprintf("商品 %d 号", i), int64(i)*1999, photo, note, tx.Now.Add(time.Duration(i)*time.Second)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		moveStock(t, db, id, int64(10+i))
	}
	return ids
}

// moveStock appends to the ledger and keeps the balance in one transaction.
func moveStock(t *testing.T, db *store.DB, id platform.ID, delta int64) {
	ctx := context.Background()
	err := db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO stock_ledger (product_id, delta) VALUES ($1, $2)`, id, delta); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE products SET stock = stock + $1 WHERE id = $2`, delta, id)
		return err
	})
	if err != nil {
		t.Error(err)
	}
}

// dumpAll lists every table and its rows as sorted text lines.
func dumpAll(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.Dialect == store.Postgres {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`
	}
	rows, err := db.R.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, table := range tables {
		out = append(out, "table "+table)
		rows, err := db.R.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fields := make([]string, len(vals))
			for i, v := range vals {
				switch v := v.(type) {
				case []byte:
					fields[i] = fmt.Sprintf("%s=0x%x", cols[i], v)
				case time.Time:
					fields[i] = cols[i] + "=" + v.UTC().Format(time.RFC3339Nano)
				default:
					fields[i] = fmt.Sprintf("%s=%v", cols[i], v)
				}
			}
			lines = append(lines, "  "+strings.Join(fields, " | "))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(lines)
		out = append(out, lines...)
	}
	return out
}

// freshTarget names an empty database of dialect d to restore into, and a
// function that opens it once restored.
func freshTarget(t *testing.T, d store.Dialect) (spec string, open func() *store.DB) {
	t.Helper()
	ctx := context.Background()
	switch d {
	case store.SQLite:
		spec = "sqlite:" + filepath.Join(t.TempDir(), "restored", "shop.db")
	case store.Postgres:
		admin := storetest.AdminURL()
		name := fmt.Sprintf("storeops_restore_%d", time.Now().UnixNano())
		adminDo(t, admin, `CREATE DATABASE `+name)
		t.Cleanup(func() { adminDo(t, admin, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`) })
		u, err := url.Parse(admin)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + name
		spec = u.String()
	}
	return spec, func() *store.DB {
		node := 2
		db, err := store.Open(ctx, spec, store.Options{Node: &node})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
}

func adminDo(t *testing.T, admin, stmt string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, stmt); err != nil {
		t.Fatal(err)
	}
}

func firstDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i, g, w)
		}
	}
	return "(no difference)"
}

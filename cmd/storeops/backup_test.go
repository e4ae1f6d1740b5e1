package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// storeops backup then storeops restore into another file gives the same
// rows, through the commands a shop owner scripts.
func TestBackupRestoreCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := "sqlite:" + filepath.Join(dir, "shop.db")
	var out bytes.Buffer
	if err := run(ctx, []string{"user", "add", "--db", src, "--dev", "--email", "a@b.cn", "--password", "password-123", "--role", "admin"}, &out); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "shop.backup")
	if err := run(ctx, []string{"backup", "--db", src, "--out", file}, &out); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "restored.db")
	if err := run(ctx, []string{"restore", "--db", "sqlite:" + dst, "--from", file}, &out); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`SELECT email || ':' || role FROM staff_users ORDER BY id`,
		`SELECT action || ':' || entity_type FROM audit_log ORDER BY id`,
	} {
		if a, b := rows(t, filepath.Join(dir, "shop.db"), q), rows(t, dst, q); a != b || a == "" {
			t.Fatalf("%s: source %q, restored %q", q, a, b)
		}
	}
}

func rows(t *testing.T, path, q string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out string
	for rs.Next() {
		var s string
		rs.Scan(&s)
		out += s + "\n"
	}
	return out
}

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// import products reports bad rows by line and column and refuses the
// file; a dry run writes nothing and succeeds; export writes the header.
func TestImportExportProductsCommand(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "shop.db")
	file := filepath.Join(dir, "p.csv")
	if err := os.WriteFile(file, []byte("标题,分类,SKU编码,售价\n甲,不存在,A-1,十\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"import", "products", "--db", db, "--file", file, "--dry-run", "--lang", "en"}, &out); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if s := out.String(); !strings.Contains(s, "2\tcategory\t") || !strings.Contains(s, "2\tprice\t") {
		t.Fatalf("report: %s", s)
	}
	out.Reset()
	if err := run(ctx, []string{"import", "products", "--db", db, "--file", file}, &out); err == nil {
		t.Fatal("a file with bad rows was accepted")
	}
	out.Reset()
	if err := run(ctx, []string{"export", "products", "--db", db, "--out", "-"}, &out); err != nil || !strings.Contains(out.String(), "SKU编码") {
		t.Fatalf("export: %v %s", err, out.String())
	}
}

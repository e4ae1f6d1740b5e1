package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFilePrecedence(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "storeops.conf")
	if err := os.WriteFile(cfg, []byte("# settings\nlog-format = json\nlog-level = debug\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("STOREOPS_LOG_LEVEL", "warn")
	g := &globals{}
	if err := parse(g, "x", []string{"--config", cfg, "--db", "sqlite:" + filepath.Join(dir, "a.db")}, nil); err != nil {
		t.Fatal(err)
	}
	if g.logFormat != "json" {
		t.Errorf("log-format = %q, want json from the file", g.logFormat)
	}
	if g.logLevel != "warn" {
		t.Errorf("log-level = %q, want warn: the environment beats the file", g.logLevel)
	}
	if !strings.HasSuffix(g.db, "a.db") {
		t.Errorf("db = %q, want the command line's", g.db)
	}
}

func TestConfigFileUnknownSetting(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(cfg, []byte("colour = blue\n"), 0o600)
	err := parse(&globals{}, "x", []string{"--config", cfg}, nil)
	if err == nil || !strings.Contains(err.Error(), "unknown setting") {
		t.Fatalf("err = %v, want unknown setting", err)
	}
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, &out); err == nil {
		t.Fatal("want an error for an unknown command")
	}
}

// Package apptest builds the whole application on a test database and
// serves it over real HTTP on a free port.
package apptest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"storeops/internal/app"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/staff"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// Options tune New.
type Options struct {
	Clock platform.Clock
	// SMTP points the app's mail at a server (mailtest.Start); empty logs
	// mail instead.
	SMTP module.SMTP
}

// Open makes a fresh database of dialect d with every module's migrations
// applied (PostgreSQL: cloned from a migrated template).
func Open(t testing.TB, d store.Dialect, opt Options) *store.DB {
	t.Helper()
	sets, err := app.MigrationSets()
	if err != nil {
		t.Fatal(err)
	}
	return storetest.Open(t, d, storetest.Config{Sets: sets, Clock: opt.Clock})
}

// New builds the app (dev mode: cheap password hashing) on a fresh
// database of dialect d.
func New(t testing.TB, d store.Dialect, opt Options) *app.App {
	t.Helper()
	db := Open(t, d, opt)
	a, err := app.Build(context.Background(), app.Config{Dev: true, Log: Logger(), SMTP: opt.SMTP}, db)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Logger is quiet in tests (warnings and errors only) unless
// STOREOPS_TEST_LOG=debug asks for everything.
func Logger() *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("STOREOPS_TEST_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// Serve starts a real HTTP server for a and returns its base URL; it stops
// when the test ends.
func Serve(t testing.TB, a *app.App) string {
	t.Helper()
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

// Each runs fn on a fresh app for every dialect under test.
func Each(t *testing.T, opt Options, fn func(t *testing.T, a *app.App)) {
	t.Helper()
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) { fn(t, New(t, d, opt)) })
	}
}

// StaffToken creates a staff user of role (email ROLE@test.local unless
// given) with a known password and returns an API token acting as them,
// for tests that call the console or admin API with a real credential.
func StaffToken(t testing.TB, a *app.App, role platform.Role, email ...string) string {
	t.Helper()
	ctx := context.Background()
	addr := string(role) + "@test.local"
	if len(email) > 0 {
		addr = email[0]
	}
	s := staff.New(a.DB, staff.DefaultConfig(true, false))
	by := staff.Operator("test")
	if _, err := s.Create(ctx, by, staff.NewUser{Email: addr, Name: string(role), Role: role, Department: staff.DeptManagement, Password: TestPassword}); err != nil {
		t.Fatalf("apptest: create %s: %v", addr, err)
	}
	secret, _, err := s.CreateToken(ctx, by, staff.NewToken{Email: addr, Name: "test"})
	if err != nil {
		t.Fatalf("apptest: token for %s: %v", addr, err)
	}
	return secret
}

// TestPassword is the password StaffToken's users sign in with.
const TestPassword = "correct horse battery"

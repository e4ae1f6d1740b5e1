package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/staff"
)

// user add and token create run through the command dispatcher against a
// temporary SQLite database; the token then works on the API.
func TestUserAddAndTokenCreate(t *testing.T) {
	ctx := context.Background()
	db := "sqlite:" + filepath.Join(t.TempDir(), "cli.db")
	var out bytes.Buffer
	err := run(ctx, []string{"user", "add", "--db", db, "--dev", "--email", "Ops@Shop.example", "--password", "long-enough-1", "--role", "admin", "--name", "运营"}, &out)
	if err != nil {
		t.Fatalf("user add: %v", err)
	}
	if !strings.Contains(out.String(), "created staff user ops@shop.example (admin") {
		t.Fatalf("user add printed %q", out.String())
	}
	// A short password is refused with the field named.
	err = run(ctx, []string{"user", "add", "--db", db, "--dev", "--email", "b@shop.example", "--password", "short", "--role", "analyst"}, &out)
	if err == nil || !strings.Contains(err.Error(), "--password") {
		t.Fatalf("short password: err = %v", err)
	}

	out.Reset()
	if err := run(ctx, []string{"token", "create", "--db", db, "--dev", "--email", "ops@shop.example", "--name", "erp"}, &out); err != nil {
		t.Fatalf("token create: %v", err)
	}
	token := strings.TrimSpace(out.String())
	if !strings.HasPrefix(token, staff.TokenPrefix) || strings.Contains(token, "\n") {
		t.Fatalf("token create printed %q", out.String())
	}

	a, err := app.Open(ctx, app.Config{DB: db, Dev: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/api/v1/me with the CLI's token = %d", res.StatusCode)
	}
}

package staff_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/password"
	"storeops/internal/platform"
	"storeops/internal/staff"
)

func TestLockoutAndUnlock(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		s := svc(a)
		mustUser(t, a, "clerk@shop.example", platform.RoleCatalog, "")
		try := func(pw string) error {
			_, err := s.Login(ctx, staff.Credentials{Email: "Clerk@shop.example", Password: pw, IP: "10.0.0.1"})
			return err
		}
		for i := 0; i < staff.DefaultLimits.AccountFailures; i++ {
			if code := platform.ErrorCode(try("wrong-password")); code != staff.CodeInvalidCredentials {
				t.Fatalf("failure %d: code %s", i+1, code)
			}
		}
		// Locked now, even with the right password.
		err := try("password-123")
		if platform.ErrorCode(err) != platform.CodeLocked || staff.RetryAfter(err) != 15*60 {
			t.Fatalf("after %d failures: %v (retry after %d)", staff.DefaultLimits.AccountFailures, err, staff.RetryAfter(err))
		}
		clock.Advance(14 * time.Minute)
		if platform.ErrorCode(try("password-123")) != platform.CodeLocked {
			t.Fatal("unlocked before the window ended")
		}
		clock.Advance(time.Minute + time.Second)
		if err := try("password-123"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
		// A good sign-in forgets earlier failures.
		for i := 0; i < staff.DefaultLimits.AccountFailures-1; i++ {
			try("wrong-password")
		}
		if err := try("password-123"); err != nil {
			t.Fatalf("4 failures must not lock: %v", err)
		}
		if code := platform.ErrorCode(try("wrong-password")); code != staff.CodeInvalidCredentials {
			t.Fatalf("counter not reset: %s", code)
		}
	})
}

func TestIPRateLimitAndNoEnumeration(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		mustUser(t, a, "clerk@shop.example", platform.RoleCatalog, "")
		b := newBrowser(t, base)

		// Unknown email and wrong password: same status, same words.
		r1, unknown := b.post("/console/login", url.Values{"email": {"nobody@shop.example"}, "password": {"password-123"}})
		r2, wrong := b.post("/console/login", url.Values{"email": {"clerk@shop.example"}, "password": {"not-the-password"}})
		if r1.StatusCode != http.StatusUnauthorized || r2.StatusCode != http.StatusUnauthorized {
			t.Fatalf("statuses %d, %d", r1.StatusCode, r2.StatusCode)
		}
		msg := "邮箱或密码不正确"
		if !strings.Contains(unknown, msg) || !strings.Contains(wrong, msg) {
			t.Fatal("unknown email and wrong password must read the same")
		}
		s := svc(a)
		_, e1 := s.Login(context.Background(), staff.Credentials{Email: "nobody@shop.example", Password: "x-password", IP: "10.9.9.9"})
		_, e2 := s.Login(context.Background(), staff.Credentials{Email: "clerk@shop.example", Password: "x-password", IP: "10.9.9.9"})
		if platform.ErrorCode(e1) != platform.ErrorCode(e2) || !errors.Is(e1, e1) {
			t.Fatalf("codes differ: %v / %v", e1, e2)
		}

		// 20 attempts a minute per address; the 21st is refused.
		for i := 3; i <= staff.DefaultLimits.IPAttempts; i++ {
			res, _ := b.post("/console/login", url.Values{"email": {"user" + strconv.Itoa(i) + "@shop.example"}, "password": {"password-123"}})
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("attempt %d = %d", i, res.StatusCode)
			}
		}
		clock.Advance(20 * time.Second)
		res, body := b.post("/console/login", url.Values{"email": {"clerk@shop.example"}, "password": {"password-123"}})
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "40" || !strings.Contains(body, `id="email"`) {
			t.Fatalf("attempt 21 = %d Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
		}
		clock.Advance(41 * time.Second)
		if res := b.login("clerk@shop.example", "password-123"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("after the window = %d", res.StatusCode)
		}
	})
}

func TestPasswordRehashOnLogin(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		u := mustUser(t, a, "clerk@shop.example", platform.RoleCatalog, "")
		// A hash made with other (older) parameters.
		old := password.Cheap
		old.Iterations = 2
		h, err := password.NewHasher(old, 1).Hash("password-123")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.W.ExecContext(ctx, `UPDATE staff_users SET password_hash = $1 WHERE id = $2`, h, int64(u.ID)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc(a).Login(ctx, staff.Credentials{Email: u.Email, Password: "password-123"}); err != nil {
			t.Fatal(err)
		}
		var now string
		if err := a.DB.R.QueryRowContext(ctx, `SELECT password_hash FROM staff_users WHERE id = $1`, int64(u.ID)).Scan(&now); err != nil {
			t.Fatal(err)
		}
		if now == h || !strings.Contains(now, "t=1,") {
			t.Fatalf("hash not upgraded: %s", now)
		}
		ok, rehash, err := svc(a).Hasher().Verify("password-123", now)
		if !ok || rehash || err != nil {
			t.Fatalf("new hash: ok=%v rehash=%v err=%v", ok, rehash, err)
		}
		// Passwords shorter than 8 are refused.
		if err := svc(a).SetPassword(ctx, cli, u.ID, "short"); platform.ErrorCode(err) != platform.CodeInvalid {
			t.Fatalf("short password: %v", err)
		}
	})
}

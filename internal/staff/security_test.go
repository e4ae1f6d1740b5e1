package staff_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/staff"
)

// Parallel wrong passwords must not each get a guess checked: the attempt
// is charged before the password is, so exactly the limit of them are
// checked and the rest are refused as locked; then even the right
// password is refused.
func TestParallelGuessesStopAtTheLimit(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		s := svc(a)
		mustUser(t, a, "clerk@shop.example", platform.RoleCatalog, "")
		limit := staff.DefaultLimits.AccountFailures
		n := limit + 10

		codes := make([]platform.Code, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, err := s.Login(ctx, staff.Credentials{Email: "CLERK@shop.example", Password: fmt.Sprintf("guess-%02d-wrong", i),
					IP: fmt.Sprintf("10.1.0.%d", i+1)})
				codes[i] = platform.ErrorCode(err)
			}(i)
		}
		close(start)
		wg.Wait()

		checked, locked := 0, 0
		for i, c := range codes {
			switch c {
			case staff.CodeInvalidCredentials:
				checked++
			case platform.CodeLocked:
				locked++
			default:
				t.Fatalf("attempt %d: code %q", i, c)
			}
		}
		if checked != limit || locked != n-limit {
			t.Fatalf("%d parallel wrong passwords: %d checked, %d locked; want %d checked", n, checked, locked, limit)
		}
		_, err := s.Login(ctx, staff.Credentials{Email: "clerk@shop.example", Password: "password-123", IP: "10.2.0.1"})
		if platform.ErrorCode(err) != platform.CodeLocked {
			t.Fatalf("right password after the lock: %v", err)
		}
		// An unknown email is charged the same way (no enumeration).
		for i := 0; i < limit; i++ {
			_, err := s.Login(ctx, staff.Credentials{Email: "nobody@shop.example", Password: "password-123", IP: "10.3.0.1"})
			if platform.ErrorCode(err) != staff.CodeInvalidCredentials {
				t.Fatalf("unknown email attempt %d: %v", i+1, err)
			}
		}
		_, err = s.Login(ctx, staff.Credentials{Email: "nobody@shop.example", Password: "password-123", IP: "10.3.0.2"})
		if platform.ErrorCode(err) != platform.CodeLocked {
			t.Fatalf("unknown email past the limit: %v", err)
		}
		clock.Advance(staff.DefaultLimits.AccountLock + time.Second)
		if _, err := s.Login(ctx, staff.Credentials{Email: "clerk@shop.example", Password: "password-123", IP: "10.2.0.1"}); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
	})
}

// signedIn reports whether the browser's session still opens the console.
func signedIn(t *testing.T, b *browser) bool {
	t.Helper()
	res, _ := b.get("/console/account")
	switch {
	case res.StatusCode == http.StatusOK:
		return true
	case res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/console/login"):
		return false
	}
	t.Fatalf("/console/account = %d %s", res.StatusCode, res.Header.Get("Location"))
	return false
}

// A password reset ends every console session of the user, while API
// tokens keep working; changing one's own password keeps the session that
// did it (under a new token) and ends the others.
func TestPasswordChangeEndsSessions(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		base := apptest.Serve(t, a)
		s := svc(a)
		clerk := mustUser(t, a, "clerk@shop.example", platform.RoleCatalog, "")
		secret, _, err := s.CreateToken(ctx, cli, staff.NewToken{Email: "clerk@shop.example"})
		if err != nil {
			t.Fatal(err)
		}
		b1, b2 := newBrowser(t, base), newBrowser(t, base)
		for _, b := range []*browser{b1, b2} {
			if res := b.login("clerk@shop.example", "password-123"); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("login = %d", res.StatusCode)
			}
			if !signedIn(t, b) {
				t.Fatal("not signed in after login")
			}
		}

		// An administrator's reset.
		if err := s.SetPassword(ctx, cli, clerk.ID, "reset-password-1"); err != nil {
			t.Fatal(err)
		}
		if signedIn(t, b1) || signedIn(t, b2) {
			t.Fatal("a session survived the password reset")
		}
		if res, body := api(t, base, secret, "/api/v1/me"); res.StatusCode != http.StatusOK {
			t.Fatalf("API token after the reset = %d %s", res.StatusCode, body)
		}
		if res := b1.login("clerk@shop.example", "password-123"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("old password after the reset = %d", res.StatusCode)
		}

		// The user's own change.
		for _, b := range []*browser{b1, b2} {
			if res := b.login("clerk@shop.example", "reset-password-1"); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("login with the new password = %d", res.StatusCode)
			}
		}
		before := b1.cookie()
		res, _ := b1.post("/console/account/password", url.Values{"current": {"reset-password-1"}, "password": {"own-password-2"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/account?saved=1" {
			t.Fatalf("own change = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if after := b1.cookie(); after == "" || after == before {
			t.Fatalf("session token not renewed on the own change: %q then %q", before, after)
		}
		if !signedIn(t, b1) {
			t.Fatal("the own change ended the session that made it")
		}
		if signedIn(t, b2) {
			t.Fatal("another session survived the own change")
		}
		u, _ := url.Parse(base)
		thief := newBrowser(t, base)
		thief.c.Jar.SetCookies(u, []*http.Cookie{{Name: staff.CookieName, Value: before, Path: "/"}})
		if signedIn(t, thief) {
			t.Fatal("the token before the own change still works")
		}
		if res, _ := api(t, base, secret, "/api/v1/me"); res.StatusCode != http.StatusOK {
			t.Fatalf("API token after the own change = %d", res.StatusCode)
		}

		// Deactivating and reactivating does not bring old sessions back.
		off, on := false, true
		if _, err := s.Update(ctx, cli, clerk.ID, staff.Update{Active: &off}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Update(ctx, cli, clerk.ID, staff.Update{Active: &on}); err != nil {
			t.Fatal(err)
		}
		if signedIn(t, b1) {
			t.Fatal("a session came back with the reactivated account")
		}
		if res := b1.login("clerk@shop.example", "own-password-2"); res.StatusCode != http.StatusSeeOther || !signedIn(t, b1) {
			t.Fatalf("login after reactivation = %d", res.StatusCode)
		}
	})
}

// Wrong current passwords on the own-password form count against the
// account: field errors up to the limit, then account_locked, which also
// stops sign-in.
func TestOwnPasswordChangeAttemptsLimited(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		mustUser(t, a, "clerk@shop.example", platform.RoleCatalog, "")
		b := newBrowser(t, base)
		if res := b.login("clerk@shop.example", "password-123"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login = %d", res.StatusCode)
		}
		change := func(current string) (*http.Response, string) {
			return b.post("/console/account/password", url.Values{"current": {current}, "password": {"new-password-9"}})
		}
		// A bad new password costs no attempt.
		for i := 0; i < 2*staff.DefaultLimits.AccountFailures; i++ {
			res, _ := b.post("/console/account/password", url.Values{"current": {"wrong-password"}, "password": {"short"}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("short new password = %d", res.StatusCode)
			}
		}
		for i := 0; i < staff.DefaultLimits.AccountFailures; i++ {
			res, body := change(fmt.Sprintf("wrong-password-%d", i))
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "当前密码不正确") {
				t.Fatalf("wrong current password %d = %d", i+1, res.StatusCode)
			}
		}
		res, _ := change("password-123")
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "900" {
			t.Fatalf("past the limit = %d Retry-After %q, want 429 account_locked", res.StatusCode, res.Header.Get("Retry-After"))
		}
		_, err := svc(a).Login(context.Background(), staff.Credentials{Email: "clerk@shop.example", Password: "password-123"})
		if platform.ErrorCode(err) != platform.CodeLocked {
			t.Fatalf("sign-in while locked: %v", err)
		}
		clock.Advance(staff.DefaultLimits.AccountLock + time.Second)
		if res, _ := change("password-123"); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("right password after the lock = %d", res.StatusCode)
		}
		if !signedIn(t, b) {
			t.Fatal("own change ended the session")
		}
	})
}

func TestCreateTokenEmailAnyCase(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		owner := mustUser(t, a, "boss@shop.example", platform.RoleOwner, "")
		_, tok, err := svc(a).CreateToken(context.Background(), cli, staff.NewToken{Email: "  Boss@Shop.EXAMPLE "})
		if err != nil || tok.StaffID != owner.ID {
			t.Fatalf("token for a mixed-case email: %+v %v", tok, err)
		}
	})
}

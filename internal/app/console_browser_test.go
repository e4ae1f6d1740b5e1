package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/browsertest"
	"storeops/internal/store"
)

var ownerLine = regexp.MustCompile(`(\S+@\S+) / (\S+)`)

// A person signs in to the console, switches to English and back, and
// opens the audit log, in a real headless Chromium against a real server.
func TestBrowserConsoleSignInLanguageAudit(t *testing.T) {
	a := apptest.New(t, store.SQLite, apptest.Options{})
	base := apptest.Serve(t, a)
	email, password := firstOwner(t, a)
	ctx := browsertest.New(t)

	signIn(t, ctx, base, email, password)
	if lang := htmlLang(t, ctx); lang != "zh-CN" {
		t.Fatalf("console language after sign-in = %q, want zh-CN", lang)
	}
	browsertest.Screenshot(t, ctx, "console-zh")

	// Switch to English: the page reloads with English navigation.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("lang-en")), chromedp.WaitVisible(chromedp.ID("lang-zh"))); err != nil {
		t.Fatalf("switch to English: %v", err)
	}
	nav, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("nav.sidenav")))
	if err != nil {
		t.Fatal(err)
	}
	if lang := htmlLang(t, ctx); lang != "en" || !strings.Contains(nav, "Audit log") {
		t.Fatalf("after switching: lang=%q nav=%q, want en with 'Audit log'", lang, nav)
	}
	browsertest.Screenshot(t, ctx, "console-en")

	// And back to Chinese.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("lang-zh")), chromedp.WaitVisible(chromedp.ID("lang-en"))); err != nil {
		t.Fatalf("switch back: %v", err)
	}
	if lang := htmlLang(t, ctx); lang != "zh-CN" {
		t.Fatalf("after switching back: lang=%q, want zh-CN", lang)
	}

	// The audit log opens with its table.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/console/audit"), chromedp.WaitVisible(chromedp.ID("audit-table"))); err != nil {
		t.Fatalf("open audit log: %v", err)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(heading, "审计") {
		t.Fatalf("audit page heading = %q, want the Chinese title", heading)
	}
	browsertest.Screenshot(t, ctx, "console-audit")
}

func htmlLang(t *testing.T, ctx context.Context) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	return v.Value
}

// signIn opens the console, is sent to the sign-in form, signs in and
// waits for the console's navigation.
func signIn(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/console"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.CSS("nav.sidenav")),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
}

// firstOwner runs the first-run step and reads the generated login.
func firstOwner(t *testing.T, a *app.App) (email, password string) {
	t.Helper()
	line, err := a.EnsureOwner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := ownerLine.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first run printed %q, want an owner login", line)
	}
	return m[1], m[2]
}

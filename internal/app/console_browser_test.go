package app_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

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
	switchLanguage(t, ctx, "lang-en", "en")
	nav, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("nav.sidenav")))
	if err != nil {
		t.Fatal(err)
	}
	if lang := htmlLang(t, ctx); lang != "en" || !strings.Contains(nav, "Audit log") {
		t.Fatalf("after switching: lang=%q nav=%q, want en with 'Audit log'", lang, nav)
	}
	browsertest.Screenshot(t, ctx, "console-en")

	// And back to Chinese.
	switchLanguage(t, ctx, "lang-zh", "zh-CN")
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

// switchLanguage presses the language button and waits for the page
// that comes back in lang. The button's form posts and the page reloads,
// so the wait polls the new document rather than holding a node of the
// old one (which vanishes mid-query).
func switchLanguage(t *testing.T, ctx context.Context, button, lang string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID(button))); err != nil {
		t.Fatalf("language button %s: %v", button, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () { document.getElementById("`+button+`").click(); return true; })()`)); err != nil {
		t.Fatalf("press %s: %v", button, err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" && document.querySelector("nav.sidenav") ? document.documentElement.lang : ""`))
		if err == nil && v == lang {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the console never came back in %s after pressing %s", lang, button)
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

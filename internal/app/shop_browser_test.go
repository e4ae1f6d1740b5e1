package app_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"storeops/internal/app/apptest"
	"storeops/internal/browsertest"
	"storeops/internal/demo"
	"storeops/internal/store"
)

// A person signs in to the console of a living (demo) shop, sets this
// month's targets, sees the Overview with rendered charts and target
// progress, exports the top products to XLSX, then walks the storefront:
// home, a category, a product. Screenshots of each go to
// STOREOPS_SCREENSHOTS (the README shows them from docs/screenshots).
func TestBrowserOverviewAndStorefront(t *testing.T) {
	a := apptest.New(t, store.SQLite, apptest.Options{})
	if _, err := demo.Generate(context.Background(), a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.1, AsOf: time.Now()}); err != nil {
		t.Fatal(err)
	}
	base := apptest.Serve(t, a)
	email, password := firstOwner(t, a)
	ctx := browsertest.New(t)

	signIn(t, ctx, base, email, password)
	err := chromedp.Do(ctx,
		// This month's targets, set by the owner in the console.
		chromedp.Navigate(base+"/console/targets"),
		chromedp.WaitVisible(chromedp.ID("target-form")),
		chromedp.SendKeys(chromedp.ID("target-gmv"), "300000"),
		chromedp.SendKeys(chromedp.ID("target-gross_profit"), "90000"),
		chromedp.SendKeys(chromedp.ID("target-repeat_rate"), "30"),
		chromedp.Click(chromedp.ID("target-save")),
		chromedp.WaitVisible(chromedp.ID("flash")),
		chromedp.Navigate(base+"/console/overview"),
		// ECharts draws into a canvas once its deferred script has run.
		chromedp.WaitVisible(chromedp.CSS("#chart-gmv canvas")),
		chromedp.WaitVisible(chromedp.ID("target-progress")),
	)
	if err != nil {
		t.Fatalf("console overview: %v", err)
	}
	progress, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("target-progress")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress, "%") || !strings.Contains(progress, "300,000") {
		t.Fatalf("target progress shows %q, want the ¥300,000 GMV target with a percentage", progress)
	}
	browsertest.Screenshot(t, ctx, "console-overview")

	// Export the top products as the browser would download them, with its
	// session, and read the workbook back.
	firstRow, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#top-products tbody tr td:nth-child(2)")))
	if err != nil {
		t.Fatal(err)
	}
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.querySelector("a#export-top-products").href)
		.then(r => { if (!r.ok || !r.headers.get("content-type").includes("spreadsheetml")) throw new Error("export: " + r.status + " " + r.headers.get("content-type")); return r.arrayBuffer(); })
		.then(b => { let s = ""; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the export is not a workbook: %v", err)
	}
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil || len(rows) < 2 {
		t.Fatalf("workbook rows = %d, %v; want a header and products", len(rows), err)
	}
	if !strings.Contains(strings.Join(rows[1], " "), strings.TrimSpace(firstRow)) {
		t.Fatalf("first exported row %q does not hold the page's first product %q", rows[1], firstRow)
	}

	// The storefront, as a shopper on a phone sees it.
	err = chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/c/"]`)),
	)
	if err != nil {
		t.Fatalf("storefront home: %v", err)
	}
	browsertest.Screenshot(t, ctx, "shop-home")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href^="/c/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/p/"]`)),
	)
	if err != nil {
		t.Fatalf("storefront category: %v", err)
	}
	browsertest.Screenshot(t, ctx, "shop-category")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a[href^="/p/"]`)),
		chromedp.WaitVisible(chromedp.CSS(".gallery img")),
	)
	if err != nil {
		t.Fatalf("storefront product: %v", err)
	}
	price, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(price, "¥") {
		t.Fatalf("product page shows no price: %.300s", price)
	}
	browsertest.Screenshot(t, ctx, "shop-product")
}

package search_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"storeops/internal/app/apptest"
	"storeops/internal/browsertest"
	"storeops/internal/demo"
	"storeops/internal/search"
	"storeops/internal/store"
)

// A shopper on a phone searches the demo shop in Chinese from the header,
// then in pinyin, narrows the result with a facet and opens a product; the
// click reaches the search log. Screenshots of each step go to
// STOREOPS_SCREENSHOTS.
func TestBrowserSearch(t *testing.T) {
	a := apptest.New(t, store.SQLite, apptest.Options{})
	ctx := context.Background()
	if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.1, AsOf: time.Now()}); err != nil {
		t.Fatal(err)
	}
	base := apptest.Serve(t, a)
	b := browsertest.New(t)
	err := chromedp.Do(b,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`.shop-search input[name="q"]`)),
		chromedp.SendKeys(chromedp.CSS(`.shop-search input[name="q"]`), "运动鞋"),
		chromedp.Submit(chromedp.CSS(`.shop-search input[name="q"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.results .title em`)),
	)
	if err != nil {
		t.Fatalf("search in Chinese: %v", err)
	}
	text, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(".results")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "运动鞋") {
		t.Fatalf("运动鞋 results: %.300s", text)
	}
	browsertest.Screenshot(t, b, "search-chinese")

	err = chromedp.Do(b,
		chromedp.SendKeys(chromedp.CSS(`.shop-search input[name="q"]`), "lianyiqun"),
		chromedp.Submit(chromedp.CSS(`.shop-search input[name="q"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#search-q[value="lianyiqun"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.results .title em`)),
	)
	if err != nil {
		t.Fatalf("search in pinyin: %v", err)
	}
	em, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(".results .title em")))
	if err != nil {
		t.Fatal(err)
	}
	if em != "连衣裙" {
		t.Fatalf("lianyiqun highlights %q, want 连衣裙", em)
	}
	browsertest.Screenshot(t, b, "search-pinyin")

	// Narrow by a brand facet, then open the product.
	err = chromedp.Do(b,
		chromedp.Click(chromedp.CSS(`#facets .facet:nth-of-type(2) a`)),
		chromedp.WaitVisible(chromedp.ID("active-filters")),
		chromedp.WaitVisible(chromedp.CSS(`.results a[data-product]`)),
	)
	if err != nil {
		t.Fatalf("facet: %v", err)
	}
	browsertest.Screenshot(t, b, "search-facet")
	err = chromedp.Do(b,
		chromedp.Click(chromedp.CSS(`.results a[data-product]`)),
		chromedp.WaitVisible(chromedp.CSS(".product h1")),
	)
	if err != nil {
		t.Fatalf("open product: %v", err)
	}
	title, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(".product h1")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "连衣裙") {
		t.Fatalf("opened %q, want a dress", title)
	}
	browsertest.Screenshot(t, b, "search-product")

	// The click on the result reached the search log (the demo's own log
	// has no brand filters).
	log := search.LogFor(a.DB)
	deadline := time.Now().Add(10 * time.Second)
	for {
		log.Flush(ctx)
		var clicks int
		if err := a.DB.R.QueryRow(`SELECT COUNT(*) FROM search_feedback f JOIN search_log l ON l.id = f.search_id
			WHERE f.kind = 'click' AND l.norm_query = 'lianyiqun' AND l.filters LIKE '%brand%'`).Scan(&clicks); err != nil {
			t.Fatal(err)
		}
		if clicks == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("clicks logged for lianyiqun: %d, want 1", clicks)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

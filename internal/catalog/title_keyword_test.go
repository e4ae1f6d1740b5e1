package catalog_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// AppendTitleKeyword appends a search keyword to titles once, all or
// nothing: a title that would pass the limit fails the whole batch.
func TestAppendTitleKeyword(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := catalogtest.New(t, db)
		cat := f.Category("服饰", "Apparel", 0)
		tee, _ := f.Create(catalogtest.Product{Category: cat, Title: "纯棉T恤"})
		has, _ := f.Create(catalogtest.Product{Category: cat, Title: "Polo 衫 男士上衣"})
		long, _ := f.Create(catalogtest.Product{Category: cat, Title: strings.Repeat("长", 99)})
		a := catalog.NewAdmin(db)
		title := func(id platform.ID) string {
			p, err := a.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return p.Title
		}

		// A title that would pass 100 characters stops the batch: the
		// T-shirt, first in it, is not changed either.
		_, err := a.AppendTitleKeyword(ctx, staff, "上衣", tee, long)
		if e := platform.AsError(err); e.Code != platform.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "products" {
			t.Fatalf("too long: %v", err)
		}
		if got := title(tee); got != "纯棉T恤" {
			t.Fatalf("a failed batch changed a title: %q", got)
		}
		if _, err := a.AppendTitleKeyword(ctx, staff, "上衣", tee, 12345); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Fatalf("unknown product: %v", err)
		}
		for _, kw := range []string{"", " ", strings.Repeat("词", 51), "上\x00衣"} {
			if _, err := a.AppendTitleKeyword(ctx, staff, kw, tee); platform.ErrorCode(err) != platform.CodeInvalid {
				t.Errorf("keyword %q: %v", kw, err)
			}
		}

		before := events(t, db, tee)
		changed, err := a.AppendTitleKeyword(ctx, staff, "  上衣 ", tee, has)
		if err != nil || !slices.Equal(changed, []platform.ID{tee}) {
			t.Fatalf("append: %v %v", changed, err)
		}
		if got := title(tee); got != "纯棉T恤 上衣" {
			t.Errorf("title %q", got)
		}
		if got := title(has); got != "Polo 衫 男士上衣" {
			t.Errorf("a title holding the keyword changed: %q", got)
		}
		// Case does not matter for Latin keywords; again changes nothing.
		if changed, err := a.AppendTitleKeyword(ctx, staff, "polo", has); err != nil || len(changed) != 0 {
			t.Errorf("polo: %v %v", changed, err)
		}
		if changed, err := a.AppendTitleKeyword(ctx, staff, "上衣", tee); err != nil || len(changed) != 0 {
			t.Errorf("second append: %v %v", changed, err)
		}
		if n := audits(t, db, "product.title_keyword", tee); n != 1 {
			t.Errorf("audited %d times", n)
		}
		if n := audits(t, db, "product.title_keyword", has); n != 0 {
			t.Errorf("unchanged product audited %d times", n)
		}
		if n := events(t, db, tee) - before; n != 1 {
			t.Errorf("%d product_changed events, want 1", n)
		}
	})
}

package search_test

import (
	"context"
	"testing"

	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
)

// sell records a paid order of n units of product.
func sell(t *testing.T, db *store.DB, product, cat platform.ID, n int) {
	t.Helper()
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		order := tx.NewID()
		if _, err := tx.Exec(`INSERT INTO orders (id, order_no, customer_id, status, items_total, total, placed_at, paid_at, created_at, updated_at)
			VALUES ($1, $2, 1, 'paid', 1000, 1000, $3, $3, $3, $3)`, order, "T"+order.String(), tx.Now); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO order_lines (id, order_id, product_id, sku_id, category_id, title, quantity, unit_price, line_total, unit_cost)
			VALUES ($1, $2, $3, 1, $4, 'x', $5, 1000, 1000, 500)`, tx.NewID(), order, product, cat, n)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Two products the text scores alike: the one that sells ranks first by
// relevance once the check has read the sales, and first by sales.
func TestSalesBoostRelevance(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		f := catalogtest.New(t, db)
		cat := f.Category("水果", "Fruit", 0)
		first, _ := f.Create(catalogtest.Product{Category: cat, Title: "烟台红富士苹果"})
		second, _ := f.Create(catalogtest.Product{Category: cat, Title: "烟台红富士苹果"})
		e := search.NewEngine(db, search.EngineConfig{})
		top := func(sort search.Sort) platform.ID {
			res := run(t, e, search.Request{Query: "苹果", Sort: sort})
			if len(res.Items) != 2 {
				t.Fatalf("苹果 found %d", len(res.Items))
			}
			return res.Items[0].ID
		}
		// Equal text scores: the newer product wins the tie.
		if got := top(search.SortRelevance); got != second {
			t.Fatalf("tie went to %d, want the newer %d", got, second)
		}
		sell(t, db, first, cat, 30)
		if _, err := e.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := top(search.SortRelevance); got != first {
			t.Errorf("relevance put %d first, want the selling %d", got, first)
		}
		if got := top(search.SortSales); got != first {
			t.Errorf("sales put %d first, want %d", got, first)
		}
		res := run(t, e, search.Request{Query: "苹果", Sort: search.SortSales})
		if res.Items[0].Sales != 30 {
			t.Errorf("sales %d, want 30", res.Items[0].Sales)
		}
	})
}

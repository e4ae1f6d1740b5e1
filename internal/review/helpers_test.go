package review_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// newProduct adds an on-sale product with one SKU.
func newProduct(t *testing.T, a *app.App, title string) platform.ID {
	t.Helper()
	f := catalogtest.New(t, a.DB)
	cat := f.Category("服饰", "Apparel", 0)
	id, _ := f.Create(catalogtest.Product{Category: cat, Title: title, SKUs: []catalogtest.SKU{{SpecText: "黑色 / M", Price: 5900, Stock: 10}}})
	return id
}

// seedLine writes an order of customerID in status st with one line of
// productID and returns the line's id.
func seedLine(t *testing.T, db *store.DB, customerID, productID platform.ID, st order.Status) platform.ID {
	t.Helper()
	ctx := context.Background()
	var line platform.ID
	err := db.Write(ctx, func(tx *store.Tx) error {
		placed := store.Time(tx.Now.Add(-72 * time.Hour))
		no, err := order.NewOrderNo(ctx, tx, placed)
		if err != nil {
			return err
		}
		id := tx.NewID()
		var delivered any
		if st == order.Delivered || st == order.Completed || st == order.AfterSale {
			delivered = placed.Add(48 * time.Hour)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, item_count,
			placed_at, paid_at, delivered_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 5900, 5900, 1, $5, $5, $6, $5, $5)`,
			id, no, customerID, st, placed, delivered); err != nil {
			return err
		}
		line = tx.NewID()
		_, err = tx.ExecContext(ctx, `INSERT INTO order_lines (id, order_id, product_id, sku_id, category_id, title, spec_text,
			quantity, unit_price, line_total, unit_cost) VALUES ($1, $2, $3, 1, 1, '测试商品', '黑色 / M', 1, 5900, 5900, 3000)`, line, id, productID)
		return err
	})
	if err != nil {
		t.Fatalf("seed line: %v", err)
	}
	return line
}

// staff is an admin API client with a real token of role.
func staff(t *testing.T, a *app.App, base string, role platform.Role) func(method, path, body string) (*http.Response, string) {
	t.Helper()
	tok := apptest.StaffToken(t, a, role)
	c := apptest.NewClient(t, base)
	return func(method, path, body string) (*http.Response, string) {
		return c.JSON(method, path, body, "Authorization", "Bearer "+tok)
	}
}

// consoleGet and consolePost call the console as a staff user of role,
// the principal put in the context as the sign-in middleware would.
func consoleGet(t *testing.T, a *app.App, role platform.Role, target string) *httptest.ResponseRecorder {
	t.Helper()
	return apptest.Console(t, a, role, http.MethodGet, target, nil)
}

func consolePost(t *testing.T, a *app.App, role platform.Role, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	return apptest.Console(t, a, role, http.MethodPost, target, form)
}

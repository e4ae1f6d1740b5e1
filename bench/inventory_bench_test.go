package bench

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"storeops/internal/audit"
	"storeops/internal/catalog"
	"storeops/internal/inventory"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// flashSaleShoppers is how many checkouts run at once in the flash sale.
const flashSaleShoppers = 32

// BenchmarkInventoryFlashSale measures reservations per second on one hot
// SKU with 32 concurrent checkouts (Reserve: candidate lookup, the
// conditional update, the hold row, the low-stock check) against the
// baseline of raw single-row conditional update transactions on the same
// row, at the same concurrency.
func BenchmarkInventoryFlashSale(b *testing.B) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC))
	sets := []store.Migrations{outbox.Migrations(), audit.Migrations(), catalog.Migrations(), inventory.Migrations()}
	for _, d := range storetest.Kinds(b) {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d, storetest.Config{Sets: sets, Clock: clock})
			sku, wh := hotSKU(b, db)
			par := max(1, flashSaleShoppers/runtime.GOMAXPROCS(0))
			b.Run("baseline", func(b *testing.B) {
				b.SetParallelism(par)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						err := db.Write(ctx, func(tx *store.Tx) error {
							_, err := tx.ExecContext(ctx, `UPDATE stock_levels SET reserved = reserved + 1, updated_at = $1
								WHERE sku_id = $2 AND warehouse_id = $3 AND on_hand - reserved >= 1`, tx.Now, sku, wh)
							return err
						})
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
			var n atomic.Int64
			b.Run("reserve", func(b *testing.B) {
				b.SetParallelism(par)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						ref := inventory.Ref{Type: "order", ID: fmt.Sprint(n.Add(1))}
						err := db.Write(ctx, func(tx *store.Tx) error {
							_, err := inventory.Reserve(ctx, tx, ref, []inventory.Line{{SKU: sku, Qty: 1}}, "310000")
							return err
						})
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		})
	}
}

// hotSKU makes one SKU with more stock than any run can sell, in one
// warehouse, with its opening receipt.
func hotSKU(b *testing.B, db *store.DB) (sku, wh platform.ID) {
	b.Helper()
	const stock = 1_000_000_000
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		cat, prod := tx.NewID(), tx.NewID()
		sku, wh = tx.NewID(), tx.NewID()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO warehouses (id, code, name, province_code, province, city, created_at) VALUES ($1, 'SH01', 'SH01', '310000', '上海市', '上海市', $2)`, []any{wh, tx.Now}},
			{`INSERT INTO categories (id, slug, name, created_at, updated_at) VALUES ($1, 'flash', 'flash', $2, $2)`, []any{cat, tx.Now}},
			{`INSERT INTO products (id, category_id, title, status, created_at, updated_at) VALUES ($1, $2, 'flash', 'on_sale', $3, $3)`, []any{prod, cat, tx.Now}},
			{`INSERT INTO skus (id, product_id, code, price, cost, created_at, updated_at) VALUES ($1, $2, 'FLASH-1', 990, 500, $3, $3)`, []any{sku, prod, tx.Now}},
			{`INSERT INTO stock_levels (sku_id, warehouse_id, on_hand, reserved, updated_at) VALUES ($1, $2, $3, 0, $4)`, []any{sku, wh, stock, tx.Now}},
			{`INSERT INTO stock_ledger (id, sku_id, warehouse_id, delta, on_hand_after, reason, at) VALUES ($1, $2, $3, $4, $4, 'receipt', $5)`, []any{tx.NewID(), sku, wh, stock, tx.Now}},
		} {
			if _, err := tx.ExecContext(context.Background(), q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return sku, wh
}

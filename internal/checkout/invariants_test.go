package checkout_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/cart"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/checkout"
	"storeops/internal/inventory"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/promotion"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// buyers writes n customers, each with an address in 上海 and qty of sku
// in their cart, straight to the tables (the race, not the sign-up, is
// under test).
func buyers(t *testing.T, db *store.DB, n int, sku platform.ID, qty int) []struct{ Customer, Address platform.ID } {
	t.Helper()
	out := make([]struct{ Customer, Address platform.ID }, n)
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		for i := range out {
			c, a, k := tx.NewID(), tx.NewID(), tx.NewID()
			out[i].Customer, out[i].Address = c, a
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO customers (id, email, password_hash, created_at, updated_at) VALUES ($1, $2, 'x', $3, $3)`,
					[]any{c, fmt.Sprintf("racer%d@example.com", i), tx.Now}},
				{`INSERT INTO customer_addresses (id, customer_id, recipient, mobile, province, province_code, city, city_code, district, district_code, detail, is_default, created_at, updated_at)
					VALUES ($1, $2, '李四', '13900139000', '上海市', '310000', '上海市', '310100', '徐汇区', '310104', '宜山路 1 号', TRUE, $3, $3)`, []any{a, c, tx.Now}},
				{`INSERT INTO carts (id, customer_id, created_at, updated_at) VALUES ($1, $2, $3, $3)`, []any{k, c, tx.Now}},
				{`INSERT INTO cart_items (cart_id, sku_id, quantity, selected, added_at, updated_at) VALUES ($1, $2, $3, TRUE, $4, $4)`, []any{k, sku, qty, tx.Now}},
			} {
				if _, err := tx.ExecContext(context.Background(), q.sql, q.args...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// stocked makes a ¥59 SKU with qty units received into the first
// warehouse through the ledger.
func stocked(t *testing.T, db *store.DB, qty int64) platform.ID {
	t.Helper()
	f := catalogtest.New(t, db)
	_, skus := f.Create(catalogtest.Product{Category: f.Category("食品", "Food", 0), Title: "限量月饼礼盒",
		SKUs: []catalogtest.SKU{{Price: 5900, Stock: 0}}})
	ws, err := inventory.Warehouses(context.Background(), db)
	if err != nil || len(ws) == 0 {
		t.Fatalf("warehouses: %v", err)
	}
	if _, err := inventory.NewService(db).Receive(context.Background(), audit.System, inventory.Receipt{SKU: skus[0], Warehouse: ws[0].ID, Qty: qty, Ref: "PO-1"}); err != nil {
		t.Fatal(err)
	}
	return skus[0]
}

func service(a *app.App) *checkout.Service {
	return checkout.NewService(a.DB, cart.NewService(a.DB, cart.Rules{}), checkout.NoPromotions{}, checkout.Config{OnlineProvider: "sandbox"})
}

// 500 buyers race for 100 units (¥59 + ¥8 shipping each): exactly 100
// orders, the rest refused as out of stock, and the ledger still explains
// every unit on hand.
func TestFiveHundredBuyersHundredUnits(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		sku := stocked(t, a.DB, 100)
		bs := buyers(t, a.DB, 500, sku, 1)
		svc := service(a)
		var wg sync.WaitGroup
		var mu sync.Mutex
		got := map[string]int{}
		for i, b := range bs {
			wg.Go(func() {
				_, err := svc.Place(context.Background(), b.Customer, fmt.Sprintf("race-%d", i),
					checkout.PlaceInput{Terms: checkout.Terms{AddressID: b.Address}, PaymentMethod: checkout.MethodOnline, ExpectedTotal: ptr(platform.Money(6700))})
				mu.Lock()
				got[string(platform.ErrorCode(err))]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if got[""] != 100 || got[string(inventory.CodeOutOfStock)]+got[string(checkout.CodeLinesChanged)] != 400 {
			t.Errorf("outcomes: %v", got)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM orders WHERE status = 'pending_payment'`); n != 100 {
			t.Errorf("%d pending orders, want 100", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT SUM(reserved) FROM stock_levels WHERE sku_id = $1`, sku); n != 100 {
			t.Errorf("%d reserved, want 100", n)
		}
		if bad, err := inventory.CheckLedger(context.Background(), a.DB.R); err != nil || len(bad) > 0 {
			t.Errorf("ledger and on-hand disagree: %v %v", bad, err)
		}
	})
}

// The same Idempotency-Key sent 20 times at once makes one order.
func TestSameKeyTwentyTimesOneOrder(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		sku := stocked(t, a.DB, 50)
		b := buyers(t, a.DB, 1, sku, 2)[0]
		svc := service(a)
		var wg sync.WaitGroup
		ids := make(chan platform.ID, 20)
		for range 20 {
			wg.Go(func() {
				p, err := svc.Place(context.Background(), b.Customer, "one-key",
					checkout.PlaceInput{Terms: checkout.Terms{AddressID: b.Address}, PaymentMethod: checkout.MethodOnline, ExpectedTotal: ptr(platform.Money(11800))})
				if err != nil {
					// Once the first commits the cart is empty; a request
					// that read it before then replays the order instead.
					t.Errorf("place: %v", err)
					return
				}
				ids <- p.OrderID
			})
		}
		wg.Wait()
		close(ids)
		seen := map[platform.ID]int{}
		for id := range ids {
			seen[id]++
		}
		if len(seen) != 1 {
			t.Errorf("orders: %v", seen)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM orders`); n != 1 {
			t.Errorf("%d orders", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT SUM(reserved) FROM stock_levels WHERE sku_id = $1`, sku); n != 2 {
			t.Errorf("%d reserved, want 2", n)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// A coupon limited to 50 uses, wanted by 120 buyers at once, is used
// exactly 50 times: the others are refused (the limit reached, or the
// price without the coupon no longer matching what they were shown).
func TestCouponLimitUnderContention(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		sku := stocked(t, a.DB, 500)
		promos := promotion.NewService(a.DB)
		batch, err := promos.CreateBatch(ctx, audit.System, pricing.Batch{Name: "中秋立减", Kind: pricing.CouponAmount, Amount: 1000, Total: 50})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := promos.SetBatchStatus(ctx, audit.System, batch.ID, promotion.Active); err != nil {
			t.Fatal(err)
		}
		if _, err := promos.AddPublicCode(ctx, audit.System, batch.ID, promotion.PublicCode{Code: "MOON50"}); err != nil {
			t.Fatal(err)
		}
		svc := checkout.NewService(a.DB, cart.NewService(a.DB, cart.Rules{}), checkout.StoredPromotions{}, checkout.Config{OnlineProvider: "sandbox"})
		bs := buyers(t, a.DB, 120, sku, 2) // ¥118, free shipping, ¥108 with the coupon
		var wg sync.WaitGroup
		var mu sync.Mutex
		got := map[string]int{}
		for i, b := range bs {
			wg.Go(func() {
				_, err := svc.Place(ctx, b.Customer, fmt.Sprintf("moon-%d", i), checkout.PlaceInput{
					Terms:         checkout.Terms{AddressID: b.Address, CouponCodes: []string{"moon50"}},
					PaymentMethod: checkout.MethodOnline, ExpectedTotal: ptr(platform.Money(10800))})
				mu.Lock()
				got[string(platform.ErrorCode(err))]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if got[""] != 50 {
			t.Errorf("outcomes: %v", got)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM orders WHERE total = 10800`); n != 50 {
			t.Errorf("%d discounted orders, want 50", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM orders`); n != 50 {
			t.Errorf("%d orders, want 50", n)
		}
	})
}

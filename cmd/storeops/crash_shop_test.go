package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"testing"
	"time"

	"storeops/internal/audit"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/inventory"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// crashShop is the shop the crash test loads: a few SKUs with limited
// stock received through the ledger, and buyers signed in with carts.
type crashShop struct {
	SKUs []platform.ID
	// Received is the stock received per SKU×warehouse ("sku@wh").
	Received map[string]int64
	Buyers   []*buyer
}

// buyer is a signed-in customer with one address and a cart of selected
// lines, who checks out once with their own Idempotency-Key.
type buyer struct {
	Customer, Address platform.ID
	Token             string // the storeops_shop cookie
	Lines             map[platform.ID]int
	Key               string
	Method            string
}

// prepareShop writes the catalog through the catalog factory, receives
// stock through the inventory service (so the ledger explains every unit)
// and writes buyers, sessions, addresses and carts straight to the tables
// (the crash, not the sign-up, is under test).
func prepareShop(t *testing.T, db *store.DB, rng *mrand.Rand, buyers int) *crashShop {
	t.Helper()
	ctx := context.Background()
	f := catalogtest.New(t, db)
	cat := f.Category("食品", "Food", 0)
	shop := &crashShop{Received: map[string]int64{}}
	for i, price := range []platform.Money{5900, 12800, 3500} {
		_, skus := f.Create(catalogtest.Product{Category: cat, Title: fmt.Sprintf("限量礼盒 %d", i+1),
			SKUs: []catalogtest.SKU{{Price: price, Stock: 0}}})
		shop.SKUs = append(shop.SKUs, skus[0])
	}
	ws, err := inventory.Warehouses(ctx, db)
	if err != nil || len(ws) < 2 {
		t.Fatalf("warehouses: %d, %v", len(ws), err)
	}
	svc := inventory.NewService(db)
	// Stock split over two warehouses, so one order's reservation may span
	// both and a crash could tear it.
	for i, sku := range shop.SKUs {
		for j, qty := range []int64{int64(40 + 10*i), int64(25 - 5*i)} {
			r := inventory.Receipt{SKU: sku, Warehouse: ws[j].ID, Qty: qty, Ref: fmt.Sprintf("PO-%d-%d", i, j)}
			if _, err := svc.Receive(ctx, audit.System, r); err != nil {
				t.Fatal(err)
			}
			shop.Received[sku.String()+"@"+ws[j].ID.String()] += qty
		}
	}
	for i := range buyers {
		b := &buyer{Lines: map[platform.ID]int{}, Key: fmt.Sprintf("crash-%d-%s", i, randomToken()[:8]), Method: "online"}
		if i%3 == 0 {
			b.Method = "bank_transfer"
		}
		for range 1 + rng.IntN(2) {
			b.Lines[shop.SKUs[rng.IntN(len(shop.SKUs))]] = 1 + rng.IntN(2)
		}
		b.Token = randomToken()
		shop.Buyers = append(shop.Buyers, b)
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		for i, b := range shop.Buyers {
			b.Customer, b.Address = tx.NewID(), tx.NewID()
			cart := tx.NewID()
			sum := sha256.Sum256([]byte(b.Token))
			stmts := []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO customers (id, email, password_hash, created_at, updated_at) VALUES ($1, $2, 'x', $3, $3)`,
					[]any{b.Customer, fmt.Sprintf("buyer%d@example.com", i), tx.Now}},
				{`INSERT INTO customer_sessions (token_hash, customer_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`,
					[]any{hex.EncodeToString(sum[:]), b.Customer, tx.Now, tx.Now.Add(24 * time.Hour)}},
				{`INSERT INTO customer_addresses (id, customer_id, recipient, mobile, province, province_code, city, city_code, district, district_code, detail, is_default, created_at, updated_at)
					VALUES ($1, $2, '王五', '13800138000', '上海市', '310000', '上海市', '310100', '徐汇区', '310104', '漕溪北路 1 号', TRUE, $3, $3)`,
					[]any{b.Address, b.Customer, tx.Now}},
				{`INSERT INTO carts (id, customer_id, created_at, updated_at) VALUES ($1, $2, $3, $3)`, []any{cart, b.Customer, tx.Now}},
			}
			for sku, qty := range b.Lines {
				stmts = append(stmts, struct {
					sql  string
					args []any
				}{`INSERT INTO cart_items (cart_id, sku_id, quantity, selected, added_at, updated_at) VALUES ($1, $2, $3, TRUE, $4, $4)`,
					[]any{cart, sku, qty, tx.Now}})
			}
			for _, s := range stmts {
				if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return shop
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

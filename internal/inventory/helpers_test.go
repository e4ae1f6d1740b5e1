package inventory_test

import (
	"context"
	"fmt"
	"testing"

	"storeops/internal/audit"
	"storeops/internal/catalog"
	"storeops/internal/inventory"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var sets = []store.Migrations{outbox.Migrations(), audit.Migrations(), catalog.Migrations(), inventory.Migrations()}

// each runs fn on every dialect under test with the tables inventory
// needs.
func each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	storetest.Each(t, storetest.Config{Sets: sets}, fn)
}

var clerk = audit.Actor{Kind: audit.KindStaff, StaffID: 7, Name: "仓管小王", Email: "wang@test.local"}

// shop is a tiny world: warehouses by code and SKUs by name.
type shop struct {
	t   testing.TB
	db  *store.DB
	wh  map[string]platform.ID
	svc *inventory.Service
	n   int
}

// newShop makes the five demo-like warehouses: Shanghai, Guangzhou,
// Beijing, Chengdu and a cold-chain one in Jiaxing.
func newShop(t testing.TB, db *store.DB) *shop {
	t.Helper()
	s := &shop{t: t, db: db, wh: map[string]platform.ID{}, svc: inventory.NewService(db)}
	s.write(func(tx *store.Tx) error {
		for _, w := range []struct {
			code, province string
			cold           bool
		}{{"SH", "310000", false}, {"GZ", "440000", false}, {"BJ", "110000", false}, {"CD", "510000", false}, {"JX", "330000", true}} {
			id := tx.NewID()
			s.wh[w.code] = id
			if _, err := tx.Exec(`INSERT INTO warehouses (id, code, name, province_code, province, city, cold_chain, active, created_at)
				VALUES ($1, $2, $2, $3, '', '', $4, TRUE, $5)`, id, w.code, w.province, w.cold, tx.Now); err != nil {
				return err
			}
		}
		return nil
	})
	return s
}

func (s *shop) write(fn func(tx *store.Tx) error) {
	s.t.Helper()
	if err := s.db.Write(context.Background(), fn); err != nil {
		s.t.Fatal(err)
	}
}

// sku adds a SKU of storage class (ambient, chilled, frozen) with stock
// received per warehouse code.
func (s *shop) sku(storage string, stock map[string]int64) platform.ID {
	s.t.Helper()
	s.n++
	var id platform.ID
	s.write(func(tx *store.Tx) error {
		cat, prod := tx.NewID(), tx.NewID()
		id = tx.NewID()
		if _, err := tx.Exec(`INSERT INTO categories (id, slug, name, storage_class, created_at, updated_at) VALUES ($1, $2, $2, $3, $4, $4)`,
			cat, fmt.Sprintf("c%d", cat), storage, tx.Now); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO products (id, category_id, title, status, storage_class, created_at, updated_at)
			VALUES ($1, $2, $3, 'on_sale', $4, $5, $5)`, prod, cat, fmt.Sprintf("商品%d", s.n), storage, tx.Now); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO skus (id, product_id, code, price, cost, created_at, updated_at) VALUES ($1, $2, $3, 1000, 500, $4, $4)`,
			id, prod, fmt.Sprintf("SKU-%d", s.n), tx.Now)
		return err
	})
	for code, q := range stock {
		if _, err := s.svc.Receive(context.Background(), clerk, inventory.Receipt{SKU: id, Warehouse: s.wh[code], Qty: q, Ref: "PO-1"}); err != nil {
			s.t.Fatal(err)
		}
	}
	return id
}

// level reads on-hand and reserved.
func (s *shop) level(sku platform.ID, code string) (onHand, reserved int64) {
	s.t.Helper()
	err := s.db.R.QueryRow(`SELECT on_hand, reserved FROM stock_levels WHERE sku_id = $1 AND warehouse_id = $2`, sku, s.wh[code]).Scan(&onHand, &reserved)
	if err != nil {
		s.t.Fatal(err)
	}
	return onHand, reserved
}

// balanced fails the test unless every ledger adds up to its on-hand and
// 0 ≤ reserved ≤ on_hand everywhere, and held reservations add up to
// reserved.
func (s *shop) balanced() {
	s.t.Helper()
	bad, err := inventory.CheckLedger(context.Background(), s.db.R)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, b := range bad {
		s.t.Errorf("ledger of %d@%d sums to %d, on hand %d", b.SKU, b.Warehouse, b.Ledger, b.OnHand)
	}
	var n int
	if err := s.db.R.QueryRow(`SELECT COUNT(*) FROM stock_levels WHERE reserved < 0 OR reserved > on_hand`).Scan(&n); err != nil || n != 0 {
		s.t.Errorf("%d levels break 0 ≤ reserved ≤ on_hand (%v)", n, err)
	}
	err = s.db.R.QueryRow(`SELECT COUNT(*) FROM stock_levels l WHERE l.reserved <> COALESCE(
		(SELECT SUM(r.qty) FROM stock_reservations r WHERE r.sku_id = l.sku_id AND r.warehouse_id = l.warehouse_id AND r.status = 'held'), 0)`).Scan(&n)
	if err != nil || n != 0 {
		s.t.Errorf("%d levels whose reserved differs from their held reservations (%v)", n, err)
	}
}

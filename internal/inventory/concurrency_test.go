package inventory_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"storeops/internal/inventory"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Many shoppers check out the last units of one SKU at once: exactly the
// units on hand are reserved, every other checkout gets out_of_stock, and
// available stock never goes below zero.
func TestConcurrentReservationsNeverOversell(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		const units, shoppers = 7, 40
		sku := s.sku("ambient", map[string]int64{"SH": 4, "GZ": 3})
		var won, lost atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, shoppers)
		for i := range shoppers {
			wg.Go(func() {
				_, err := reserve(t, db, fmt.Sprintf("flash-%d", i), "310000", inventory.Line{SKU: sku, Qty: 1})
				switch platform.ErrorCode(err) {
				case "":
					won.Add(1)
				case inventory.CodeOutOfStock:
					lost.Add(1)
				default:
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("unexpected error: %v", err)
		}
		if won.Load() != units || lost.Load() != shoppers-units {
			t.Errorf("%d reserved and %d refused, want %d and %d", won.Load(), lost.Load(), units, shoppers-units)
		}
		for _, wh := range []string{"SH", "GZ"} {
			if on, res := s.level(sku, wh); res != on {
				t.Errorf("%s: reserved %d of %d on hand, want all", wh, res, on)
			}
		}
		s.balanced()
	})
}

// Random reservations, releases, shipments, receipts, adjustments,
// transfers and stock-takes run concurrently on a few hot SKUs; afterwards
// every ledger adds up to its on-hand stock, 0 ≤ reserved ≤ on_hand, and
// held reservations add up to reserved.
func TestLedgerBalancesUnderConcurrentOperations(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		skus := []platform.ID{
			s.sku("ambient", map[string]int64{"SH": 20, "GZ": 10}),
			s.sku("ambient", map[string]int64{"BJ": 15, "CD": 5}),
			s.sku("chilled", map[string]int64{"JX": 12}),
		}
		codes := []string{"SH", "GZ", "BJ", "CD", "JX"}
		provinces := []string{"310000", "440000", "110000", "510000", "650000"}
		const workers, opsEach = 8, 40
		var wg sync.WaitGroup
		var mu sync.Mutex
		var unexpected []error
		for w := range workers {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(w), 42))
				var mine []inventory.Ref
				for i := range opsEach {
					sku := skus[r.IntN(len(skus))]
					wh := s.wh[codes[r.IntN(len(codes))]]
					var err error
					switch op := r.IntN(8); op {
					case 0, 1:
						ref := inventory.Ref{Type: "order", ID: fmt.Sprintf("w%d-%d", w, i)}
						err = db.Write(ctx, func(tx *store.Tx) error {
							_, err := inventory.Reserve(ctx, tx, ref, []inventory.Line{{SKU: sku, Qty: int64(1 + r.IntN(4))}}, provinces[r.IntN(len(provinces))])
							return err
						})
						if err == nil {
							mine = append(mine, ref)
						}
					case 2:
						if len(mine) > 0 {
							ref := mine[0]
							mine = mine[1:]
							err = db.Write(ctx, func(tx *store.Tx) error { _, err := inventory.Release(ctx, tx, ref); return err })
						}
					case 3:
						if len(mine) > 0 {
							ref := mine[len(mine)-1]
							mine = mine[:len(mine)-1]
							err = db.Write(ctx, func(tx *store.Tx) error { return inventory.Commit(ctx, tx, ref, "test") })
						}
					case 4:
						_, err = s.svc.Receive(ctx, clerk, inventory.Receipt{SKU: sku, Warehouse: wh, Qty: int64(1 + r.IntN(5))})
					case 5:
						_, err = s.svc.Adjust(ctx, clerk, inventory.Adjustment{SKU: sku, Warehouse: wh, Delta: int64(r.IntN(7) - 4)})
					case 6:
						to := s.wh[codes[r.IntN(len(codes))]]
						_, err = s.svc.Transfer(ctx, clerk, inventory.Transfer{SKU: sku, From: wh, To: to, Qty: int64(1 + r.IntN(3))})
					case 7:
						_, err = s.svc.Count(ctx, clerk, inventory.StockTake{SKU: sku, Warehouse: wh, Counted: int64(r.IntN(25))})
					}
					switch platform.ErrorCode(err) {
					case "", inventory.CodeOutOfStock, inventory.CodeBelowReserved, platform.CodeInvalid:
					default:
						mu.Lock()
						unexpected = append(unexpected, err)
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		for _, err := range unexpected {
			t.Errorf("unexpected error: %v", err)
		}
		if n, err := inventory.ExpireDue(ctx, db, db.Now().Add(inventory.HoldFor+1)); err != nil {
			t.Fatalf("expire %d: %v", n, err)
		}
		s.balanced()
		var entries int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM stock_ledger`).Scan(&entries); err != nil || entries < 10 {
			t.Errorf("only %d ledger entries (%v): the operations did not run", entries, err)
		}
	})
}

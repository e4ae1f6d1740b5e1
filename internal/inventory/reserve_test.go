package inventory_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"storeops/internal/inventory"
	"storeops/internal/platform"
	"storeops/internal/store"
)

func reserve(t *testing.T, db *store.DB, ref string, shipTo string, lines ...inventory.Line) (inventory.Allocation, error) {
	t.Helper()
	var a inventory.Allocation
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		a, err = inventory.Reserve(context.Background(), tx, inventory.Ref{Type: "order", ID: ref}, lines, shipTo)
		return err
	})
	return a, err
}

// shipped maps warehouse codes to the quantity of sku they ship.
func shipped(s *shop, a inventory.Allocation, sku platform.ID) map[string]int64 {
	out := map[string]int64{}
	for _, sh := range a.Shipments {
		for _, l := range sh.Lines {
			if l.SKU == sku {
				out[sh.WarehouseCode] += l.Qty
			}
		}
	}
	return out
}

func TestReserveAllocatesNearestAndSplits(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		sku := s.sku("ambient", map[string]int64{"SH": 5, "GZ": 50, "BJ": 50, "CD": 3})

		// Shenzhen (广东): Guangzhou is in the province.
		a, err := reserve(t, db, "o1", "440300", inventory.Line{SKU: sku, Qty: 4})
		if err != nil {
			t.Fatal(err)
		}
		if got := shipped(s, a, sku); got["GZ"] != 4 || len(got) != 1 {
			t.Errorf("Shenzhen: %v, want all from GZ", got)
		}
		// Hangzhou (浙江, 华东): Shanghai is the same region; it has 5,
		// so 8 splits: 5 from SH, the rest from a neighbouring region.
		a, err = reserve(t, db, "o2", "330100", inventory.Line{SKU: sku, Qty: 8})
		if err != nil {
			t.Fatal(err)
		}
		got := shipped(s, a, sku)
		if got["SH"] != 5 || got["GZ"]+got["BJ"] != 3 || got["CD"] != 0 || len(a.Shipments) != 2 {
			t.Errorf("Hangzhou: %v, want 5 from SH and 3 from GZ or BJ", got)
		}
		if a.ExpiresAt.IsZero() {
			t.Error("no expiry")
		}
		// Chongqing (西南): Chengdu first.
		a, err = reserve(t, db, "o3", "500000", inventory.Line{SKU: sku, Qty: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := shipped(s, a, sku); got["CD"] != 2 {
			t.Errorf("Chongqing: %v, want CD", got)
		}
		if on, res := s.level(sku, "SH"); on != 5 || res != 5 {
			t.Errorf("SH on hand %d reserved %d, want 5 and 5", on, res)
		}
		s.balanced()
	})
}

func TestReserveColdChainOnlyFromColdWarehouses(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		// Stock wrongly booked into an ambient warehouse must not ship.
		frozen := s.sku("frozen", map[string]int64{"BJ": 100, "JX": 2})
		a, err := reserve(t, db, "o1", "110000", inventory.Line{SKU: frozen, Qty: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := shipped(s, a, frozen); got["JX"] != 2 || len(got) != 1 {
			t.Errorf("frozen to Beijing: %v, want JX only", got)
		}
		_, err = reserve(t, db, "o2", "110000", inventory.Line{SKU: frozen, Qty: 1})
		if platform.ErrorCode(err) != inventory.CodeOutOfStock {
			t.Fatalf("frozen beyond the cold-chain stock: %v, want out_of_stock", err)
		}
		s.balanced()
	})
}

func TestReserveOutOfStockNamesTheSKUAndHoldsNothing(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		plenty := s.sku("ambient", map[string]int64{"SH": 10})
		scarce := s.sku("ambient", map[string]int64{"SH": 1, "GZ": 1})
		_, err := reserve(t, db, "o1", "310000", inventory.Line{SKU: plenty, Qty: 2}, inventory.Line{SKU: scarce, Qty: 2}, inventory.Line{SKU: scarce, Qty: 1})
		var pe *platform.Error
		if !errors.As(err, &pe) || pe.Code != inventory.CodeOutOfStock || pe.Code.Status() != http.StatusConflict {
			t.Fatalf("err = %v, want a 409 out_of_stock", err)
		}
		if msg := pe.Message(platform.EN); msg != "Not enough stock of SKU-2 (2 available, 3 requested)" {
			t.Errorf("message %q", msg)
		}
		if pe.Extra["sku_code"] != "SKU-2" {
			t.Errorf("extra %v", pe.Extra)
		}
		// The transaction rolled back: nothing stays reserved.
		if _, res := s.level(plenty, "SH"); res != 0 {
			t.Errorf("reserved %d after a failed checkout", res)
		}
		s.balanced()
	})
}

func TestReserveRejectsBadLines(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		sku := s.sku("ambient", map[string]int64{"SH": 10})
		for name, lines := range map[string][]inventory.Line{
			"zero qty":    {{SKU: sku, Qty: 0}},
			"negative":    {{SKU: sku, Qty: -3}},
			"no lines":    nil,
			"unknown sku": {{SKU: 12345, Qty: 1}},
		} {
			_, err := reserve(t, db, "o-"+name, "310000", lines...)
			if platform.ErrorCode(err) != platform.CodeInvalid {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}
		s.balanced()
	})
}

func TestReleaseCommitAndExpiry(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		sku := s.sku("ambient", map[string]int64{"SH": 10})
		for _, ref := range []string{"paid", "cancelled", "abandoned"} {
			if _, err := reserve(t, db, ref, "310000", inventory.Line{SKU: sku, Qty: 2}); err != nil {
				t.Fatal(err)
			}
		}
		if _, res := s.level(sku, "SH"); res != 6 {
			t.Fatalf("reserved %d, want 6", res)
		}
		s.write(func(tx *store.Tx) error {
			if err := inventory.Commit(ctx, tx, inventory.Ref{Type: "order", ID: "paid"}, "ship"); err != nil {
				return err
			}
			// Shipping twice is a no-op.
			return inventory.Commit(ctx, tx, inventory.Ref{Type: "order", ID: "paid"}, "ship")
		})
		s.write(func(tx *store.Tx) error {
			n, err := inventory.Release(ctx, tx, inventory.Ref{Type: "order", ID: "cancelled"})
			if n != 2 {
				t.Errorf("released %d, want 2", n)
			}
			return err
		})
		if on, res := s.level(sku, "SH"); on != 8 || res != 2 {
			t.Errorf("on hand %d reserved %d, want 8 and 2", on, res)
		}
		// Nothing is due yet; an hour later the abandoned checkout is.
		if n, err := inventory.ExpireDue(ctx, db, db.Now()); err != nil || n != 0 {
			t.Errorf("expired %d (%v) before the hold ran out", n, err)
		}
		if n, err := inventory.ExpireDue(ctx, db, db.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Errorf("expired %d (%v), want 1", n, err)
		}
		if on, res := s.level(sku, "SH"); on != 8 || res != 0 {
			t.Errorf("on hand %d reserved %d, want 8 and 0", on, res)
		}
		// A released order cannot ship.
		err := db.Write(ctx, func(tx *store.Tx) error {
			return inventory.Commit(ctx, tx, inventory.Ref{Type: "order", ID: "abandoned"}, "ship")
		})
		if platform.ErrorCode(err) != inventory.CodeNotReserved {
			t.Errorf("commit after expiry: %v, want inventory_not_reserved", err)
		}
		// The sale is on the ledger under the order.
		page, err := inventory.Ledger(ctx, db, inventory.LedgerFilter{SKU: sku, Page: platform.PageRequest{Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.Items[0].Reason != inventory.ReasonSale || page.Items[0].Delta != -2 ||
			page.Items[0].Ref.ID != "paid" || page.Items[0].OnHandAfter != 8 || page.Items[1].Reason != inventory.ReasonReceipt {
			t.Errorf("ledger %+v", page.Items)
		}
		// A return puts goods back under its own reason.
		s.write(func(tx *store.Tx) error {
			return inventory.Restock(ctx, tx, inventory.Ref{Type: "return", ID: "r1"}, inventory.ReasonReturn,
				[]inventory.Placed{{SKU: sku, Warehouse: s.wh["SH"], Qty: 1}}, "service")
		})
		if on, _ := s.level(sku, "SH"); on != 9 {
			t.Errorf("on hand %d after the return, want 9", on)
		}
		s.balanced()
	})
}

func TestSplitOrderShipsPerWarehouse(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		sku := s.sku("ambient", map[string]int64{"SH": 2, "BJ": 5})
		ref := inventory.Ref{Type: "order", ID: "split"}
		if _, err := reserve(t, db, ref.ID, "310000", inventory.Line{SKU: sku, Qty: 4}); err != nil {
			t.Fatal(err)
		}
		s.write(func(tx *store.Tx) error { return inventory.CommitShipment(ctx, tx, ref, s.wh["SH"], "ship") })
		if on, res := s.level(sku, "SH"); on != 0 || res != 0 {
			t.Errorf("SH after its shipment: %d on hand, %d reserved", on, res)
		}
		if on, res := s.level(sku, "BJ"); on != 5 || res != 2 {
			t.Errorf("BJ still holds: %d on hand, %d reserved, want 5 and 2", on, res)
		}
		err := db.Write(ctx, func(tx *store.Tx) error { return inventory.CommitShipment(ctx, tx, ref, s.wh["GZ"], "ship") })
		if platform.ErrorCode(err) != inventory.CodeNotReserved {
			t.Errorf("shipping from a warehouse that holds nothing: %v", err)
		}
		s.write(func(tx *store.Tx) error { return inventory.Commit(ctx, tx, ref, "ship") })
		if on, res := s.level(sku, "BJ"); on != 3 || res != 0 {
			t.Errorf("BJ after the rest shipped: %d on hand, %d reserved", on, res)
		}
		s.balanced()
	})
}

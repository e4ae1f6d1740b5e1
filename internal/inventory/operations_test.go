package inventory_test

import (
	"context"
	"encoding/json"
	"testing"

	"storeops/internal/inventory"
	"storeops/internal/platform"
	"storeops/internal/store"
)

func auditActions(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	rows, err := db.R.Query(`SELECT action, actor_name FROM audit_log`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var action, actor string
		if err := rows.Scan(&action, &actor); err != nil {
			t.Fatal(err)
		}
		if actor != clerk.Name {
			t.Errorf("%s audited as %q", action, actor)
		}
		out[action]++
	}
	return out
}

func TestStaffOperationsMoveStockAndAreAudited(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		sku := s.sku("ambient", map[string]int64{"SH": 30})
		if _, err := reserve(t, db, "o1", "310000", inventory.Line{SKU: sku, Qty: 5}); err != nil {
			t.Fatal(err)
		}
		lv, err := s.svc.Adjust(ctx, clerk, inventory.Adjustment{SKU: sku, Warehouse: s.wh["SH"], Delta: -2, Note: "破损"})
		if err != nil || lv.OnHand != 28 || lv.Available != 23 {
			t.Fatalf("adjust: %+v %v", lv, err)
		}
		pair, err := s.svc.Transfer(ctx, clerk, inventory.Transfer{SKU: sku, From: s.wh["SH"], To: s.wh["BJ"], Qty: 8})
		if err != nil || pair[0].OnHand != 20 || pair[1].OnHand != 8 {
			t.Fatalf("transfer: %+v %v", pair, err)
		}
		// Only available stock moves: 15 of SH's 20 are free.
		_, err = s.svc.Transfer(ctx, clerk, inventory.Transfer{SKU: sku, From: s.wh["SH"], To: s.wh["BJ"], Qty: 16})
		if platform.ErrorCode(err) != inventory.CodeOutOfStock {
			t.Errorf("transfer beyond available: %v", err)
		}
		lv, err = s.svc.Count(ctx, clerk, inventory.StockTake{SKU: sku, Warehouse: s.wh["SH"], Counted: 17})
		if err != nil || lv.OnHand != 17 || lv.Reserved != 5 {
			t.Fatalf("stock-take: %+v %v", lv, err)
		}
		// Orders hold 5: the books cannot count fewer, nor adjust below.
		if _, err := s.svc.Count(ctx, clerk, inventory.StockTake{SKU: sku, Warehouse: s.wh["SH"], Counted: 4}); platform.ErrorCode(err) != inventory.CodeBelowReserved {
			t.Errorf("count below reserved: %v", err)
		}
		if _, err := s.svc.Adjust(ctx, clerk, inventory.Adjustment{SKU: sku, Warehouse: s.wh["SH"], Delta: -13}); platform.ErrorCode(err) != inventory.CodeBelowReserved {
			t.Errorf("adjust below reserved: %v", err)
		}
		for name, err := range map[string]error{
			"zero delta": func() error {
				_, err := s.svc.Adjust(ctx, clerk, inventory.Adjustment{SKU: sku, Warehouse: s.wh["SH"]})
				return err
			}(),
			"same warehouse": func() error {
				_, err := s.svc.Transfer(ctx, clerk, inventory.Transfer{SKU: sku, From: s.wh["SH"], To: s.wh["SH"], Qty: 1})
				return err
			}(),
			"no such sku": func() error {
				_, err := s.svc.Receive(ctx, clerk, inventory.Receipt{SKU: 99, Warehouse: s.wh["SH"], Qty: 1})
				return err
			}(),
			"no warehouse": func() error {
				_, err := s.svc.Receive(ctx, clerk, inventory.Receipt{SKU: sku, Warehouse: 99, Qty: 1})
				return err
			}(),
			"negative count": func() error {
				_, err := s.svc.Count(ctx, clerk, inventory.StockTake{SKU: sku, Warehouse: s.wh["SH"], Counted: -1})
				return err
			}(),
			"huge receipt": func() error {
				_, err := s.svc.Receive(ctx, clerk, inventory.Receipt{SKU: sku, Warehouse: s.wh["SH"], Qty: 1 << 40})
				return err
			}(),
			"negative thresh": s.svc.SetThreshold(ctx, clerk, inventory.ThresholdSetting{SKU: sku, Warehouse: s.wh["SH"], Threshold: ptr(-1)}),
		} {
			if platform.ErrorCode(err) != platform.CodeInvalid {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}
		got := auditActions(t, db)
		want := map[string]int{"inventory.receive": 1, "inventory.adjust": 1, "inventory.transfer": 1, "inventory.stock_take": 1}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("audit %s: %d entries, want %d (all: %v)", k, got[k], v, got)
			}
		}
		page, err := inventory.Ledger(ctx, db, inventory.LedgerFilter{SKU: sku, Page: platform.PageRequest{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		var reasons []inventory.Reason
		for _, e := range page.Items {
			reasons = append(reasons, e.Reason)
		}
		// Newest first: stock-take (-3), transfer in and out, adjustment, receipt.
		if len(reasons) != 5 || reasons[0] != inventory.ReasonStockTake || page.Items[0].Delta != -3 || reasons[4] != inventory.ReasonReceipt {
			t.Errorf("ledger reasons %v", reasons)
		}
		s.balanced()
	})
}

func ptr(v int64) *int64 { return &v }

func lowEvents(t *testing.T, db *store.DB) []inventory.LowStockEvent {
	t.Helper()
	rows, err := db.R.Query(`SELECT payload FROM outbox_events WHERE topic = $1 ORDER BY id`, inventory.TopicLowStock)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []inventory.LowStockEvent
	for rows.Next() {
		var p string
		var e inventory.LowStockEvent
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(p), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestLowStockRaisesOnceAndResolvesOnRestock(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		sku := s.sku("ambient", map[string]int64{"SH": 14})
		// The shop default: 6 instead of DefaultLowStock.
		if err := s.svc.SetDefaultThreshold(ctx, clerk, inventory.DefaultThreshold{Threshold: ptr(6)}); err != nil {
			t.Fatal(err)
		}
		// 14 → 9 → 6 (crosses) → 4: one alert, one event.
		for i, q := range []int64{5, 3, 2} {
			if _, err := reserve(t, db, "o"+string(rune('a'+i)), "310000", inventory.Line{SKU: sku, Qty: q}); err != nil {
				t.Fatal(err)
			}
		}
		ev := lowEvents(t, db)
		if len(ev) != 1 || ev[0].SKU != sku || ev[0].Available != 6 || ev[0].Threshold != 6 {
			t.Fatalf("events %+v, want one at 6", ev)
		}
		alerts, err := inventory.LowStock(ctx, db, platform.PageRequest{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(alerts.Items) != 1 || alerts.Items[0].Available != 4 || alerts.Items[0].WarehouseCode != "SH" || alerts.Items[0].SKUCode != "SKU-1" {
			t.Fatalf("to-do %+v", alerts.Items)
		}
		// A receipt lifts it above: the to-do clears. Falling again raises
		// a new alert.
		if _, err := s.svc.Receive(ctx, clerk, inventory.Receipt{SKU: sku, Warehouse: s.wh["SH"], Qty: 10}); err != nil {
			t.Fatal(err)
		}
		if alerts, _ := inventory.LowStock(ctx, db, platform.PageRequest{Limit: 10}); len(alerts.Items) != 0 {
			t.Errorf("to-do after restock: %+v", alerts.Items)
		}
		// The level's own threshold wins over the shop's.
		if err := s.svc.SetThreshold(ctx, clerk, inventory.ThresholdSetting{SKU: sku, Warehouse: s.wh["SH"], Threshold: ptr(12)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.Adjust(ctx, clerk, inventory.Adjustment{SKU: sku, Warehouse: s.wh["SH"], Delta: -3}); err != nil {
			t.Fatal(err)
		}
		if ev := lowEvents(t, db); len(ev) != 2 || ev[1].Threshold != 12 || ev[1].Available != 11 {
			t.Errorf("events %+v, want a second at 11 of 12", ev)
		}
		page, err := inventory.ListStock(ctx, db, inventory.StockFilter{LowOnly: true, Page: platform.PageRequest{Limit: 10}})
		if err != nil || len(page.Items) != 1 || !page.Items[0].Low || page.Items[0].Threshold == nil || *page.Items[0].Threshold != 12 {
			t.Errorf("low-only listing %+v %v", page.Items, err)
		}
		s.balanced()
	})
}

func TestCategoryThresholdWinsOverTheShops(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		sku := s.sku("ambient", map[string]int64{"SH": 30})
		var cat platform.ID
		if err := db.R.QueryRow(`SELECT p.category_id FROM skus s JOIN products p ON p.id = s.product_id WHERE s.id = $1`, sku).Scan(&cat); err != nil {
			t.Fatal(err)
		}
		for _, d := range []inventory.DefaultThreshold{{Threshold: ptr(2)}, {Category: &cat, Threshold: ptr(25)}} {
			if err := s.svc.SetDefaultThreshold(ctx, clerk, d); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := reserve(t, db, "o1", "310000", inventory.Line{SKU: sku, Qty: 5}); err != nil {
			t.Fatal(err)
		}
		if ev := lowEvents(t, db); len(ev) != 1 || ev[0].Threshold != 25 {
			t.Errorf("events %+v, want one against the category's 25", ev)
		}
		unknown := platform.ID(42)
		if err := s.svc.SetDefaultThreshold(ctx, clerk, inventory.DefaultThreshold{Category: &unknown, Threshold: ptr(1)}); platform.ErrorCode(err) != platform.CodeInvalid {
			t.Errorf("unknown category: %v", err)
		}
		// Clearing the category's falls back to the shop's.
		if err := s.svc.SetDefaultThreshold(ctx, clerk, inventory.DefaultThreshold{Category: &cat}); err != nil {
			t.Fatal(err)
		}
		if got := auditActions(t, db)["inventory.default_threshold"]; got != 3 {
			t.Errorf("%d default threshold changes audited, want 3", got)
		}
	})
}

func TestListStockFiltersAndPages(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newShop(t, db)
		a := s.sku("ambient", map[string]int64{"SH": 30, "GZ": 30, "BJ": 30})
		s.sku("ambient", map[string]int64{"SH": 30})
		var seen []string
		f := inventory.StockFilter{Page: platform.PageRequest{Limit: 2}}
		for {
			page, err := inventory.ListStock(ctx, db, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Items {
				seen = append(seen, r.SKUCode+"@"+r.WarehouseCode)
			}
			if page.NextCursor == "" {
				break
			}
			if f.Page.After, err = platform.ParseCursor(page.NextCursor); err != nil {
				t.Fatal(err)
			}
		}
		if len(seen) != 4 {
			t.Errorf("paged through %v, want 4 levels", seen)
		}
		sh := s.wh["SH"]
		page, err := inventory.ListStock(ctx, db, inventory.StockFilter{Warehouse: &sh, Code: "SKU-2", Page: platform.PageRequest{Limit: 10}})
		if err != nil || len(page.Items) != 1 || page.Items[0].SKUCode != "SKU-2" {
			t.Errorf("filtered %+v %v", page.Items, err)
		}
		page, err = inventory.ListStock(ctx, db, inventory.StockFilter{SKU: &a, Code: "%", Page: platform.PageRequest{Limit: 10}})
		if err != nil || len(page.Items) != 0 {
			t.Errorf("a %% code is not a wildcard: %+v %v", page.Items, err)
		}
	})
}

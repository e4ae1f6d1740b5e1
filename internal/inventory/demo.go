package inventory

import (
	"context"
	"fmt"
	"math"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/store"
)

// DemoStep makes the demo shop's warehouses (four regional ones and a
// cold-chain one for chilled and frozen goods) and a stock level for every
// SKU in the warehouses that may keep it, in proportion to its demand. Each
// level gets its opening receipt in the ledger (so the ledger adds up to
// on-hand), a held reservation for what it shows reserved, and a
// low-stock to-do entry when it starts at or below the default threshold.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "inventory", Order: 20, Run: runDemo}
}

var demoWarehouses = []struct {
	code, name, provinceCode, province, city string
	cold                                     bool
}{
	{"SH01", "华东仓 上海", "310000", "上海市", "上海市", false},
	{"GZ01", "华南仓 广州", "440000", "广东省", "广州市", false},
	{"BJ01", "华北仓 北京", "110000", "北京市", "北京市", false},
	{"CD01", "西南仓 成都", "510000", "四川省", "成都市", false},
	{"JX01", "华东冷链仓 嘉兴", "330000", "浙江省", "嘉兴市", true},
}

// The demo's ledger, reservation and alert ids share the warehouse id
// space (which holds five warehouses) at offsets far apart, so the same
// seed always gives the same ids.
const (
	demoLedgerIDs = 1 << 30
	demoHoldIDs   = 2 << 30
	demoAlertIDs  = 3 << 30
)

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, q := range []string{`DELETE FROM low_stock_alerts`, `DELETE FROM stock_reservations`, `DELETE FROM stock_ledger`,
				`DELETE FROM stock_levels`, `DELETE FROM warehouses`} {
				if err := l.Exec(q); err != nil {
					return fmt.Errorf("inventory: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	shop := env.Shop
	shop.Progress.Start("inventory", int64(len(shop.SKUs)))
	now := store.Time(shop.End)
	created := store.Time(shop.Start.AddDate(0, -3, 0))
	maxW := 0.0
	for _, s := range shop.SKUs {
		maxW = math.Max(maxW, s.Weight)
	}
	err := env.DB.Load(ctx, func(l *store.Loader) error {
		wb := l.Into("warehouses", "id", "code", "name", "province_code", "province", "city", "cold_chain", "active", "created_at")
		shop.Warehouses = shop.Warehouses[:0]
		for i, w := range demoWarehouses {
			id := shop.ID(demokit.SpaceWarehouse, int64(i))
			shop.Warehouses = append(shop.Warehouses, demokit.Warehouse{ID: id, Code: w.code, ColdChain: w.cold})
			if err := wb.Add(id, w.code, w.name, w.provinceCode, w.province, w.city, w.cold, true, created); err != nil {
				return err
			}
		}
		if err := wb.Flush(); err != nil {
			return err
		}
		sb := l.Into("stock_levels", "sku_id", "warehouse_id", "on_hand", "reserved", "updated_at")
		lb := l.Into("stock_ledger", "id", "sku_id", "warehouse_id", "delta", "on_hand_after", "reason", "ref_type", "ref_id", "actor", "note", "at")
		rb := l.Into("stock_reservations", "id", "ref_type", "ref_id", "sku_id", "warehouse_id", "qty", "status", "expires_at", "created_at", "updated_at")
		ab := l.Into("low_stock_alerts", "id", "sku_id", "warehouse_id", "threshold", "available", "raised_at")
		expires := store.Time(shop.End.Add(HoldFor))
		var n int64
		for k, s := range shop.SKUs {
			r := shop.Rand("stock", int64(k))
			cold := shop.Categories[shop.Products[s.Product].Category].Storage != "ambient"
			for i, w := range shop.Warehouses {
				if w.ColdChain != cold || (i >= 2 && !cold && r.Float64() < 0.3) {
					continue
				}
				// Popular SKUs keep more; a few are sold out.
				onHand := int64(5 + s.Weight/maxW*800*r.Float64() + 40*r.Float64())
				if r.Float64() < 0.03 {
					onHand = 0
				}
				reserved := min(onHand, int64(r.IntN(3)))
				if err := sb.Add(s.ID, w.ID, onHand, reserved, now); err != nil {
					return err
				}
				if onHand > 0 {
					if err := lb.Add(shop.ID(demokit.SpaceWarehouse, demoLedgerIDs+n), s.ID, w.ID, onHand, onHand,
						string(ReasonReceipt), "demo", "opening", "system", "", created); err != nil {
						return err
					}
				}
				if reserved > 0 {
					if err := rb.Add(shop.ID(demokit.SpaceWarehouse, demoHoldIDs+n), "demo", fmt.Sprint(n), s.ID, w.ID, reserved,
						holdHeld, expires, now, now); err != nil {
						return err
					}
				}
				if onHand-reserved <= DefaultLowStock {
					if err := ab.Add(shop.ID(demokit.SpaceWarehouse, demoAlertIDs+n), s.ID, w.ID, DefaultLowStock, onHand-reserved, now); err != nil {
						return err
					}
				}
				n++
			}
		}
		for _, b := range []*store.Batch{sb, lb, rb, ab} {
			if err := b.Flush(); err != nil {
				return err
			}
		}
		shop.Progress.Add(int64(len(shop.SKUs)))
		return nil
	})
	if err != nil {
		return fmt.Errorf("inventory: demo: %w", err)
	}
	return nil
}

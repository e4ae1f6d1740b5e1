// Package inventory keeps stock: warehouses, on-hand and reserved
// quantities per SKU per warehouse, the append-only ledger that explains
// every on-hand change, reservations made at checkout and allocated to the
// nearest warehouse with stock, and low-stock alerts.
//
// Invariants, kept in the same transaction as every change:
//   - 0 ≤ reserved ≤ on_hand for every stock level (conditional updates,
//     never read-then-write), so a reservation can never oversell;
//   - the sum of stock_ledger.delta per SKU×warehouse equals on_hand.
package inventory

import (
	"embed"
	"io/fs"
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Migrations are the inventory tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "inventory", FS: sub}
}

// Ref names what a reservation or ledger entry is for: an order, a
// purchase receipt, a transfer…
type Ref struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

func (r Ref) String() string { return r.Type + ":" + r.ID }

// OrderRef is the reference of an order's reservations and sales: the one
// spelling checkout (Reserve), cancellation (Release) and shipping
// (Commit, CommitShipment) must share.
func OrderRef(order platform.ID) Ref { return Ref{Type: "order", ID: order.String()} }

// Error codes of the inventory domain.
var (
	// CodeOutOfStock: a reservation or a stock move wants more than is
	// available; the message names the SKU.
	CodeOutOfStock = platform.NewCode("out_of_stock", http.StatusConflict,
		platform.Message{ZH: "库存不足", EN: "Not enough stock"})
	// CodeNotReserved: Commit of a reference that holds nothing (never
	// reserved, or released on cancel or expiry).
	CodeNotReserved = platform.NewCode("inventory_not_reserved", http.StatusConflict,
		platform.Message{ZH: "该订单没有可发货的库存预占（可能已取消或过期）", EN: "Nothing is reserved for this reference (cancelled or expired)"})
	// CodeBelowReserved: a stock-take or adjustment would leave fewer units
	// on hand than orders hold.
	CodeBelowReserved = platform.NewCode("inventory_below_reserved", http.StatusConflict,
		platform.Message{ZH: "库存不能少于已被订单预占的数量", EN: "On-hand stock cannot fall below what orders have reserved"})
)

// outOfStock is the 409 naming the SKU (its code when known) and how much
// was available.
func outOfStock(sku platform.ID, code string, requested, available int64) *platform.Error {
	if code == "" {
		code = sku.String()
	}
	e := platform.Errorf(CodeOutOfStock, "inventory.out_of_stock_sku", code, available, requested)
	e.Extra = map[string]any{"sku_id": sku.String(), "sku_code": code, "requested": requested, "available": available}
	return e
}

package inventory

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Warehouse is a stock location.
type Warehouse struct {
	ID           platform.ID `json:"id"`
	Code         string      `json:"code"`
	Name         string      `json:"name"`
	ProvinceCode string      `json:"province_code"`
	Province     string      `json:"province"`
	City         string      `json:"city"`
	ColdChain    bool        `json:"cold_chain"`
	Active       bool        `json:"active"`
}

// Warehouses lists every warehouse by code.
func Warehouses(ctx context.Context, db *store.DB) ([]Warehouse, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT id, code, name, province_code, province, city, cold_chain, active FROM warehouses ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("inventory: warehouses: %w", err)
	}
	defer rows.Close()
	out := []Warehouse{}
	for rows.Next() {
		var w Warehouse
		if err := rows.Scan(&w.ID, &w.Code, &w.Name, &w.ProvinceCode, &w.Province, &w.City, &w.ColdChain, &w.Active); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// StockRow is a stock level with its SKU and warehouse for listings.
type StockRow struct {
	SKU           platform.ID `json:"sku_id"`
	SKUCode       string      `json:"sku_code"`
	Title         string      `json:"title"`
	SpecText      string      `json:"spec_text"`
	Warehouse     platform.ID `json:"warehouse_id"`
	WarehouseCode string      `json:"warehouse_code"`
	OnHand        int64       `json:"on_hand"`
	Reserved      int64       `json:"reserved"`
	Available     int64       `json:"available"`
	// Threshold is the level's own low-stock threshold, nil when it
	// follows its category's or the shop's.
	Threshold *int64 `json:"threshold"`
	// Low says the level is on the low-stock to-do list.
	Low bool `json:"low"`
}

// StockFilter narrows ListStock; zero fields do not filter.
type StockFilter struct {
	Warehouse *platform.ID
	SKU       *platform.ID
	// Code matches SKU codes starting with it.
	Code string
	// LowOnly keeps levels on the low-stock to-do list.
	LowOnly bool
	Page    platform.PageRequest
}

// ListStock lists stock levels by SKU then warehouse, keyset-paginated.
func ListStock(ctx context.Context, db *store.DB, f StockFilter) (platform.Page[StockRow], error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Warehouse != nil {
		where = append(where, "l.warehouse_id = "+arg(*f.Warehouse))
	}
	if f.SKU != nil {
		where = append(where, "l.sku_id = "+arg(*f.SKU))
	}
	if f.Code != "" {
		// Prefix match without LIKE wildcards from the user's input.
		p := "CAST(" + arg(f.Code) + " AS TEXT)"
		where = append(where, "substr(s.code, 1, length("+p+")) = "+p)
	}
	if f.LowOnly {
		where = append(where, "a.id IS NOT NULL")
	}
	if c := f.Page.After; c != nil {
		wh, _ := strconv.ParseInt(c.Key, 10, 64)
		s, w := arg(c.ID), arg(wh)
		where = append(where, "(l.sku_id > "+s+" OR (l.sku_id = "+s+" AND l.warehouse_id > "+w+"))")
	}
	q := `SELECT l.sku_id, COALESCE(s.code, ''), COALESCE(p.title, ''), COALESCE(s.spec_text, ''), l.warehouse_id, w.code,
		l.on_hand, l.reserved, l.low_threshold, a.id IS NOT NULL
		FROM stock_levels l
		JOIN warehouses w ON w.id = l.warehouse_id
		LEFT JOIN skus s ON s.id = l.sku_id
		LEFT JOIN products p ON p.id = s.product_id
		LEFT JOIN low_stock_alerts a ON a.sku_id = l.sku_id AND a.warehouse_id = l.warehouse_id AND a.resolved_at IS NULL`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY l.sku_id, l.warehouse_id LIMIT " + arg(f.Page.Limit+1)
	rows, err := db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return platform.Page[StockRow]{}, fmt.Errorf("inventory: list stock: %w", err)
	}
	defer rows.Close()
	var out []StockRow
	for rows.Next() {
		var r StockRow
		var t nullInt
		if err := rows.Scan(&r.SKU, &r.SKUCode, &r.Title, &r.SpecText, &r.Warehouse, &r.WarehouseCode, &r.OnHand, &r.Reserved, &t, &r.Low); err != nil {
			return platform.Page[StockRow]{}, err
		}
		r.Available = r.OnHand - r.Reserved
		r.Threshold = t.ptr()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[StockRow]{}, err
	}
	return platform.NewPage(out, f.Page.Limit, func(r StockRow) platform.Cursor {
		return platform.Cursor{ID: r.SKU, Key: r.Warehouse.String()}
	}), nil
}

// LedgerFilter narrows Ledger.
type LedgerFilter struct {
	SKU       platform.ID
	Warehouse *platform.ID
	Page      platform.PageRequest
}

// Ledger lists a SKU's ledger entries, newest first.
func Ledger(ctx context.Context, db *store.DB, f LedgerFilter) (platform.Page[Entry], error) {
	args := []any{f.SKU}
	q := `SELECT id, sku_id, warehouse_id, delta, on_hand_after, reason, ref_type, ref_id, actor, note, at
		FROM stock_ledger WHERE sku_id = $1`
	if f.Warehouse != nil {
		args = append(args, *f.Warehouse)
		q += " AND warehouse_id = $" + strconv.Itoa(len(args))
	}
	if f.Page.After != nil {
		args = append(args, f.Page.After.ID)
		q += " AND id < $" + strconv.Itoa(len(args))
	}
	args = append(args, f.Page.Limit+1)
	q += " ORDER BY id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return platform.Page[Entry]{}, fmt.Errorf("inventory: ledger: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var reason string
		if err := rows.Scan(&e.ID, &e.SKU, &e.Warehouse, &e.Delta, &e.OnHandAfter, &reason, &e.Ref.Type, &e.Ref.ID, &e.Actor, &e.Note, &e.At); err != nil {
			return platform.Page[Entry]{}, err
		}
		e.Reason = Reason(reason)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[Entry]{}, err
	}
	return platform.NewPage(out, f.Page.Limit, func(e Entry) platform.Cursor { return platform.Cursor{ID: e.ID} }), nil
}

// nullInt scans a nullable integer.
type nullInt struct {
	v     int64
	valid bool
}

func (n *nullInt) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		n.valid = false
	case int64:
		n.v, n.valid = v, true
	case int32:
		n.v, n.valid = int64(v), true
	default:
		return fmt.Errorf("inventory: scan %T as integer", src)
	}
	return nil
}

func (n nullInt) ptr() *int64 {
	if !n.valid {
		return nil
	}
	v := n.v
	return &v
}

// Hold is a reservation still held.
type Hold struct {
	Ref       Ref         `json:"ref"`
	SKU       platform.ID `json:"sku_id"`
	Warehouse platform.ID `json:"warehouse_id"`
	Qty       int64       `json:"qty"`
	ExpiresAt time.Time   `json:"expires_at"`
	CreatedAt time.Time   `json:"created_at"`
}

// HoldsOf lists a SKU's held reservations, soonest to expire first, at
// most limit of them.
func HoldsOf(ctx context.Context, db *store.DB, sku platform.ID, limit int) ([]Hold, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT ref_type, ref_id, sku_id, warehouse_id, qty, expires_at, created_at
		FROM stock_reservations WHERE sku_id = $1 AND status = 'held' ORDER BY expires_at, id LIMIT $2`, sku, limit)
	if err != nil {
		return nil, fmt.Errorf("inventory: holds of %d: %w", sku, err)
	}
	defer rows.Close()
	out := []Hold{}
	for rows.Next() {
		var h Hold
		if err := rows.Scan(&h.Ref.Type, &h.Ref.ID, &h.SKU, &h.Warehouse, &h.Qty, &h.ExpiresAt, &h.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

package inventory

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// DefaultLowStock is the threshold when neither the stock level, its
// category nor the shop (category 0 in low_stock_thresholds) sets one.
const DefaultLowStock = 10

// TopicLowStock is the outbox topic published when a SKU's available
// stock in a warehouse falls to its threshold.
const TopicLowStock = "inventory.low_stock"

// LowStockEvent is the payload of TopicLowStock.
type LowStockEvent struct {
	SKU       platform.ID `json:"sku_id"`
	Warehouse platform.ID `json:"warehouse_id"`
	Available int64       `json:"available"`
	Threshold int64       `json:"threshold"`
}

// thresholdSQL is the effective low-stock threshold of the stock_levels
// row in scope: its own, else its product category's, else the shop's
// (category 0), else the query parameter named by fallback (bound to
// DefaultLowStock). Used in RETURNING and SELECT lists over stock_levels.
func thresholdSQL(fallback string) string {
	return `COALESCE(low_threshold,
	(SELECT t.threshold FROM low_stock_thresholds t JOIN products p ON p.category_id = t.category_id
	   JOIN skus s ON s.product_id = p.id WHERE s.id = stock_levels.sku_id),
	(SELECT threshold FROM low_stock_thresholds WHERE category_id = 0),
	` + fallback + `)`
}

// checkLowStock raises an alert (and publishes TopicLowStock) when
// available stock went from above the threshold t to at or below it, and
// resolves the open alert when it went back above.
func checkLowStock(ctx context.Context, tx *store.Tx, sku, warehouse platform.ID, before, after, t int64) error {
	switch {
	case before > t && after <= t:
		return raiseLowStock(ctx, tx, sku, warehouse, after, t)
	case before <= t && after > t:
		return resolveLowStock(ctx, tx, sku, warehouse)
	}
	return nil
}

func resolveLowStock(ctx context.Context, tx *store.Tx, sku, warehouse platform.ID) error {
	_, err := tx.ExecContext(ctx, `UPDATE low_stock_alerts SET resolved_at = $1
		WHERE sku_id = $2 AND warehouse_id = $3 AND resolved_at IS NULL`, tx.Now, sku, warehouse)
	if err != nil {
		return fmt.Errorf("inventory: resolve low stock: %w", err)
	}
	return nil
}

// reassess puts a level on or off the to-do list by where it stands now,
// after its threshold changed.
func reassess(ctx context.Context, tx *store.Tx, sku, warehouse platform.ID) error {
	var l level
	err := tx.QueryRowContext(ctx, `SELECT on_hand, reserved, `+thresholdSQL("$3")+` FROM stock_levels
		WHERE sku_id = $1 AND warehouse_id = $2`, sku, warehouse, int64(DefaultLowStock)).Scan(&l.OnHand, &l.Reserved, &l.Threshold)
	if err != nil {
		return fmt.Errorf("inventory: reassess: %w", err)
	}
	if l.available() <= l.Threshold {
		return raiseLowStock(ctx, tx, sku, warehouse, l.available(), l.Threshold)
	}
	return resolveLowStock(ctx, tx, sku, warehouse)
}

func raiseLowStock(ctx context.Context, tx *store.Tx, sku, warehouse platform.ID, available, t int64) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO low_stock_alerts (id, sku_id, warehouse_id, threshold, available, raised_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (sku_id, warehouse_id) WHERE resolved_at IS NULL DO NOTHING`,
		tx.NewID(), sku, warehouse, t, available, tx.Now)
	if err != nil {
		return fmt.Errorf("inventory: raise low stock: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // already on the to-do list
	}
	payload, _ := json.Marshal(LowStockEvent{SKU: sku, Warehouse: warehouse, Available: available, Threshold: t})
	return outbox.Publish(ctx, tx, outbox.Event{Topic: TopicLowStock, Key: sku.String(), Payload: payload})
}

// Alert is one open item of the low-stock to-do list.
type Alert struct {
	ID            platform.ID `json:"id"`
	SKU           platform.ID `json:"sku_id"`
	SKUCode       string      `json:"sku_code"`
	Title         string      `json:"title"`
	Warehouse     platform.ID `json:"warehouse_id"`
	WarehouseCode string      `json:"warehouse_code"`
	Threshold     int64       `json:"threshold"`
	// Available is the stock available now (it may have fallen further
	// since the alert was raised).
	Available int64     `json:"available"`
	RaisedAt  time.Time `json:"raised_at"`
}

// LowStock lists the open low-stock alerts, oldest first.
func LowStock(ctx context.Context, db *store.DB, page platform.PageRequest) (platform.Page[Alert], error) {
	var after int64
	if page.After != nil {
		after = int64(page.After.ID)
	}
	var out []Alert
	err := db.Read(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT a.id, a.sku_id, COALESCE(s.code, ''), COALESCE(p.title, ''), a.warehouse_id, w.code,
			a.threshold, COALESCE(l.on_hand - l.reserved, 0), a.raised_at
			FROM low_stock_alerts a
			JOIN warehouses w ON w.id = a.warehouse_id
			LEFT JOIN stock_levels l ON l.sku_id = a.sku_id AND l.warehouse_id = a.warehouse_id
			LEFT JOIN skus s ON s.id = a.sku_id
			LEFT JOIN products p ON p.id = s.product_id
			WHERE a.resolved_at IS NULL AND a.id > $1
			ORDER BY a.id LIMIT $2`, after, page.Limit+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a Alert
			if err := rows.Scan(&a.ID, &a.SKU, &a.SKUCode, &a.Title, &a.Warehouse, &a.WarehouseCode, &a.Threshold, &a.Available, &a.RaisedAt); err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return platform.Page[Alert]{}, fmt.Errorf("inventory: low stock: %w", err)
	}
	return platform.NewPage(out, page.Limit, func(a Alert) platform.Cursor { return platform.Cursor{ID: a.ID} }), nil
}

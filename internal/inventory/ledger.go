package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Reason says why on-hand stock changed.
type Reason string

// The ledger reasons.
const (
	ReasonReceipt    Reason = "receipt"    // goods arrived (purchase, opening stock)
	ReasonSale       Reason = "sale"       // a reservation shipped
	ReasonCancel     Reason = "cancel"     // a shipped sale came back before delivery
	ReasonReturn     Reason = "return"     // a customer return restocked
	ReasonAdjustment Reason = "adjustment" // staff correction (damage, loss, found)
	ReasonTransfer   Reason = "transfer"   // moved between warehouses
	ReasonStockTake  Reason = "stock_take" // counted stock differs from the books
)

// Reasons lists every ledger reason.
var Reasons = []Reason{ReasonReceipt, ReasonSale, ReasonCancel, ReasonReturn, ReasonAdjustment, ReasonTransfer, ReasonStockTake}

// Entry is one ledger row.
type Entry struct {
	ID          platform.ID `json:"id"`
	SKU         platform.ID `json:"sku_id"`
	Warehouse   platform.ID `json:"warehouse_id"`
	Delta       int64       `json:"delta"`
	OnHandAfter int64       `json:"on_hand_after"`
	Reason      Reason      `json:"reason"`
	Ref         Ref         `json:"ref"`
	Actor       string      `json:"actor"`
	Note        string      `json:"note"`
	At          time.Time   `json:"at"`
}

// move is one change to a stock level: on-hand by OnHand (the ledger
// delta) and reserved by Reserved.
type move struct {
	SKU, Warehouse platform.ID
	OnHand         int64
	Reserved       int64
	Reason         Reason
	Ref            Ref
	Actor, Note    string
}

// level is a stock level's quantities after a move, and its effective
// low-stock threshold.
type level struct {
	OnHand, Reserved, Threshold int64
}

func (l level) available() int64 { return l.OnHand - l.Reserved }

// errGuard means the conditional update matched no row: the level does not
// exist, or the move would break 0 ≤ reserved ≤ on_hand.
var errGuard = errors.New("inventory: stock level missing or not enough stock")

// apply makes m in tx with one conditional update, so concurrent moves
// can never take reserved past on_hand or below zero, writes the ledger
// entry when on-hand changes, and raises or resolves a low-stock alert
// when available stock crosses the threshold. It returns errGuard when
// the guard refuses.
func apply(ctx context.Context, tx *store.Tx, m move) (level, error) {
	var l level
	// The effective threshold comes back with the row, so a hot SKU's
	// reservation is one statement here, not two.
	err := hotQueryRow(ctx, tx, `UPDATE stock_levels
		SET on_hand = on_hand + $1, reserved = reserved + $2, updated_at = $3
		WHERE sku_id = $4 AND warehouse_id = $5 AND on_hand + $1 >= reserved + $2 AND reserved + $2 >= 0
		RETURNING on_hand, reserved, `+thresholdSQL("$6"),
		m.OnHand, m.Reserved, tx.Now, m.SKU, m.Warehouse, int64(DefaultLowStock)).Scan(&l.OnHand, &l.Reserved, &l.Threshold)
	if errors.Is(err, sql.ErrNoRows) {
		return l, errGuard
	}
	if err != nil {
		return l, fmt.Errorf("inventory: move %d@%d: %w", m.SKU, m.Warehouse, err)
	}
	if m.OnHand != 0 {
		if err := writeEntry(ctx, tx, m, l.OnHand); err != nil {
			return l, err
		}
	}
	before := l.available() - (m.OnHand - m.Reserved)
	if before != l.available() {
		if err := checkLowStock(ctx, tx, m.SKU, m.Warehouse, before, l.available(), l.Threshold); err != nil {
			return l, err
		}
	}
	return l, nil
}

func writeEntry(ctx context.Context, tx *store.Tx, m move, after int64) error {
	_, err := hotExec(ctx, tx, `INSERT INTO stock_ledger
		(id, sku_id, warehouse_id, delta, on_hand_after, reason, ref_type, ref_id, actor, note, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		tx.NewID(), m.SKU, m.Warehouse, m.OnHand, after, string(m.Reason), m.Ref.Type, m.Ref.ID, m.Actor, m.Note, tx.Now)
	if err != nil {
		return fmt.Errorf("inventory: ledger %s: %w", m.Reason, err)
	}
	return nil
}

// ensureLevel creates an empty stock level for a SKU in a warehouse that
// never kept it, so a receipt or transfer can land there.
func ensureLevel(ctx context.Context, tx *store.Tx, sku, warehouse platform.ID) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO stock_levels (sku_id, warehouse_id, on_hand, reserved, updated_at)
		VALUES ($1, $2, 0, 0, $3) ON CONFLICT (sku_id, warehouse_id) DO NOTHING`, sku, warehouse, tx.Now)
	if err != nil {
		return fmt.Errorf("inventory: stock level %d@%d: %w", sku, warehouse, err)
	}
	return nil
}

// Imbalance is a stock level whose ledger does not add up to its on-hand.
type Imbalance struct {
	SKU, Warehouse platform.ID
	OnHand, Ledger int64
}

// CheckLedger lists every stock level whose ledger sum differs from its
// on-hand stock (including ledger entries without a level). An empty
// result is the invariant holding.
func CheckLedger(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]Imbalance, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.sku_id, l.warehouse_id, l.on_hand, COALESCE(s.total, 0)
		FROM stock_levels l
		LEFT JOIN (SELECT sku_id, warehouse_id, SUM(delta) AS total FROM stock_ledger GROUP BY sku_id, warehouse_id) s
		  ON s.sku_id = l.sku_id AND s.warehouse_id = l.warehouse_id
		WHERE l.on_hand <> COALESCE(s.total, 0)
		UNION ALL
		SELECT g.sku_id, g.warehouse_id, 0, SUM(g.delta) FROM stock_ledger g
		WHERE NOT EXISTS (SELECT 1 FROM stock_levels l WHERE l.sku_id = g.sku_id AND l.warehouse_id = g.warehouse_id)
		GROUP BY g.sku_id, g.warehouse_id`)
	if err != nil {
		return nil, fmt.Errorf("inventory: check ledger: %w", err)
	}
	defer rows.Close()
	var out []Imbalance
	for rows.Next() {
		var b Imbalance
		if err := rows.Scan(&b.SKU, &b.Warehouse, &b.OnHand, &b.Ledger); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

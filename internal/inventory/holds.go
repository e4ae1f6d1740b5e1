package inventory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Reservation statuses.
const (
	holdHeld      = "held"
	holdCommitted = "committed"
	holdReleased  = "released"
)

// claimed is a reservation row taken out of "held" by a claim.
type claimed struct {
	SKU, Warehouse platform.ID
	Qty            int64
}

// claim moves ref's held reservations (in warehouse only, unless it is 0)
// to status and returns them, in one conditional update: two callers (a
// cancel and the expiry job, say) can never both act on the same row.
func claim(ctx context.Context, tx *store.Tx, ref Ref, warehouse platform.ID, status string) ([]claimed, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE stock_reservations SET status = $1, updated_at = $2
		WHERE ref_type = $3 AND ref_id = $4 AND status = 'held' AND (CAST($5 AS BIGINT) = 0 OR warehouse_id = $5)
		RETURNING sku_id, warehouse_id, qty`, status, tx.Now, ref.Type, ref.ID, warehouse)
	if err != nil {
		return nil, fmt.Errorf("inventory: claim %s: %w", ref, err)
	}
	return scanClaimed(rows)
}

func scanClaimed(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}) ([]claimed, error) {
	defer rows.Close()
	var out []claimed
	for rows.Next() {
		var c claimed
		if err := rows.Scan(&c.SKU, &c.Warehouse, &c.Qty); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Lock stock rows in one global order (see Reserve).
	slices.SortFunc(out, func(a, b claimed) int {
		return cmp.Or(cmp.Compare(a.SKU, b.SKU), cmp.Compare(a.Warehouse, b.Warehouse))
	})
	return out, nil
}

// Release gives back what ref holds (an unpaid order cancelled, or its
// hold expired). Releasing twice, or a ref that holds nothing, is a no-op,
// so cancellation and expiry may race. It returns the units released.
func Release(ctx context.Context, tx *store.Tx, ref Ref) (int64, error) {
	held, err := claim(ctx, tx, ref, 0, holdReleased)
	if err != nil {
		return 0, err
	}
	return unreserve(ctx, tx, held)
}

func unreserve(ctx context.Context, tx *store.Tx, held []claimed) (int64, error) {
	var n int64
	for _, h := range held {
		if _, err := apply(ctx, tx, move{SKU: h.SKU, Warehouse: h.Warehouse, Reserved: -h.Qty}); err != nil {
			return n, fmt.Errorf("inventory: release %d@%d: %w", h.SKU, h.Warehouse, err)
		}
		n += h.Qty
	}
	return n, nil
}

// Commit turns everything ref holds into a sale when it ships: on-hand
// and reserved both fall by the held quantity and the ledger records a
// "sale" per SKU and warehouse. A ref already committed is a no-op.
//
// Errors: CodeNotReserved when ref holds nothing and never committed
// (released on cancel or expiry, or never reserved).
func Commit(ctx context.Context, tx *store.Tx, ref Ref, actor string) error {
	return commit(ctx, tx, ref, 0, actor)
}

// CommitShipment is Commit for one warehouse's shipment of an order that
// Reserve split over several: only what ref holds in warehouse becomes a
// sale; the rest stays held.
func CommitShipment(ctx context.Context, tx *store.Tx, ref Ref, warehouse platform.ID, actor string) error {
	if warehouse == 0 {
		return platform.Invalid("warehouse_id", "field.required")
	}
	return commit(ctx, tx, ref, warehouse, actor)
}

func commit(ctx context.Context, tx *store.Tx, ref Ref, warehouse platform.ID, actor string) error {
	held, err := claim(ctx, tx, ref, warehouse, holdCommitted)
	if err != nil {
		return err
	}
	if len(held) == 0 {
		var committed int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stock_reservations
			WHERE ref_type = $1 AND ref_id = $2 AND status = 'committed' AND (CAST($3 AS BIGINT) = 0 OR warehouse_id = $3)`,
			ref.Type, ref.ID, warehouse).Scan(&committed)
		if err != nil {
			return fmt.Errorf("inventory: commit %s: %w", ref, err)
		}
		if committed > 0 {
			return nil
		}
		return platform.E(CodeNotReserved)
	}
	if actor == "" {
		actor = "system"
	}
	for _, h := range held {
		_, err := apply(ctx, tx, move{SKU: h.SKU, Warehouse: h.Warehouse, OnHand: -h.Qty, Reserved: -h.Qty,
			Reason: ReasonSale, Ref: ref, Actor: actor})
		if err != nil {
			return fmt.Errorf("inventory: commit %s %d@%d: %w", ref, h.SKU, h.Warehouse, err)
		}
	}
	return nil
}

// Placed is a quantity of a SKU in a named warehouse.
type Placed struct {
	SKU       platform.ID `json:"sku_id"`
	Warehouse platform.ID `json:"warehouse_id"`
	Qty       int64       `json:"qty"`
}

// Restock puts sold goods back on hand for ref: ReasonCancel when a
// shipment is intercepted before delivery, ReasonReturn for a customer
// return that passed inspection.
func Restock(ctx context.Context, tx *store.Tx, ref Ref, reason Reason, lines []Placed, actor string) error {
	if reason != ReasonCancel && reason != ReasonReturn {
		return fmt.Errorf("inventory: restock with reason %q", reason)
	}
	for i, l := range lines {
		if l.Qty <= 0 {
			return platform.Invalid(fmt.Sprintf("lines[%d].qty", i), "inventory.qty_positive")
		}
		if err := ensureLevel(ctx, tx, l.SKU, l.Warehouse); err != nil {
			return err
		}
		if _, err := apply(ctx, tx, move{SKU: l.SKU, Warehouse: l.Warehouse, OnHand: l.Qty, Reason: reason, Ref: ref, Actor: actor}); err != nil {
			return err
		}
	}
	return nil
}

// expireBatch bounds one expiry transaction, so a backlog after downtime
// never holds the writer for long.
const expireBatch = 200

// ExpireDue releases every held reservation whose expiry is at or before
// now, in batches, and returns how many reservation rows it released.
// The expiry job runs it every minute; each row is claimed by a
// conditional update, so it may race cancellations and other nodes.
func ExpireDue(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	total := 0
	for {
		var n int
		err := db.Write(ctx, func(tx *store.Tx) error {
			rows, err := tx.QueryContext(ctx, `UPDATE stock_reservations SET status = 'released', updated_at = $1
				WHERE id IN (SELECT id FROM stock_reservations WHERE status = 'held' AND expires_at <= $2 ORDER BY expires_at LIMIT $3)
				  AND status = 'held'
				RETURNING sku_id, warehouse_id, qty`, tx.Now, now, expireBatch)
			if err != nil {
				return err
			}
			held, err := scanClaimed(rows)
			if err != nil {
				return err
			}
			n = len(held)
			_, err = unreserve(ctx, tx, held)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("inventory: expire reservations: %w", err)
		}
		total += n
		if n < expireBatch {
			return total, nil
		}
	}
}

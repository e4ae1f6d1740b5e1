package inventory

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// HoldFor is how long a checkout's reservation lasts unless the order is
// paid and shipped (Commit) or cancelled (Release) first; the expiry job
// releases it after that.
const HoldFor = 30 * time.Minute

// maxGuardRetries bounds how often one line re-reads a warehouse whose
// stock others keep taking before it moves on to the next warehouse.
const maxGuardRetries = 20

// Line asks for a quantity of a SKU.
type Line struct {
	SKU platform.ID `json:"sku_id"`
	Qty int64       `json:"qty"`
}

// Allocated is part of a line held in one warehouse.
type Allocated struct {
	SKU           platform.ID `json:"sku_id"`
	Warehouse     platform.ID `json:"warehouse_id"`
	WarehouseCode string      `json:"warehouse_code"`
	Qty           int64       `json:"qty"`
}

// Shipment is what one warehouse sends: an order split over warehouses
// ships once from each.
type Shipment struct {
	Warehouse     platform.ID `json:"warehouse_id"`
	WarehouseCode string      `json:"warehouse_code"`
	Lines         []Allocated `json:"lines"`
}

// Allocation is the result of Reserve.
type Allocation struct {
	Ref       Ref        `json:"ref"`
	ExpiresAt time.Time  `json:"expires_at"`
	Shipments []Shipment `json:"shipments"`
}

// candidate is a warehouse that may serve a line.
type candidate struct {
	id        platform.ID
	code      string
	distance  int
	available int64
}

// Reserve holds stock for ref (typically an order at checkout) in the
// caller's transaction, until tx.Now+HoldFor. Each line is allocated to
// the nearest active warehouse with available stock (see Distance; chilled
// and frozen goods only to cold-chain warehouses), spilling over to the
// next nearest when one cannot cover it, so an order may ship from several
// warehouses. Lines for the same SKU are merged.
//
// Errors: CodeOutOfStock (409, naming the SKU) when the warehouses
// together cannot cover a line; CodeInvalid for a non-positive quantity or
// an unknown SKU. On error the caller must roll back (what was reserved
// before the failing line stays in tx).
func Reserve(ctx context.Context, tx *store.Tx, ref Ref, lines []Line, shipTo string) (Allocation, error) {
	return ReserveUntil(ctx, tx, ref, lines, shipTo, tx.Now.Add(HoldFor))
}

// ReserveUntil is Reserve with an explicit expiry.
func ReserveUntil(ctx context.Context, tx *store.Tx, ref Ref, lines []Line, shipTo string, expires time.Time) (Allocation, error) {
	alloc := Allocation{Ref: ref, ExpiresAt: store.Time(expires)}
	if ref.Type == "" || ref.ID == "" {
		return alloc, platform.Invalid("ref", "field.required")
	}
	merged := map[platform.ID]int64{}
	for i, l := range lines {
		if l.Qty <= 0 {
			return alloc, platform.Invalid(fmt.Sprintf("lines[%d].qty", i), "inventory.qty_positive")
		}
		merged[l.SKU] += l.Qty
	}
	if len(merged) == 0 {
		return alloc, platform.Invalid("lines", "field.required")
	}
	// A fixed order (by SKU id) of row locks across checkouts keeps
	// multi-line orders from deadlocking each other.
	skus := make([]platform.ID, 0, len(merged))
	for s := range merged {
		skus = append(skus, s)
	}
	slices.Sort(skus)
	byWarehouse := map[platform.ID]*Shipment{}
	for _, sku := range skus {
		parts, err := reserveLine(ctx, tx, ref, sku, merged[sku], shipTo, alloc.ExpiresAt)
		if err != nil {
			return alloc, err
		}
		for _, p := range parts {
			s := byWarehouse[p.Warehouse]
			if s == nil {
				s = &Shipment{Warehouse: p.Warehouse, WarehouseCode: p.WarehouseCode}
				byWarehouse[p.Warehouse] = s
			}
			s.Lines = append(s.Lines, p)
		}
	}
	for _, s := range byWarehouse {
		alloc.Shipments = append(alloc.Shipments, *s)
	}
	slices.SortFunc(alloc.Shipments, func(a, b Shipment) int { return cmp.Compare(a.Warehouse, b.Warehouse) })
	return alloc, nil
}

// reserveLine allocates qty of one SKU, nearest warehouse first.
func reserveLine(ctx context.Context, tx *store.Tx, ref Ref, sku platform.ID, qty int64, shipTo string, expires time.Time) ([]Allocated, error) {
	code, cands, err := candidates(ctx, tx, sku, shipTo)
	if err != nil {
		return nil, err
	}
	var out []Allocated
	need := qty
	for _, c := range cands {
		for tries := 0; need > 0 && c.available > 0 && tries < maxGuardRetries; tries++ {
			take := min(need, c.available)
			_, err := apply(ctx, tx, move{SKU: sku, Warehouse: c.id, Reserved: take})
			if errors.Is(err, errGuard) {
				// Someone took stock since we looked: read again and
				// take what is left.
				if c.available, err = availableAt(ctx, tx, sku, c.id); err != nil {
					return nil, err
				}
				continue
			}
			if err != nil {
				return nil, err
			}
			if err := holdRow(ctx, tx, ref, sku, c.id, take, expires); err != nil {
				return nil, err
			}
			out = append(out, Allocated{SKU: sku, Warehouse: c.id, WarehouseCode: c.code, Qty: take})
			need -= take
			c.available -= take
		}
		if need == 0 {
			return out, nil
		}
	}
	return nil, outOfStock(sku, code, qty, qty-need)
}

// candidates are the warehouses that may serve sku with stock available,
// nearest first, then the one with more stock (fewer splits), then by id;
// and the SKU's code for error messages. One query reads the SKU and its
// stock, so a checkout's line costs one read before its update.
func candidates(ctx context.Context, tx *store.Tx, sku platform.ID, shipTo string) (string, []candidate, error) {
	rows, err := hotQuery(ctx, tx, `SELECT s.code, p.storage_class, w.id, w.code, w.province_code, w.cold_chain, l.on_hand - l.reserved
		FROM skus s JOIN products p ON p.id = s.product_id
		LEFT JOIN stock_levels l ON l.sku_id = s.id AND l.on_hand > l.reserved
		LEFT JOIN warehouses w ON w.id = l.warehouse_id AND w.active = TRUE
		WHERE s.id = $1`, sku)
	if err != nil {
		return "", nil, fmt.Errorf("inventory: candidates of %d: %w", sku, err)
	}
	defer rows.Close()
	var code string
	var out []candidate
	found := false
	for rows.Next() {
		var storage string
		var id sql.NullInt64
		var whCode, province sql.NullString
		var cold sql.NullBool
		var avail sql.NullInt64
		if err := rows.Scan(&code, &storage, &id, &whCode, &province, &cold, &avail); err != nil {
			return "", nil, err
		}
		found = true
		// Chilled and frozen goods only from cold-chain warehouses.
		if !id.Valid || (storage != "ambient" && !cold.Bool) {
			continue
		}
		out = append(out, candidate{id: platform.ID(id.Int64), code: whCode.String, distance: Distance(shipTo, province.String), available: avail.Int64})
	}
	if err := rows.Err(); err != nil {
		return "", nil, err
	}
	if !found {
		return "", nil, platform.Invalid("sku_id", "inventory.unknown_sku", sku.String())
	}
	slices.SortFunc(out, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.distance, b.distance), cmp.Compare(b.available, a.available), cmp.Compare(a.id, b.id))
	})
	return code, out, nil
}

func availableAt(ctx context.Context, tx *store.Tx, sku, warehouse platform.ID) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `SELECT on_hand - reserved FROM stock_levels WHERE sku_id = $1 AND warehouse_id = $2`, sku, warehouse).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

func holdRow(ctx context.Context, tx *store.Tx, ref Ref, sku, warehouse platform.ID, qty int64, expires time.Time) error {
	_, err := hotExec(ctx, tx, `INSERT INTO stock_reservations
		(id, ref_type, ref_id, sku_id, warehouse_id, qty, status, expires_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'held', $7, $8, $8)`,
		tx.NewID(), ref.Type, ref.ID, sku, warehouse, qty, expires, tx.Now)
	if err != nil {
		return fmt.Errorf("inventory: hold %s: %w", ref, err)
	}
	return nil
}

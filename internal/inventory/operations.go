package inventory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service runs the staff operations on stock: adjustments, transfers,
// receipts, stock-takes and thresholds. Each owns its transaction and
// records an audit entry beside the change.
type Service struct{ db *store.DB }

// NewService makes the service on db.
func NewService(db *store.DB) *Service { return &Service{db: db} }

// maxQty bounds one operation's quantity, far above any real pallet count,
// so a typo cannot overflow the INTEGER columns.
const maxQty = 1_000_000_000

// noteMax bounds a note's length in characters.
const noteMax = 500

// Adjustment corrects on-hand stock by Delta (negative for damage or loss).
type Adjustment struct {
	SKU       platform.ID `json:"sku_id"`
	Warehouse platform.ID `json:"warehouse_id"`
	Delta     int64       `json:"delta"`
	Note      string      `json:"note"`
}

// Transfer moves Qty available units from one warehouse to another.
type Transfer struct {
	SKU  platform.ID `json:"sku_id"`
	From platform.ID `json:"from_warehouse_id"`
	To   platform.ID `json:"to_warehouse_id"`
	Qty  int64       `json:"qty"`
	Note string      `json:"note"`
}

// Receipt adds Qty arrived units, e.g. against a purchase order (Ref).
type Receipt struct {
	SKU       platform.ID `json:"sku_id"`
	Warehouse platform.ID `json:"warehouse_id"`
	Qty       int64       `json:"qty"`
	Ref       string      `json:"ref"`
	Note      string      `json:"note"`
}

// StockTake records a physical count: the ledger gets the difference
// between Counted and the books.
type StockTake struct {
	SKU       platform.ID `json:"sku_id"`
	Warehouse platform.ID `json:"warehouse_id"`
	Counted   int64       `json:"counted"`
	Note      string      `json:"note"`
}

// Level is a stock level as the operations return it.
type Level struct {
	SKU       platform.ID `json:"sku_id"`
	Warehouse platform.ID `json:"warehouse_id"`
	OnHand    int64       `json:"on_hand"`
	Reserved  int64       `json:"reserved"`
	Available int64       `json:"available"`
}

func levelOf(sku, wh platform.ID, l level) Level {
	return Level{SKU: sku, Warehouse: wh, OnHand: l.OnHand, Reserved: l.Reserved, Available: l.available()}
}

func actorName(a audit.Actor) string {
	if a.StaffID != 0 {
		return fmt.Sprintf("staff:%s %s", a.StaffID, a.Name)
	}
	return a.Kind + ":" + a.Name
}

func checkNote(note string) *platform.Error {
	if utf8.RuneCountInString(note) > noteMax {
		return platform.Invalid("note", "field.too_long", noteMax)
	}
	return nil
}

func checkQty(field string, q int64) *platform.Error {
	if q <= 0 || q > maxQty {
		return platform.Invalid(field, "inventory.qty_positive")
	}
	return nil
}

// mustExist checks the SKU and warehouse exist, as field errors.
func mustExist(ctx context.Context, tx *store.Tx, sku platform.ID, whs map[string]platform.ID) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM skus WHERE id = $1`, sku).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return platform.Invalid("sku_id", "inventory.unknown_sku", sku.String())
	}
	if err != nil {
		return err
	}
	for field, wh := range whs {
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM warehouses WHERE id = $1`, wh).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return platform.Invalid(field, "inventory.unknown_warehouse")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func levelKey(sku, wh platform.ID) string { return sku.String() + "@" + wh.String() }

func record(ctx context.Context, tx *store.Tx, by audit.Actor, action string, sku, wh platform.ID, before, after any) error {
	return audit.Record(ctx, tx, audit.Entry{Actor: by, Action: action, EntityType: "stock_level",
		EntityID: levelKey(sku, wh), Before: before, After: after})
}

// beforeMove is a level as it was just before a move of onHand units
// that left it at after: the audit's "before", exact even when other
// transactions changed the level a moment earlier.
func beforeMove(after Level, onHand int64) Level {
	after.OnHand -= onHand
	after.Available -= onHand
	return after
}

// Adjust applies an adjustment. Errors: CodeInvalid (zero delta, unknown
// SKU or warehouse, long note); CodeBelowReserved when a decrease would
// leave less on hand than orders hold.
func (s *Service) Adjust(ctx context.Context, by audit.Actor, a Adjustment) (Level, error) {
	if a.Delta == 0 || a.Delta > maxQty || a.Delta < -maxQty {
		return Level{}, platform.Invalid("delta", "inventory.delta_nonzero")
	}
	if err := checkNote(a.Note); err != nil {
		return Level{}, err
	}
	var out Level
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx, a.SKU, map[string]platform.ID{"warehouse_id": a.Warehouse}); err != nil {
			return err
		}
		if err := ensureLevel(ctx, tx, a.SKU, a.Warehouse); err != nil {
			return err
		}
		l, err := apply(ctx, tx, move{SKU: a.SKU, Warehouse: a.Warehouse, OnHand: a.Delta, Reason: ReasonAdjustment,
			Actor: actorName(by), Note: strings.TrimSpace(a.Note)})
		if errors.Is(err, errGuard) {
			return platform.E(CodeBelowReserved)
		}
		if err != nil {
			return err
		}
		out = levelOf(a.SKU, a.Warehouse, l)
		return record(ctx, tx, by, "inventory.adjust", a.SKU, a.Warehouse, beforeMove(out, a.Delta), map[string]any{"level": out, "delta": a.Delta, "note": a.Note})
	})
	return out, err
}

// Transfer moves available stock between warehouses: a "transfer" entry
// out of one and into the other under one reference. Errors: CodeInvalid;
// CodeOutOfStock when the source has less available than Qty.
func (s *Service) Transfer(ctx context.Context, by audit.Actor, t Transfer) ([2]Level, error) {
	var out [2]Level
	if err := checkQty("qty", t.Qty); err != nil {
		return out, err
	}
	if t.From == t.To {
		return out, platform.Invalid("to_warehouse_id", "inventory.same_warehouse")
	}
	if err := checkNote(t.Note); err != nil {
		return out, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx, t.SKU, map[string]platform.ID{"from_warehouse_id": t.From, "to_warehouse_id": t.To}); err != nil {
			return err
		}
		ref := Ref{Type: "transfer", ID: tx.NewID().String()}
		note, actor := strings.TrimSpace(t.Note), actorName(by)
		l, err := apply(ctx, tx, move{SKU: t.SKU, Warehouse: t.From, OnHand: -t.Qty, Reason: ReasonTransfer, Ref: ref, Actor: actor, Note: note})
		if errors.Is(err, errGuard) {
			var code string
			_ = tx.QueryRowContext(ctx, `SELECT code FROM skus WHERE id = $1`, t.SKU).Scan(&code)
			avail, _ := availableAt(ctx, tx, t.SKU, t.From)
			return outOfStock(t.SKU, code, t.Qty, max(avail, 0))
		}
		if err != nil {
			return err
		}
		out[0] = levelOf(t.SKU, t.From, l)
		if err := ensureLevel(ctx, tx, t.SKU, t.To); err != nil {
			return err
		}
		if l, err = apply(ctx, tx, move{SKU: t.SKU, Warehouse: t.To, OnHand: t.Qty, Reason: ReasonTransfer, Ref: ref, Actor: actor, Note: note}); err != nil {
			return err
		}
		out[1] = levelOf(t.SKU, t.To, l)
		before := [2]Level{beforeMove(out[0], -t.Qty), beforeMove(out[1], t.Qty)}
		return audit.Record(ctx, tx, audit.Entry{Actor: by, Action: "inventory.transfer", EntityType: "stock_transfer", EntityID: ref.ID,
			Before: before, After: map[string]any{"levels": out, "qty": t.Qty, "note": t.Note}})
	})
	return out, err
}

// Receive books arrived goods. Errors: CodeInvalid.
func (s *Service) Receive(ctx context.Context, by audit.Actor, r Receipt) (Level, error) {
	if err := checkQty("qty", r.Qty); err != nil {
		return Level{}, err
	}
	if err := checkNote(r.Note); err != nil {
		return Level{}, err
	}
	if utf8.RuneCountInString(r.Ref) > 100 {
		return Level{}, platform.Invalid("ref", "field.too_long", 100)
	}
	var out Level
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx, r.SKU, map[string]platform.ID{"warehouse_id": r.Warehouse}); err != nil {
			return err
		}
		if err := ensureLevel(ctx, tx, r.SKU, r.Warehouse); err != nil {
			return err
		}
		ref := Ref{}
		if r.Ref = strings.TrimSpace(r.Ref); r.Ref != "" {
			ref = Ref{Type: "receipt", ID: r.Ref}
		}
		l, err := apply(ctx, tx, move{SKU: r.SKU, Warehouse: r.Warehouse, OnHand: r.Qty, Reason: ReasonReceipt, Ref: ref,
			Actor: actorName(by), Note: strings.TrimSpace(r.Note)})
		if err != nil {
			return err
		}
		out = levelOf(r.SKU, r.Warehouse, l)
		return record(ctx, tx, by, "inventory.receive", r.SKU, r.Warehouse, beforeMove(out, r.Qty), map[string]any{"level": out, "qty": r.Qty, "ref": r.Ref, "note": r.Note})
	})
	return out, err
}

// Count records a stock-take: the stock level is locked (a no-op update
// that returns the books' figure), then the difference to Counted is
// booked as a "stock_take" entry. A count equal to the books writes no
// ledger row but is still audited. Errors: CodeInvalid; CodeBelowReserved
// when Counted is less than what orders hold (release or ship those
// first).
func (s *Service) Count(ctx context.Context, by audit.Actor, c StockTake) (Level, error) {
	if c.Counted < 0 || c.Counted > maxQty {
		return Level{}, platform.Invalid("counted", "inventory.counted_range")
	}
	if err := checkNote(c.Note); err != nil {
		return Level{}, err
	}
	var out Level
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := mustExist(ctx, tx, c.SKU, map[string]platform.ID{"warehouse_id": c.Warehouse}); err != nil {
			return err
		}
		if err := ensureLevel(ctx, tx, c.SKU, c.Warehouse); err != nil {
			return err
		}
		var books level
		err := tx.QueryRowContext(ctx, `UPDATE stock_levels SET on_hand = on_hand WHERE sku_id = $1 AND warehouse_id = $2
			RETURNING on_hand, reserved`, c.SKU, c.Warehouse).Scan(&books.OnHand, &books.Reserved)
		if err != nil {
			return fmt.Errorf("inventory: lock level: %w", err)
		}
		before := levelOf(c.SKU, c.Warehouse, books)
		out = before
		if diff := c.Counted - books.OnHand; diff != 0 {
			l, err := apply(ctx, tx, move{SKU: c.SKU, Warehouse: c.Warehouse, OnHand: diff, Reason: ReasonStockTake,
				Actor: actorName(by), Note: strings.TrimSpace(c.Note)})
			if errors.Is(err, errGuard) {
				return platform.E(CodeBelowReserved)
			}
			if err != nil {
				return err
			}
			out = levelOf(c.SKU, c.Warehouse, l)
		}
		return record(ctx, tx, by, "inventory.stock_take", c.SKU, c.Warehouse, before, map[string]any{"level": out, "counted": c.Counted, "note": c.Note})
	})
	return out, err
}

// ThresholdSetting sets (or with nil clears) a SKU×warehouse's own
// low-stock threshold.
type ThresholdSetting struct {
	SKU       platform.ID `json:"sku_id"`
	Warehouse platform.ID `json:"warehouse_id"`
	Threshold *int64      `json:"threshold"`
}

// SetThreshold changes a level's own threshold and puts the level on or
// off the low-stock to-do list by its stock now. Errors: CodeInvalid; not found when the SKU has no stock level there.
func (s *Service) SetThreshold(ctx context.Context, by audit.Actor, t ThresholdSetting) error {
	if t.Threshold != nil && (*t.Threshold < 0 || *t.Threshold > maxQty) {
		return platform.Invalid("threshold", "inventory.counted_range")
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		var old sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT low_threshold FROM stock_levels WHERE sku_id = $1 AND warehouse_id = $2`, t.SKU, t.Warehouse).Scan(&old)
		if err != nil {
			return store.NotFound(err, "stock_level")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE stock_levels SET low_threshold = $1, updated_at = $2 WHERE sku_id = $3 AND warehouse_id = $4`,
			t.Threshold, tx.Now, t.SKU, t.Warehouse); err != nil {
			return err
		}
		if err := reassess(ctx, tx, t.SKU, t.Warehouse); err != nil {
			return err
		}
		var before *int64
		if old.Valid {
			before = &old.Int64
		}
		return record(ctx, tx, by, "inventory.threshold", t.SKU, t.Warehouse, map[string]any{"threshold": before}, map[string]any{"threshold": t.Threshold})
	})
}

// DefaultThreshold sets (or with nil clears) the low-stock threshold of a
// product category's levels that have none of their own; a nil Category
// sets the shop-wide default.
type DefaultThreshold struct {
	Category  *platform.ID `json:"category_id"`
	Threshold *int64       `json:"threshold"`
}

// SetDefaultThreshold changes a category's or the shop's default. Levels
// are judged against it from their next stock move on (a shop-wide
// change does not rewrite the to-do list at once). Errors: CodeInvalid
// (negative threshold, unknown category).
func (s *Service) SetDefaultThreshold(ctx context.Context, by audit.Actor, d DefaultThreshold) error {
	if d.Threshold != nil && (*d.Threshold < 0 || *d.Threshold > maxQty) {
		return platform.Invalid("threshold", "inventory.counted_range")
	}
	var cat platform.ID // 0: the shop's row
	if d.Category != nil {
		cat = *d.Category
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if cat != 0 {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM categories WHERE id = $1`, cat).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return platform.Invalid("category_id", "field.invalid")
			}
			if err != nil {
				return err
			}
		}
		var old sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT threshold FROM low_stock_thresholds WHERE category_id = $1`, cat).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if d.Threshold == nil {
			_, err = tx.ExecContext(ctx, `DELETE FROM low_stock_thresholds WHERE category_id = $1`, cat)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO low_stock_thresholds (category_id, threshold, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (category_id) DO UPDATE SET threshold = excluded.threshold, updated_at = excluded.updated_at`,
				cat, *d.Threshold, tx.Now)
		}
		if err != nil {
			return fmt.Errorf("inventory: default threshold: %w", err)
		}
		var before *int64
		if old.Valid {
			before = &old.Int64
		}
		return audit.Change(ctx, tx, by, "inventory.default_threshold", "low_stock_threshold", cat,
			map[string]any{"threshold": before}, map[string]any{"threshold": d.Threshold})
	})
}

package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Admin is the catalog's write side for staff, jobs and imports: the
// listing lifecycle, tags and (in editor.go) products. Its exported
// methods own their transaction; each write is audited and published to
// the outbox (TopicProductChanged) in that transaction, and drops the
// product from this process's read caches once committed.
type Admin struct {
	db *store.DB
}

// NewAdmin makes the write service on db.
func NewAdmin(db *store.DB) *Admin { return &Admin{db: db} }

// moves is the listing lifecycle: draft → on sale (上架) → off sale (下架)
// → on sale again or archived. Archived is final.
var moves = map[Status][]Status{
	StatusDraft:   {StatusOnSale},
	StatusOnSale:  {StatusOffSale},
	StatusOffSale: {StatusOnSale, StatusArchived},
}

// Statuses lists the lifecycle's statuses in order.
var Statuses = []Status{StatusDraft, StatusOnSale, StatusOffSale, StatusArchived}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Label is the message key of the status's name.
func (s Status) Label() string { return "catalog.status." + string(s) }

// CanMove reports whether the lifecycle allows from → to.
func CanMove(from, to Status) bool { return slices.Contains(moves[from], to) }

// Next lists the statuses a product in s may move to.
func (s Status) Next() []Status { return moves[s] }

// statusSnapshot is what the audit log keeps of a status change.
type statusSnapshot struct {
	Status Status `json:"status"`
	Reason string `json:"reason,omitempty"`
}

const maxReason = 200

// SetStatus moves product id to status to, audited as actor with the
// operator's reason (may be empty). Moving to the status it already has
// changes nothing and succeeds. Going on sale sets listed_at and clears a
// pending scheduled listing; leaving sale clears a pending delisting.
//
// Errors: CodeInvalid (unknown status, reason too long), CodeNotFound,
// CodeStatusTransition (409, not a lifecycle move, including when a
// concurrent change moved the product first), CodeNotSellable (409, no
// priced active SKU), or a database error.
func (a *Admin) SetStatus(ctx context.Context, actor audit.Actor, id platform.ID, to Status, reason string) error {
	if !to.Valid() {
		return platform.Invalid("status", "field.invalid")
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > maxReason {
		return platform.Invalid("reason", "field.too_long", maxReason)
	}
	return a.db.Write(ctx, func(tx *store.Tx) error {
		return setStatus(ctx, tx, actor, id, to, reason)
	})
}

// setStatus is SetStatus inside tx (the scheduled sweep and imports
// compose it).
func setStatus(ctx context.Context, tx *store.Tx, actor audit.Actor, id platform.ID, to Status, reason string) error {
	from, err := productStatus(ctx, tx, id)
	if err != nil {
		return err
	}
	if from == to {
		return nil
	}
	if !CanMove(from, to) {
		return transitionError(from, to)
	}
	if to == StatusOnSale {
		var ok bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM skus WHERE product_id = $1 AND status = 'active' AND price > 0)`, id).Scan(&ok)
		if err != nil {
			return fmt.Errorf("catalog: sellable %d: %w", id, err)
		}
		if !ok {
			return platform.E(CodeNotSellable)
		}
	}
	// The status in the WHERE makes the move conditional: on PostgreSQL a
	// concurrent move between the read and here matches no row.
	var q string
	switch to {
	case StatusOnSale:
		q = `UPDATE products SET status = $1, updated_at = $2, listed_at = $2, list_at = NULL WHERE id = $3 AND status = $4`
	case StatusArchived:
		q = `UPDATE products SET status = $1, updated_at = $2, list_at = NULL, delist_at = NULL WHERE id = $3 AND status = $4`
	default:
		q = `UPDATE products SET status = $1, updated_at = $2, delist_at = NULL WHERE id = $3 AND status = $4`
	}
	res, err := tx.ExecContext(ctx, q, string(to), tx.Now, id, string(from))
	if err != nil {
		return fmt.Errorf("catalog: set status of %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("catalog: set status of %d: %w", id, err)
	} else if n != 1 {
		now, err := productStatus(ctx, tx, id)
		if err != nil {
			return err
		}
		return transitionError(now, to)
	}
	if err := audit.Change(ctx, tx, actor, "product.status", "product", id,
		statusSnapshot{Status: from}, statusSnapshot{Status: to, Reason: reason}); err != nil {
		return err
	}
	return PublishProductChanged(ctx, tx, id, "status", to)
}

func transitionError(from, to Status) error {
	e := platform.E(CodeStatusTransition)
	e.Extra = map[string]any{"from": string(from), "to": string(to)}
	return e
}

// productStatus reads a product's status. Errors: CodeNotFound.
func productStatus(ctx context.Context, q store.Querier, id platform.ID) (Status, error) {
	var st Status
	err := q.QueryRowContext(ctx, `SELECT status FROM products WHERE id = $1`, id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", platform.NotFound("product")
	}
	if err != nil {
		return "", fmt.Errorf("catalog: status of %d: %w", id, err)
	}
	return st, nil
}

package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// TagClearance marks a product for clearance (清仓): the slow-mover
// report sets it, the storefront and promotions may pick it up.
const TagClearance = "清仓"

// Tag limits.
const (
	maxTagLen  = 20
	maxTagsPer = 30
)

// NormalizeTags trims and de-duplicates tags, keeping their order.
// Errors: CodeInvalid on field "tags" for an empty tag, one longer than
// 20 characters or with control characters or commas (the import's list
// separator).
func NormalizeTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.Join(strings.Fields(t), " ")
		switch {
		case t == "":
			return nil, platform.Invalid("tags", "field.required")
		case utf8.RuneCountInString(t) > maxTagLen:
			return nil, platform.Invalid("tags", "field.too_long", maxTagLen)
		case strings.ContainsFunc(t, func(r rune) bool { return unicode.IsControl(r) || r == ',' || r == '，' }):
			return nil, platform.Invalid("tags", "field.invalid")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// AddTags adds tags to product id (those it has already are skipped),
// audited as actor when anything was added.
//
// Errors: CodeInvalid (see NormalizeTags; more than 30 tags on the
// product), CodeNotFound, or a database error.
func (a *Admin) AddTags(ctx context.Context, actor audit.Actor, id platform.ID, tags ...string) error {
	tags, err := NormalizeTags(tags)
	if err != nil {
		return err
	}
	return a.db.Write(ctx, func(tx *store.Tx) error {
		before, err := productTags(ctx, tx, id)
		if err != nil {
			return err
		}
		return setTags(ctx, tx, actor, id, before, union(before, tags))
	})
}

// RemoveTags removes tags from product id, audited as actor when it had
// any of them.
//
// Errors: CodeNotFound, or a database error.
func (a *Admin) RemoveTags(ctx context.Context, actor audit.Actor, id platform.ID, tags ...string) error {
	for i, t := range tags {
		tags[i] = strings.Join(strings.Fields(t), " ")
	}
	return a.db.Write(ctx, func(tx *store.Tx) error {
		before, err := productTags(ctx, tx, id)
		if err != nil {
			return err
		}
		after := slices.DeleteFunc(slices.Clone(before), func(t string) bool { return slices.Contains(tags, t) })
		return setTags(ctx, tx, actor, id, before, after)
	})
}

// Tags lists product id's tags in the order they were added.
// Errors: CodeNotFound, or a database error.
func (a *Admin) Tags(ctx context.Context, id platform.ID) ([]string, error) {
	return productTags(ctx, a.db.R, id)
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, t := range b {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// setTags makes product id's tags exactly after (before is what it has),
// auditing and publishing only when they differ.
func setTags(ctx context.Context, tx *store.Tx, actor audit.Actor, id platform.ID, before, after []string) error {
	changed, err := writeTags(ctx, tx, id, before, after)
	if err != nil || !changed {
		return err
	}
	if err := audit.Change(ctx, tx, actor, "product.tags", "product", id, map[string][]string{"tags": before}, map[string][]string{"tags": after}); err != nil {
		return err
	}
	return PublishProductChanged(ctx, tx, id, "tags", "")
}

// writeTags changes the rows from before to after and reports whether
// anything changed; the caller audits.
func writeTags(ctx context.Context, tx *store.Tx, id platform.ID, before, after []string) (bool, error) {
	if len(after) > maxTagsPer {
		return false, platform.Invalid("tags", "catalog.field.too_many_tags", maxTagsPer)
	}
	changed := false
	for _, t := range before {
		if !slices.Contains(after, t) {
			changed = true
			if _, err := tx.ExecContext(ctx, `DELETE FROM product_tags WHERE product_id = $1 AND tag = $2`, id, t); err != nil {
				return false, fmt.Errorf("catalog: untag %d: %w", id, err)
			}
		}
	}
	for i, t := range after {
		if slices.Contains(before, t) {
			continue
		}
		changed = true
		// created_at orders the tags; i keeps one call's tags in order.
		if _, err := tx.ExecContext(ctx, `INSERT INTO product_tags (product_id, tag, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			id, t, tx.Now.Add(time.Duration(i)*time.Microsecond)); err != nil {
			return false, fmt.Errorf("catalog: tag %d: %w", id, err)
		}
	}
	return changed, nil
}

// productTags reads a product's tags. Errors: CodeNotFound.
func productTags(ctx context.Context, q store.Querier, id platform.ID) ([]string, error) {
	if _, err := productStatus(ctx, q, id); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT tag FROM product_tags WHERE product_id = $1 ORDER BY created_at, tag`, id)
	if err != nil {
		return nil, fmt.Errorf("catalog: tags of %d: %w", id, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("catalog: tags of %d: %w", id, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// maxKeyword bounds a keyword appended to titles (a search query).
const maxKeyword = 50

// titleSnapshot is what the audit log keeps of a keyword appended to a
// title.
type titleSnapshot struct {
	Title   string `json:"title"`
	Keyword string `json:"keyword,omitempty"`
}

// AppendTitleKeyword appends keyword to the titles of products ids, in
// one transaction, so shoppers searching for it find them (the keyword
// report's fix). A title that already holds the keyword (ignoring case)
// is left alone, so applying twice changes nothing the second time. It
// returns the ids whose title changed; each change is audited and
// published as catalog.product_changed.
//
// Errors: CodeInvalid (empty, too long or control characters in the
// keyword; a title that would pass the title limit, field "products"),
// CodeNotFound, CodeConflict (the title changed concurrently), or a
// database error. Nothing is written when any product fails.
func (a *Admin) AppendTitleKeyword(ctx context.Context, actor audit.Actor, keyword string, ids ...platform.ID) ([]platform.ID, error) {
	keyword = cleanLine(keyword)
	switch n := utf8.RuneCountInString(keyword); {
	case n == 0:
		return nil, platform.Invalid("keyword", "field.required")
	case n > maxKeyword:
		return nil, platform.Invalid("keyword", "field.too_long", maxKeyword)
	case strings.ContainsFunc(keyword, unicode.IsControl):
		return nil, platform.Invalid("keyword", "field.invalid")
	}
	var changed []platform.ID
	err := a.db.Write(ctx, func(tx *store.Tx) error {
		changed = changed[:0]
		for _, id := range ids {
			ok, err := appendTitleKeyword(ctx, tx, actor, id, keyword)
			if err != nil {
				return err
			}
			if ok {
				changed = append(changed, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changed, nil
}

// TitleHasKeyword reports whether title already holds keyword, ignoring
// case: the rule AppendTitleKeyword skips a product by.
func TitleHasKeyword(title, keyword string) bool {
	return strings.Contains(strings.ToLower(title), strings.ToLower(cleanLine(keyword)))
}

func appendTitleKeyword(ctx context.Context, tx *store.Tx, actor audit.Actor, id platform.ID, keyword string) (bool, error) {
	var title string
	var status Status
	err := tx.QueryRowContext(ctx, `SELECT title, status FROM products WHERE id = $1`, id).Scan(&title, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return false, platform.NotFound("product")
	}
	if err != nil {
		return false, fmt.Errorf("catalog: title of %d: %w", id, err)
	}
	if TitleHasKeyword(title, keyword) {
		return false, nil
	}
	next := strings.TrimSpace(title) + " " + keyword
	if utf8.RuneCountInString(next) > maxTitle {
		return false, platform.Invalid("products", "catalog.title_keyword_too_long", title, maxTitle)
	}
	// The old title in the WHERE makes the write conditional: on
	// PostgreSQL a concurrent edit between the read and here matches no
	// row instead of being overwritten.
	res, err := tx.ExecContext(ctx, `UPDATE products SET title = $1, updated_at = $2 WHERE id = $3 AND title = $4`, next, tx.Now, id, title)
	if err != nil {
		return false, fmt.Errorf("catalog: append keyword to %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, fmt.Errorf("catalog: append keyword to %d: %w", id, err)
	} else if n != 1 {
		return false, platform.E(platform.CodeConflict)
	}
	if err := audit.Change(ctx, tx, actor, "product.title_keyword", "product", id,
		titleSnapshot{Title: title}, titleSnapshot{Title: next, Keyword: keyword}); err != nil {
		return false, err
	}
	return true, PublishProductChanged(ctx, tx, id, "update", status)
}

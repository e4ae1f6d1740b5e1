package invoice

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Filter narrows the console list. Zero fields match everything; From
// and To bound the request time (To exclusive).
type Filter struct {
	Status    Status
	TitleType TitleType
	OrderNo   string
	From, To  *time.Time
	Page      platform.PageRequest
}

// Validate rejects unknown statuses and title types (422).
func (f Filter) Validate() error {
	if f.Status != "" && !f.Status.Valid() {
		return platform.Invalid("status", "field.invalid")
	}
	if f.TitleType != "" && !f.TitleType.Valid() {
		return platform.Invalid("title_type", "field.invalid")
	}
	return nil
}

// List is one page of requests, newest first.
//
// Errors: CodeInvalid (422), CodeBadCursor (400), or a database error.
func List(ctx context.Context, q store.Querier, f Filter) (platform.Page[Invoice], error) {
	if err := f.Validate(); err != nil {
		return platform.Page[Invoice]{}, err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Status != "" {
		where = append(where, "i.status = "+arg(f.Status))
	}
	if f.OrderNo != "" {
		where = append(where, "o.order_no = "+arg(f.OrderNo))
	}
	if f.TitleType != "" {
		where = append(where, "i.title_type = "+arg(f.TitleType))
	}
	if f.From != nil {
		where = append(where, "i.created_at >= "+arg(store.Time(*f.From)))
	}
	if f.To != nil {
		where = append(where, "i.created_at < "+arg(store.Time(*f.To)))
	}
	if c := f.Page.After; c != nil {
		at, err := time.Parse(time.RFC3339Nano, c.Key)
		if err != nil {
			return platform.Page[Invoice]{}, platform.E(platform.CodeBadCursor).Wrap(err)
		}
		t, id := arg(store.Time(at)), arg(int64(c.ID))
		where = append(where, "i.created_at <= "+t+" AND (i.created_at < "+t+" OR i.id < "+id+")")
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = platform.DefaultPageSize
	}
	query := `SELECT ` + invoiceCols + invoiceFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY i.created_at DESC, i.id DESC LIMIT " + arg(limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return platform.Page[Invoice]{}, fmt.Errorf("invoice: list: %w", err)
	}
	defer rows.Close()
	var out []Invoice
	for rows.Next() {
		v, err := scanInvoice(rows)
		if err != nil {
			return platform.Page[Invoice]{}, fmt.Errorf("invoice: list: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[Invoice]{}, fmt.Errorf("invoice: list: %w", err)
	}
	return platform.NewPage(out, limit, func(v Invoice) platform.Cursor {
		return platform.Cursor{Key: v.CreatedAt.Format(time.RFC3339Nano), ID: v.ID}
	}), nil
}

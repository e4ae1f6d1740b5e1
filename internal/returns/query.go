package returns

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

const returnCols = `r.id, r.rma_no, r.order_id, o.order_no, r.customer_id, r.kind, r.status, r.reason, r.description, r.refund_amount,
	r.reject_reason, r.return_carrier, r.return_tracking_no, r.exchange_carrier, r.exchange_tracking_no, r.warehouse_id, r.handled_by,
	r.created_at, r.updated_at, r.approved_at, r.shipped_back_at, r.received_at, r.closed_at`

const returnFrom = ` FROM returns r JOIN orders o ON o.id = r.order_id`

func optTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

func scanReturn(row interface{ Scan(...any) error }) (Return, error) {
	var (
		v                                   Return
		wh                                  sql.NullInt64
		approved, shipped, received, closed sql.NullTime
	)
	err := row.Scan(&v.ID, &v.RMANo, &v.OrderID, &v.OrderNo, &v.CustomerID, &v.Kind, &v.Status, &v.Reason, &v.Description, &v.Amount,
		&v.RejectReason, &v.ReturnCarrier, &v.ReturnTrackingNo, &v.ExchangeCarrier, &v.ExchangeTrackingNo, &wh, &v.HandledBy,
		&v.CreatedAt, &v.UpdatedAt, &approved, &shipped, &received, &closed)
	if err != nil {
		return v, err
	}
	v.WarehouseID = platform.ID(wh.Int64)
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	v.ApprovedAt, v.ShippedBackAt, v.ReceivedAt, v.ClosedAt = optTime(approved), optTime(shipped), optTime(received), optTime(closed)
	return v, nil
}

// loadLines fills in each request's lines (one query for the page).
func loadLines(ctx context.Context, q store.Querier, rs []Return) error {
	if len(rs) == 0 {
		return nil
	}
	idx := map[platform.ID]int{}
	ph := make([]string, len(rs))
	args := make([]any, len(rs))
	for i, r := range rs {
		idx[r.ID] = i
		ph[i] = "$" + strconv.Itoa(i+1)
		args[i] = r.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT rl.return_id, rl.order_line_id, rl.sku_id, rl.product_id, l.title, l.spec_text, rl.qty, rl.amount,
		rl.accepted_qty, rl.condition, rl.exchange_sku_id
		FROM return_lines rl JOIN order_lines l ON l.id = rl.order_line_id
		WHERE rl.return_id IN (`+strings.Join(ph, ", ")+`) ORDER BY rl.return_id, rl.order_line_id`, args...)
	if err != nil {
		return fmt.Errorf("returns: lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id platform.ID
			l  Line
			ex sql.NullInt64
		)
		if err := rows.Scan(&id, &l.OrderLineID, &l.SKUID, &l.ProductID, &l.Title, &l.SpecText, &l.Qty, &l.Amount, &l.AcceptedQty, &l.Condition, &ex); err != nil {
			return fmt.Errorf("returns: lines: %w", err)
		}
		l.ExchangeSKUID = platform.ID(ex.Int64)
		rs[idx[id]].Lines = append(rs[idx[id]].Lines, l)
	}
	return rows.Err()
}

// byID is one request with its lines, or platform.NotFound("return").
func byID(ctx context.Context, q store.Querier, id platform.ID) (Return, error) {
	v, err := scanReturn(q.QueryRowContext(ctx, `SELECT `+returnCols+returnFrom+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Return{}, platform.NotFound("return")
	}
	if err != nil {
		return Return{}, fmt.Errorf("returns: read %d: %w", id, err)
	}
	rs := []Return{v}
	if err := loadLines(ctx, q, rs); err != nil {
		return Return{}, err
	}
	if err := loadPhotos(ctx, q, rs); err != nil {
		return Return{}, err
	}
	return rs[0], nil
}

// Filter narrows the console list. Zero fields match everything; From
// and To bound the request time (To exclusive).
type Filter struct {
	Status     Status
	Kind       Kind
	Reason     Reason
	OrderNo    string
	CustomerID platform.ID
	OrderID    platform.ID
	From, To   *time.Time
	Page       platform.PageRequest
}

// Validate rejects unknown statuses, kinds and reasons (422).
func (f Filter) Validate() error {
	switch {
	case f.Status != "" && !f.Status.Valid():
		return platform.Invalid("status", "field.invalid")
	case f.Kind != "" && !f.Kind.Valid():
		return platform.Invalid("kind", "field.invalid")
	case f.Reason != "" && !f.Reason.Valid():
		return platform.Invalid("reason", "field.invalid")
	}
	return nil
}

// List is one page of requests with their lines, newest first.
//
// Errors: CodeInvalid (422), CodeBadCursor (400), or a database error.
func List(ctx context.Context, q store.Querier, f Filter) (platform.Page[Return], error) {
	if err := f.Validate(); err != nil {
		return platform.Page[Return]{}, err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Status != "" {
		where = append(where, "r.status = "+arg(f.Status))
	}
	if f.Kind != "" {
		where = append(where, "r.kind = "+arg(f.Kind))
	}
	if f.Reason != "" {
		where = append(where, "r.reason = "+arg(f.Reason))
	}
	if f.OrderNo != "" {
		where = append(where, "o.order_no = "+arg(f.OrderNo))
	}
	if f.CustomerID != 0 {
		where = append(where, "r.customer_id = "+arg(f.CustomerID))
	}
	if f.OrderID != 0 {
		where = append(where, "r.order_id = "+arg(f.OrderID))
	}
	if f.From != nil {
		where = append(where, "r.created_at >= "+arg(store.Time(*f.From)))
	}
	if f.To != nil {
		where = append(where, "r.created_at < "+arg(store.Time(*f.To)))
	}
	if c := f.Page.After; c != nil {
		at, err := time.Parse(time.RFC3339Nano, c.Key)
		if err != nil {
			return platform.Page[Return]{}, platform.E(platform.CodeBadCursor).Wrap(err)
		}
		t, id := arg(store.Time(at)), arg(int64(c.ID))
		where = append(where, "r.created_at <= "+t+" AND (r.created_at < "+t+" OR r.id < "+id+")")
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = platform.DefaultPageSize
	}
	query := `SELECT ` + returnCols + returnFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY r.created_at DESC, r.id DESC LIMIT " + arg(limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return platform.Page[Return]{}, fmt.Errorf("returns: list: %w", err)
	}
	var out []Return
	for rows.Next() {
		v, err := scanReturn(rows)
		if err != nil {
			rows.Close()
			return platform.Page[Return]{}, fmt.Errorf("returns: list: %w", err)
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return platform.Page[Return]{}, fmt.Errorf("returns: list: %w", err)
	}
	page := platform.NewPage(out, limit, func(v Return) platform.Cursor {
		return platform.Cursor{Key: v.CreatedAt.Format(time.RFC3339Nano), ID: v.ID}
	})
	if err := loadLines(ctx, q, page.Items); err != nil {
		return platform.Page[Return]{}, err
	}
	if err := loadPhotos(ctx, q, page.Items); err != nil {
		return platform.Page[Return]{}, err
	}
	return page, nil
}

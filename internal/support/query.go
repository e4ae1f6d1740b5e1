package support

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Filter narrows the staff's ticket list. Zero fields match everything.
type Filter struct {
	Status   Status
	Type     Type
	Priority Priority
	Channel  Channel
	// Active keeps open and pending tickets (the backlog).
	Active     bool
	AssigneeID platform.ID
	// Unassigned keeps tickets with nobody on them.
	Unassigned bool
	// Breached keeps tickets past an SLA deadline.
	Breached   bool
	CustomerID platform.ID
	// Q matches the subject or the contact's name, email or phone.
	Q    string
	Page platform.PageRequest
}

// Validate rejects unknown values (422).
func (f Filter) Validate() error {
	e := platform.E(platform.CodeInvalid)
	if f.Status != "" && !f.Status.Valid() {
		e.With("status", "field.invalid")
	}
	if f.Type != "" && !f.Type.Valid() {
		e.With("type", "field.invalid")
	}
	if f.Priority != "" && !f.Priority.Valid() {
		e.With("priority", "field.invalid")
	}
	if f.Channel != "" && !f.Channel.Valid() {
		e.With("channel", "field.invalid")
	}
	if len([]rune(f.Q)) > 100 {
		e.With("q", "field.too_long", 100)
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// likeEscape escapes LIKE wildcards (ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// List is one page of tickets, newest first.
//
// Errors: CodeInvalid (422), CodeBadCursor (400), or a database error.
func List(ctx context.Context, q store.Querier, f Filter) (platform.Page[Ticket], error) {
	if err := f.Validate(); err != nil {
		return platform.Page[Ticket]{}, err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	for col, v := range map[string]string{"status": string(f.Status), "type": string(f.Type), "priority": string(f.Priority), "channel": string(f.Channel)} {
		if v != "" {
			where = append(where, col+" = "+arg(v))
		}
	}
	if f.Active {
		where = append(where, "status IN ('open', 'pending')")
	}
	if f.AssigneeID != 0 {
		where = append(where, "assignee_id = "+arg(int64(f.AssigneeID)))
	}
	if f.Unassigned {
		where = append(where, "assignee_id IS NULL")
	}
	if f.Breached {
		where = append(where, "(response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL)")
	}
	if f.CustomerID != 0 {
		where = append(where, "customer_id = "+arg(int64(f.CustomerID)))
	}
	if f.Q != "" {
		p := arg("%" + likeEscape(f.Q) + "%")
		where = append(where, "(subject LIKE "+p+" ESCAPE '\\' OR contact_name LIKE "+p+" ESCAPE '\\' OR contact_email LIKE "+p+" ESCAPE '\\' OR contact_phone LIKE "+p+" ESCAPE '\\')")
	}
	if c := f.Page.After; c != nil {
		at, err := time.Parse(time.RFC3339Nano, c.Key)
		if err != nil {
			return platform.Page[Ticket]{}, platform.E(platform.CodeBadCursor).Wrap(err)
		}
		t, id := arg(store.Time(at)), arg(int64(c.ID))
		where = append(where, "created_at <= "+t+" AND (created_at < "+t+" OR id < "+id+")")
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = platform.DefaultPageSize
	}
	query := `SELECT ` + ticketCols + ` FROM support_tickets`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY created_at DESC, id DESC LIMIT " + arg(limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return platform.Page[Ticket]{}, fmt.Errorf("support: list: %w", err)
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return platform.Page[Ticket]{}, fmt.Errorf("support: list: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[Ticket]{}, fmt.Errorf("support: list: %w", err)
	}
	return platform.NewPage(out, limit, func(t Ticket) platform.Cursor {
		return platform.Cursor{Key: t.CreatedAt.Format(time.RFC3339Nano), ID: t.ID}
	}), nil
}

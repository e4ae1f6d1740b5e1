package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Item is one stored entry.
type Item struct {
	ID         platform.ID     `json:"id"`
	At         time.Time       `json:"at"`
	ActorKind  string          `json:"actor_kind"`
	ActorID    platform.ID     `json:"actor_id,omitempty"`
	ActorName  string          `json:"actor_name"`
	ActorEmail string          `json:"actor_email,omitempty"`
	Action     string          `json:"action"`
	EntityType string          `json:"entity_type"`
	EntityID   string          `json:"entity_id"`
	Before     json.RawMessage `json:"before"`
	After      json.RawMessage `json:"after"`
	RequestID  string          `json:"request_id,omitempty"`
	IP         string          `json:"ip,omitempty"`
}

// Filter narrows a listing; empty fields match everything.
type Filter struct {
	// Actor matches a staff id exactly, or a part of the actor's email or
	// name, or an actor kind ("system", "cli").
	Actor      string
	Action     string
	EntityType string
	EntityID   string
	// From and To bound the time, From inclusive and To exclusive.
	From, To *time.Time
	Page     platform.PageRequest
}

// List returns entries newest first, one page at a time. It fails only on
// a database error.
func List(ctx context.Context, q store.Querier, f Filter) (platform.Page[Item], error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if a := strings.TrimSpace(f.Actor); a != "" {
		if id, err := platform.ParseID(a); err == nil {
			where = append(where, "actor_id = "+arg(int64(id)))
		} else {
			like := "%" + likeEscape(strings.ToLower(a)) + "%"
			p := arg(like)
			where = append(where, "(actor_email LIKE "+p+` ESCAPE '\' OR LOWER(actor_name) LIKE `+p+` ESCAPE '\' OR actor_kind = `+arg(a)+")")
		}
	}
	if f.Action != "" {
		where = append(where, "action = "+arg(f.Action))
	}
	if f.EntityType != "" {
		where = append(where, "entity_type = "+arg(f.EntityType))
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = "+arg(f.EntityID))
	}
	if f.From != nil {
		where = append(where, "at >= "+arg(store.Time(*f.From)))
	}
	if f.To != nil {
		where = append(where, "at < "+arg(store.Time(*f.To)))
	}
	if f.Page.After != nil {
		where = append(where, "id < "+arg(int64(f.Page.After.ID)))
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = platform.DefaultPageSize
	}
	query := `SELECT id, at, actor_kind, actor_id, actor_name, actor_email, action, entity_type, entity_id,
		before_json, after_json, request_id, ip FROM audit_log`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT " + arg(limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return platform.Page[Item]{}, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var items []Item
	for rows.Next() {
		var it Item
		var actorID sql.NullInt64
		var before, after sql.NullString
		if err := rows.Scan(&it.ID, &it.At, &it.ActorKind, &actorID, &it.ActorName, &it.ActorEmail, &it.Action,
			&it.EntityType, &it.EntityID, &before, &after, &it.RequestID, &it.IP); err != nil {
			return platform.Page[Item]{}, fmt.Errorf("audit: list: %w", err)
		}
		it.At = it.At.UTC()
		it.ActorID = platform.ID(actorID.Int64)
		if before.Valid {
			it.Before = json.RawMessage(before.String)
		}
		if after.Valid {
			it.After = json.RawMessage(after.String)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[Item]{}, fmt.Errorf("audit: list: %w", err)
	}
	return platform.NewPage(items, limit, func(it Item) platform.Cursor { return platform.Cursor{ID: it.ID} }), nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// FieldChange is one field that differs between before and after.
type FieldChange struct {
	Field  string
	Before string // compact JSON; "" when absent
	After  string
}

// Diff lists the top-level fields whose values differ between the before
// and after snapshots, sorted by name. Snapshots that are not JSON objects
// compare as a whole under the field name "".
func (it Item) Diff() []FieldChange {
	bm, bok := object(it.Before)
	am, aok := object(it.After)
	if !bok || !aok {
		if string(it.Before) == string(it.After) {
			return nil
		}
		return []FieldChange{{Before: string(it.Before), After: string(it.After)}}
	}
	keys := map[string]bool{}
	for k := range bm {
		keys[k] = true
	}
	for k := range am {
		keys[k] = true
	}
	var out []FieldChange
	for k := range keys {
		b, a := string(bm[k]), string(am[k])
		if b != a {
			out = append(out, FieldChange{Field: k, Before: b, After: a})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// object reads a snapshot as a JSON object; an absent snapshot is an empty
// object.
func object(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	m := map[string]json.RawMessage{}
	if len(raw) == 0 {
		return m, true
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false
	}
	return m, true
}

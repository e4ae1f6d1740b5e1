// Package audit keeps the record of who changed what: every write a staff
// user (or the system, or the command line) makes to business data adds one
// row, in the same transaction as the change, with full before and after
// snapshots as JSON. The console's audit page reads it back.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// Actor kinds.
const (
	KindStaff    = "staff"
	KindCustomer = "customer"
	KindSystem   = "system"
	KindCLI      = "cli"
)

// Actor is who made a change, as a snapshot: the name and email stay as
// they were when the entry was written, even if the user changes later.
type Actor struct {
	Kind    string
	StaffID platform.ID // 0 unless Kind is "staff"
	Name    string
	Email   string
	IP      string
}

// System is the actor of changes the application makes by itself (the
// first run, scheduled jobs).
var System = Actor{Kind: KindSystem, Name: "system"}

// CLI is the actor of changes made with the storeops command; who is the
// operating-system user or a note on what ran.
func CLI(who string) Actor {
	if who == "" {
		who = "cli"
	}
	return Actor{Kind: KindCLI, Name: who}
}

// ActorOf turns a request's principal into an actor; nil is anonymous
// (recorded as kind "system" with name "anon" so the row still says it).
func ActorOf(p *web.Principal) Actor {
	switch {
	case p.IsStaff():
		return Actor{Kind: KindStaff, StaffID: p.StaffID, Name: p.Name, Email: p.Email}
	case p != nil && p.CustomerID != 0:
		return Actor{Kind: KindCustomer, Name: "customer:" + p.CustomerID.String()}
	}
	return Actor{Kind: KindSystem, Name: "anon"}
}

// ActorFrom is the actor of an HTTP request: its principal and client IP.
func ActorFrom(r *http.Request) Actor {
	a := ActorOf(web.PrincipalFrom(r.Context()))
	a.IP = ClientIP(r)
	return a
}

// ActorFromContext is the actor of the principal in ctx, without an IP
// (use ActorFrom when the request is at hand).
func ActorFromContext(ctx context.Context) Actor { return ActorOf(web.PrincipalFrom(ctx)) }

// ClientIP is the client's address (web.ClientIP: the TCP peer, or the
// forwarded address when the peer is a trusted proxy).
func ClientIP(r *http.Request) string { return web.ClientIP(r) }

// Entry is one change to record.
type Entry struct {
	Actor      Actor
	Action     string // "<domain>.<verb>": "staff.create", "staff.update"
	EntityType string // "staff_user", "product"…
	EntityID   string
	// Before and After are snapshots of the entity, marshalled to JSON;
	// nil stores NULL (nothing before a create, nothing after a delete).
	Before, After any
	// RequestID defaults to the request id in ctx.
	RequestID string
}

// Record writes e in tx, so the entry commits or rolls back with the change
// it describes. It fails only on a database error or a snapshot that does
// not marshal.
func Record(ctx context.Context, tx *store.Tx, e Entry) error {
	return RecordAll(ctx, tx, []Entry{e})
}

// auditCols are the columns of one audit_log row.
var auditCols = []string{"id", "at", "actor_kind", "actor_id", "actor_name", "actor_email", "action", "entity_type", "entity_id",
	"before_json", "after_json", "request_id", "ip"}

// RecordAll writes entries as Record would, with multi-row inserts: a
// bulk change (an import of thousands of products) audits each entity
// without one round trip per row.
func RecordAll(ctx context.Context, tx *store.Tx, entries []Entry) error {
	rows := make([][]any, 0, len(entries))
	for _, e := range entries {
		if e.Action == "" || e.EntityType == "" {
			return fmt.Errorf("audit: entry needs an action and an entity type")
		}
		if e.Actor.Kind == "" {
			e.Actor = System
		}
		if e.RequestID == "" {
			e.RequestID = web.RequestID(ctx)
		}
		before, err := snapshot(e.Before)
		if err != nil {
			return fmt.Errorf("audit: before of %s: %w", e.Action, err)
		}
		after, err := snapshot(e.After)
		if err != nil {
			return fmt.Errorf("audit: after of %s: %w", e.Action, err)
		}
		var actorID *int64
		if e.Actor.StaffID != 0 {
			v := int64(e.Actor.StaffID)
			actorID = &v
		}
		rows = append(rows, []any{int64(tx.NewID()), tx.Now, e.Actor.Kind, actorID, e.Actor.Name, e.Actor.Email, e.Action,
			e.EntityType, e.EntityID, before, after, e.RequestID, e.Actor.IP})
	}
	if err := store.InsertRows(ctx, tx, "audit_log", auditCols, rows, ""); err != nil {
		return fmt.Errorf("audit: record %d entries: %w", len(rows), err)
	}
	return nil
}

// Change records one change to an entity in one call: the helper other
// domains use beside their write.
func Change(ctx context.Context, tx *store.Tx, actor Actor, action, entityType string, id platform.ID, before, after any) error {
	return Record(ctx, tx, Entry{Actor: actor, Action: action, EntityType: entityType, EntityID: id.String(), Before: before, After: after})
}

func snapshot(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return nil, nil
	}
	s := string(b)
	return &s, nil
}

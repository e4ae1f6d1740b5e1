// Package outbox is the ordered log of domain events. A domain publishes an
// event in the same transaction as the change it describes; consumers read
// the log in order, each from its own position.
//
// Order and completeness: on PostgreSQL every event row carries the id of
// the transaction that wrote it (txid), and readers only take rows whose
// transaction is older than the oldest one still running
// (pg_snapshot_xmin). Events are delivered in (txid, id) order and a
// position is a (txid, id) pair, so an event whose transaction commits
// late is not skipped: it stays invisible to every reader until all
// transactions that could precede it have finished. On SQLite the single
// writer commits in id order; txid is 0 and the order is the id.
//
// The price on PostgreSQL: transaction ids are server-wide, so an event
// waits until every transaction that began writing before it, in any
// database on the server, has ended. A long write transaction (a bulk
// import, a session idle in transaction) delays every consumer until it
// ends; Lag and storeops_outbox_lag_seconds show it. Keep write
// transactions short and set idle_in_transaction_session_timeout.
//
// Delivery is at least once: a consumer's position advances only after its
// Handle returns nil, and a crash in between delivers the batch again.
// Handlers must therefore be idempotent (upserts, unique keys, "already
// sent" checks).
package outbox

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrationsFS embed.FS

// Migrations are the outbox tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrationsFS, "migrations")
	return store.Migrations{Name: "outbox", FS: sub}
}

// Event is one domain event.
type Event struct {
	// ID is set by Publish.
	ID platform.ID `json:"id"`
	// Topic names what happened, "<aggregate>.<past tense>": "order.placed".
	Topic string `json:"topic"`
	// Key is the aggregate's id, so a consumer can group or deduplicate.
	Key string `json:"key"`
	// Payload is the event's JSON body; empty means {}. PostgreSQL stores
	// it as JSONB, so consumers get it back normalised (spacing, key order).
	Payload json.RawMessage `json:"payload"`
	// At is the publishing transaction's now, set by Publish.
	At time.Time `json:"at"`

	txid int64
}

// Position is a place in the log: the (txid, id) of an event. The zero
// Position is before every event.
type Position struct {
	TxID int64
	ID   platform.ID
}

// Less reports whether p comes before q in the log.
func (p Position) Less(q Position) bool {
	return p.TxID < q.TxID || p.TxID == q.TxID && p.ID < q.ID
}

// Publish appends ev to the log in tx, so the event exists exactly when the
// change does. It fills in ev.ID and ev.At and, once tx commits, wakes
// this process's runners. ev is taken by value: the caller keeps its
// copy, and consumers see the stored one.
func Publish(ctx context.Context, tx *store.Tx, ev Event) error {
	return PublishAll(ctx, tx, []Event{ev})
}

// PublishAll writes events as Publish would, in their order, with
// multi-row inserts (a bulk change publishes thousands without one round
// trip each).
func PublishAll(ctx context.Context, tx *store.Tx, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	rows := make([][]any, 0, len(evs))
	for _, ev := range evs {
		if ev.Topic == "" {
			return errors.New("outbox: publish: event without topic")
		}
		if len(ev.Payload) == 0 {
			ev.Payload = json.RawMessage(`{}`)
		}
		if !json.Valid(ev.Payload) {
			return fmt.Errorf("outbox: publish %s: payload is not JSON", ev.Topic)
		}
		rows = append(rows, []any{tx.NewID(), ev.Topic, ev.Key, string(ev.Payload), tx.Now})
	}
	if err := store.InsertRows(ctx, tx, "outbox_events", []string{"id", "topic", "key", "payload", "at"}, rows, ""); err != nil {
		return fmt.Errorf("outbox: publish %s: %w", evs[0].Topic, err)
	}
	db := tx.DB()
	tx.AfterCommit(func() { wake(db) })
	return nil
}

// runners are the started runners by database, for Publish's wake-up.
var (
	runnersMu sync.Mutex
	runners   = map[*store.DB][]*Runner{}
)

func wake(db *store.DB) {
	runnersMu.Lock()
	rs := runners[db]
	runnersMu.Unlock()
	for _, r := range rs {
		r.Notify()
	}
}

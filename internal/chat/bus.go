package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"storeops/internal/store"
)

// bus carries events to every node's hub. publish sends with the
// transaction of the change (nothing is heard of a change that rolled
// back); publishNow sends at once (typing).
type bus interface {
	start(ctx context.Context) error
	stop(ctx context.Context)
	publish(ctx context.Context, tx *store.Tx, ev Event) error
	publishNow(ctx context.Context, ev Event) error
}

// localBus serves SQLite's single node: events go to the hub after the
// commit.
type localBus struct{ hub *Hub }

func (b localBus) start(context.Context) error { return nil }
func (b localBus) stop(context.Context)        {}

func (b localBus) publish(_ context.Context, tx *store.Tx, ev Event) error {
	tx.AfterCommit(func() { b.hub.deliver(ev) })
	return nil
}

func (b localBus) publishNow(_ context.Context, ev Event) error {
	b.hub.deliver(ev)
	return nil
}

// pgChannel is the NOTIFY channel of the chat.
const pgChannel = "storeops_chat"

// pgBus sends events with NOTIFY, which PostgreSQL delivers at commit to
// every node LISTENing, the sender included; each node's listener holds
// one connection of its own, outside the pool.
type pgBus struct {
	db  *store.DB
	hub *Hub
	log *slog.Logger

	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

func newPGBus(db *store.DB, hub *Hub, log *slog.Logger) *pgBus {
	return &pgBus{db: db, hub: hub, log: log}
}

func (b *pgBus) publish(ctx context.Context, tx *store.Tx, ev Event) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, pgChannel, string(data)); err != nil {
		return fmt.Errorf("chat: notify: %w", err)
	}
	return nil
}

func (b *pgBus) publishNow(ctx context.Context, ev Event) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if _, err := b.db.W.ExecContext(ctx, `SELECT pg_notify($1, $2)`, pgChannel, string(data)); err != nil {
		return fmt.Errorf("chat: notify: %w", err)
	}
	return nil
}

// start connects and LISTENs, returning once the first connection hears
// the channel; the listener then runs until stop, reconnecting with
// backoff and telling every client to fetch its history again after a
// gap.
func (b *pgBus) start(ctx context.Context) error {
	conn, err := b.listen(ctx)
	if err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	b.cancel, b.done = cancel, make(chan struct{})
	go b.run(runCtx, conn)
	return nil
}

func (b *pgBus) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, b.db.URL)
	if err != nil {
		return nil, fmt.Errorf("chat: listener: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgChannel); err != nil {
		_ = conn.Close(ctx)
		return nil, fmt.Errorf("chat: listen: %w", err)
	}
	return conn, nil
}

func (b *pgBus) run(ctx context.Context, conn *pgx.Conn) {
	defer close(b.done)
	wait := 100 * time.Millisecond
	for {
		for conn != nil {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				_ = conn.Close(context.Background())
				conn = nil
				if ctx.Err() != nil {
					return
				}
				b.log.Warn("chat: listener lost its connection", "err", err)
				break
			}
			wait = 100 * time.Millisecond
			var ev Event
			if err := json.Unmarshal([]byte(n.Payload), &ev); err != nil {
				b.log.Warn("chat: bad event", "err", err)
				continue
			}
			b.hub.deliver(ev)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		if wait < 5*time.Second {
			wait *= 2
		}
		c, err := b.listen(ctx)
		if err != nil {
			b.log.Warn("chat: listener reconnect", "err", err)
			continue
		}
		conn = c
		// Whatever was sent while nobody listened is in the database.
		b.hub.deliver(Event{Kind: KindResync})
	}
}

func (b *pgBus) stop(ctx context.Context) {
	b.once.Do(func() {
		if b.cancel == nil {
			return
		}
		b.cancel()
		select {
		case <-b.done:
		case <-ctx.Done():
		}
	})
}

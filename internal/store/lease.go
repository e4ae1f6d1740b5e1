package store

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"storeops/internal/platform"
)

//go:embed migrations
var migrationsFS embed.FS

// OwnMigrations are the store's own tables (node leases).
func OwnMigrations() Migrations {
	sub, _ := fsSub(migrationsFS, "migrations")
	return Migrations{Name: "store", FS: sub}
}

const leaseTTL = 2 * time.Minute

type nodeLease struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func (l *nodeLease) stop() { l.cancel(); <-l.done }

// LeaseNode gives this process a node number for its ids that no other live
// process holds, and keeps renewing it until Close. Needed on PostgreSQL,
// where several nodes share one database; a no-op when the id generator is
// already set (SQLite, or a fixed node).
func (db *DB) LeaseNode(ctx context.Context) error {
	if db.IDs != nil {
		return nil
	}
	host, _ := os.Hostname()
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	holder := fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(rnd[:]))
	var node int = -1
	err := db.Write(ctx, func(tx *Tx) error {
		// Take the lowest number that is free or whose holder stopped renewing.
		row := tx.QueryRowContext(ctx, `
			SELECT n FROM (
				SELECT COALESCE(MAX(node), -1) + 1 AS n FROM store_node_leases
				UNION ALL
				SELECT node FROM store_node_leases WHERE expires_at < $1
			) AS c ORDER BY n LIMIT 1`, tx.Now)
		if err := row.Scan(&node); err != nil {
			return err
		}
		if node > platform.MaxNode {
			return fmt.Errorf("store: all %d node numbers are leased", platform.MaxNode+1)
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO store_node_leases (node, holder, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (node) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE store_node_leases.expires_at < $4`, node, holder, tx.Now.Add(leaseTTL), tx.Now)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: lease node: %w", err)
	}
	// Confirm we hold it: a concurrent node may have won the same number.
	var got string
	if err := db.W.QueryRowContext(ctx, `SELECT holder FROM store_node_leases WHERE node = $1`, node).Scan(&got); err != nil || got != holder {
		return db.LeaseNode(ctx)
	}
	db.IDs = platform.NewIDGen(node)
	lctx, cancel := context.WithCancel(context.Background())
	db.lease = &nodeLease{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(db.lease.done)
		t := time.NewTicker(leaseTTL / 4)
		defer t.Stop()
		for {
			select {
			case <-lctx.Done():
				_, _ = db.W.ExecContext(context.Background(), `DELETE FROM store_node_leases WHERE node = $1 AND holder = $2`, node, holder)
				return
			case <-t.C:
				_, err := db.W.ExecContext(lctx, `UPDATE store_node_leases SET expires_at = $1 WHERE node = $2 AND holder = $3`,
					Time(time.Now()).Add(leaseTTL), node, holder)
				if err != nil && lctx.Err() == nil {
					db.Log.Error("renew node lease", "node", node, "err", err)
				}
			}
		}
	}()
	db.Log.Debug("leased node number", "node", node)
	return nil
}

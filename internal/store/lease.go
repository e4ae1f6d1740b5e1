package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"storeops/internal/platform"
)

const leaseTTL = 2 * time.Minute

type nodeLease struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func (l *nodeLease) stop() { l.cancel(); <-l.done }

// LeaseHealthy reports whether this process still holds its node number
// (always true without a lease).
func (db *DB) LeaseHealthy() bool { return !db.leaseLost.Load() }

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
	// Leases run on the wall clock, like their renewal, whatever clock
	// stamps business rows.
	now := Time(time.Now())
	err := db.Write(ctx, func(tx *Tx) error {
		// Take the lowest number that is free or whose holder stopped renewing.
		row := tx.QueryRowContext(ctx, `
			SELECT n FROM (
				SELECT 0 AS n WHERE NOT EXISTS (SELECT 1 FROM store_node_leases WHERE node = 0)
				UNION ALL
				SELECT l.node + 1 FROM store_node_leases l
				WHERE NOT EXISTS (SELECT 1 FROM store_node_leases m WHERE m.node = l.node + 1)
				UNION ALL
				SELECT node FROM store_node_leases WHERE expires_at < $1
			) AS c ORDER BY n LIMIT 1`, now)
		if err := row.Scan(&node); err != nil {
			return err
		}
		if node > platform.MaxNode {
			return fmt.Errorf("store: all %d node numbers are leased", platform.MaxNode+1)
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO store_node_leases (node, holder, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (node) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE store_node_leases.expires_at < $4`, node, holder, now.Add(leaseTTL), now)
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
				// Renew, or take the number back if it lapsed and nobody
				// else took it; if another process holds it now, this
				// node's ids could collide: report it unready.
				now := Time(time.Now())
				res, err := db.W.ExecContext(lctx, `
					INSERT INTO store_node_leases (node, holder, expires_at) VALUES ($1, $2, $3)
					ON CONFLICT (node) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
					WHERE store_node_leases.holder = excluded.holder OR store_node_leases.expires_at < $4`,
					node, holder, now.Add(leaseTTL), now)
				if err != nil {
					if lctx.Err() == nil {
						db.Log.Error("renew node lease", "node", node, "err", err)
					}
					continue
				}
				if n, _ := res.RowsAffected(); n == 0 {
					db.leaseLost.Store(true)
					db.Log.Error("node lease lost to another process; ids may collide, reporting unready", "node", node)
				}
			}
		}
	}()
	db.Log.Debug("leased node number", "node", node)
	return nil
}

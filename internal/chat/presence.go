package chat

import (
	"context"
	"fmt"
	"sync"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// presence counts this node's open inbox connections per agent, and
// keeps the agent's row in chat_presence fresh while there is one.
type presence struct {
	mu    sync.Mutex
	conns map[platform.ID]int
}

// heartbeat is how often a connected agent's presence row is renewed;
// the TTL (default 60 s) covers two missed beats.
const heartbeat = 20 * time.Second

// agentOnline records that the agent has the inbox open on this node.
func (s *Service) agentOnline(ctx context.Context, staffID platform.ID) error {
	s.pres.mu.Lock()
	s.pres.conns[staffID]++
	s.pres.mu.Unlock()
	return s.beat(ctx, staffID)
}

func (s *Service) beat(ctx context.Context, staffID platform.ID) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO chat_presence (staff_id, node, seen_at) VALUES ($1, $2, $3)
			ON CONFLICT (staff_id, node) DO UPDATE SET seen_at = excluded.seen_at`, staffID, s.node, tx.Now)
		if err != nil {
			return fmt.Errorf("chat: presence: %w", err)
		}
		return nil
	})
}

// agentOffline records that one of the agent's connections on this node
// ended; the row goes with the last one.
func (s *Service) agentOffline(ctx context.Context, staffID platform.ID) error {
	s.pres.mu.Lock()
	s.pres.conns[staffID]--
	last := s.pres.conns[staffID] <= 0
	if last {
		delete(s.pres.conns, staffID)
	}
	s.pres.mu.Unlock()
	if !last {
		return nil
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM chat_presence WHERE staff_id = $1 AND node = $2`, staffID, s.node)
		return err
	})
}

// AgentsOnline is how many agents have the inbox open on any node.
func (s *Service) AgentsOnline(ctx context.Context) (int, error) {
	var n int
	err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(DISTINCT staff_id) FROM chat_presence WHERE seen_at > $1`,
		s.db.Now().Add(-s.presenceTTL)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("chat: agents online: %w", err)
	}
	return n, nil
}

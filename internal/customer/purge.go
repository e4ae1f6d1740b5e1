package customer

import (
	"context"
	"fmt"
	"time"

	"storeops/internal/store"
)

// Purge deletes what the customer tables no longer need as of now:
// sessions that have expired, and throttle counters whose window has
// ended and whose lock (if any) has run out, which forgets nothing a
// live counter would still enforce. The platform's hourly housekeeping
// job calls it.
func Purge(ctx context.Context, db *store.DB, now time.Time) (sessions, counters int64, err error) {
	s := &Service{db: db, cfg: Config{}.withDefaults()}
	if sessions, err = s.PurgeSessions(ctx, now); err != nil {
		return 0, 0, fmt.Errorf("customer: purge sessions: %w", err)
	}
	if counters, err = s.PurgeThrottle(ctx, now.Add(-s.cfg.longestWindow())); err != nil {
		return sessions, 0, fmt.Errorf("customer: purge throttle: %w", err)
	}
	return sessions, counters, nil
}

// longestWindow is the longest throttle window: a counter that started
// before now minus this has ended in every scope.
func (c Config) longestWindow() time.Duration {
	return max(c.LoginLimit.Window, c.IPLimit.Window, c.SignUpLimit.Window)
}

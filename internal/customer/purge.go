package customer

import (
	"context"
	"fmt"
	"time"

	"storeops/internal/store"
)

// Purge deletes what the customer tables no longer need as of now:
// sessions that have expired, sign-in codes and reset links a day past
// their expiry (kept that long to answer "why did my code fail"), the SMS
// sandbox's record after a week, and throttle counters whose window has
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
	if err := s.purgeCodes(ctx, now); err != nil {
		return sessions, counters, fmt.Errorf("customer: purge codes: %w", err)
	}
	return sessions, counters, nil
}

// longestWindow is the longest throttle window: a counter that started
// before now minus this has ended in every scope.
func (c Config) longestWindow() time.Duration {
	return max(c.LoginLimit.Window, c.IPLimit.Window, c.SignUpLimit.Window)
}

// purgeCodes deletes expired sign-in codes and reset tokens, and old
// sandbox messages. A code's row also enforces the minute between codes
// to one number, which a day's margin keeps.
func (s *Service) purgeCodes(ctx context.Context, now time.Time) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		day := store.Time(now.Add(-24 * time.Hour))
		if _, err := tx.ExecContext(ctx, `DELETE FROM customer_otp_codes WHERE expires_at < $1`, day); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customer_reset_tokens WHERE expires_at < $1`, day); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sms_sandbox_messages WHERE created_at < $1`, store.Time(now.Add(-7*24*time.Hour)))
		return err
	})
}

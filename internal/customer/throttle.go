package customer

import (
	"context"
	"math"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Throttle scopes: failed sign-ins per login and per client address,
// sign-up attempts per client address.
const (
	scopeLogin  = "login"
	scopeIP     = "ip"
	scopeSignUp = "signup"
)

type throttleKey struct {
	scope, subject string
	limit          Limit
}

// throttleHit refuses the attempt when a subject is locked, else counts
// it. A subject reaching its limit is locked from now, so the attempt
// that reaches the limit still runs but the next one does not.
func (s *Service) throttleHit(ctx context.Context, tx *store.Tx, keys []throttleKey) error {
	var wait time.Duration
	var lockedScope string
	for _, k := range keys {
		var until *time.Time
		err := tx.QueryRowContext(ctx, `SELECT locked_until FROM customer_login_throttle WHERE scope = $1 AND subject = $2`,
			k.scope, k.subject).Scan(&until)
		if err != nil && !isNoRows(err) {
			return err
		}
		if until != nil && until.After(tx.Now) && until.Sub(tx.Now) > wait {
			wait, lockedScope = until.Sub(tx.Now), k.scope
		}
	}
	if wait > 0 {
		code := platform.CodeRateLimited
		if lockedScope == scopeLogin {
			code = platform.CodeLocked
		}
		e := platform.E(code)
		e.Extra = map[string]any{"retry_after": int(math.Ceil(wait.Seconds()))}
		return e
	}
	for _, k := range keys {
		var failures int
		err := tx.QueryRowContext(ctx, `INSERT INTO customer_login_throttle (scope, subject, failures, window_start)
			VALUES ($1, $2, 1, $3)
			ON CONFLICT (scope, subject) DO UPDATE SET
				failures = CASE WHEN customer_login_throttle.window_start < $4 THEN 1 ELSE customer_login_throttle.failures + 1 END,
				window_start = CASE WHEN customer_login_throttle.window_start < $4 THEN excluded.window_start ELSE customer_login_throttle.window_start END,
				locked_until = NULL
			RETURNING failures`, k.scope, k.subject, tx.Now, tx.Now.Add(-k.limit.Window)).Scan(&failures)
		if err != nil {
			return err
		}
		if failures >= k.limit.Failures {
			// Locked: the counter starts afresh when the lock ends.
			if _, err := tx.ExecContext(ctx, `UPDATE customer_login_throttle SET locked_until = $1, failures = 0, window_start = $1
				WHERE scope = $2 AND subject = $3`, tx.Now.Add(k.limit.Lockout), k.scope, k.subject); err != nil {
				return err
			}
		}
	}
	return nil
}

// throttleSucceeded forgets the login's failures and gives the address
// back the attempt a successful sign-in cost.
func (s *Service) throttleSucceeded(ctx context.Context, tx *store.Tx, keys []throttleKey) error {
	for _, k := range keys {
		var err error
		if k.scope == scopeLogin {
			_, err = tx.ExecContext(ctx, `DELETE FROM customer_login_throttle WHERE scope = $1 AND subject = $2`, k.scope, k.subject)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE customer_login_throttle SET failures = failures - 1, locked_until = NULL
				WHERE scope = $1 AND subject = $2 AND failures > 0`, k.scope, k.subject)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// PurgeThrottle deletes counters whose window and lock ended before
// cutoff; a periodic job calls it so the table stays small.
func (s *Service) PurgeThrottle(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM customer_login_throttle
			WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $1)`, store.Time(cutoff))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

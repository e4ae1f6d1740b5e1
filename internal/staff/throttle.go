package staff

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// The throttle keeps its counters in the database, so every node behind a
// load balancer sees the same attempts. Each bucket counts hits in a fixed
// window that starts with the first hit; an account bucket can also be
// locked until a time.

// hit counts one hit on bucket and returns the count in the current
// window and when that window started.
func hit(ctx context.Context, tx *store.Tx, bucket string, window time.Duration) (int, time.Time, error) {
	var n int
	var start time.Time
	err := tx.QueryRowContext(ctx, `INSERT INTO auth_throttle (bucket, window_start, hits) VALUES ($1, $2, 1)
		ON CONFLICT (bucket) DO UPDATE SET
			hits = CASE WHEN auth_throttle.window_start <= $3 THEN 1 ELSE auth_throttle.hits + 1 END,
			window_start = CASE WHEN auth_throttle.window_start <= $3 THEN $2 ELSE auth_throttle.window_start END
		RETURNING hits, window_start`,
		bucket, tx.Now, tx.Now.Add(-window)).Scan(&n, &start)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("staff: throttle %s: %w", bucket, err)
	}
	return n, start.UTC(), nil
}

func ipBucket(ip string) string         { return "ip:" + ip }
func accountBucket(email string) string { return "acct:" + NormalizeEmail(email) }

// retryAfter makes a 429-class error that tells the client when to retry,
// in whole seconds (at least one).
func retryAfter(code platform.Code, d time.Duration) *platform.Error {
	secs := int(math.Ceil(d.Seconds()))
	if secs < 1 {
		secs = 1
	}
	e := platform.E(code)
	e.Extra = map[string]any{"retry_after": secs}
	return e
}

// RetryAfter is the number of seconds a throttling error asks the client
// to wait, or 0.
func RetryAfter(err error) int {
	e := platform.AsError(err)
	if v, ok := e.Extra["retry_after"].(int); ok {
		return v
	}
	return 0
}

// accountAttempt counts an attempt on the account's bucket in tx, before
// its password is checked, and returns a CodeLocked error (as refused, not
// as a failure of tx) while the account is locked. Counting and the lock
// check are one statement on the bucket's row, so parallel attempts queue
// on it and at most AccountFailures of them per lock period get their
// password checked: the attempt that reaches the limit still runs and
// locks the account for the ones after it.
func (s *Service) accountAttempt(ctx context.Context, tx *store.Tx, email string) (refused error, err error) {
	if s.limits.AccountFailures <= 0 {
		return nil, nil
	}
	b := accountBucket(email)
	var n int
	var until sql.NullTime
	err = tx.QueryRowContext(ctx, `INSERT INTO auth_throttle (bucket, window_start, hits) VALUES ($1, $2, 1)
		ON CONFLICT (bucket) DO UPDATE SET
			hits = CASE WHEN auth_throttle.locked_until > $2 THEN auth_throttle.hits
				WHEN auth_throttle.window_start <= $3 THEN 1 ELSE auth_throttle.hits + 1 END,
			window_start = CASE WHEN auth_throttle.locked_until > $2 THEN auth_throttle.window_start
				WHEN auth_throttle.window_start <= $3 THEN $2 ELSE auth_throttle.window_start END
		RETURNING hits, locked_until`,
		b, tx.Now, tx.Now.Add(-s.limits.AccountWindow)).Scan(&n, &until)
	if err != nil {
		return nil, fmt.Errorf("staff: throttle %s: %w", b, err)
	}
	if until.Valid && until.Time.After(tx.Now) {
		return retryAfter(platform.CodeLocked, until.Time.Sub(tx.Now)), nil
	}
	if n >= s.limits.AccountFailures {
		// Locked: the count starts afresh for after the lock.
		_, err = tx.ExecContext(ctx, `UPDATE auth_throttle SET locked_until = $1, hits = 0, window_start = $2 WHERE bucket = $3`,
			tx.Now.Add(s.limits.AccountLock), tx.Now, b)
		if err != nil {
			return nil, fmt.Errorf("staff: lock %s: %w", b, err)
		}
	}
	return nil, nil
}

// countAccountAttempt is accountAttempt in a transaction of its own.
func (s *Service) countAccountAttempt(ctx context.Context, email string) error {
	var refused error
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		refused, err = s.accountAttempt(ctx, tx, email)
		return err
	})
	if err != nil {
		return err
	}
	return refused
}

// clearFailures forgets an account's failures after a good sign-in.
func (s *Service) clearFailures(ctx context.Context, email string) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM auth_throttle WHERE bucket = $1`, accountBucket(email))
		return err
	})
}

// PurgeThrottle deletes counters whose window and lock are long over.
func (s *Service) PurgeThrottle(ctx context.Context) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		old := tx.Now.Add(-24 * time.Hour)
		_, err := tx.ExecContext(ctx, `DELETE FROM auth_throttle WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $2)`, old, tx.Now)
		return err
	})
}

// Credentials are what a sign-in form sends.
type Credentials struct {
	Email    string
	Password string
	IP       string
}

// Login checks credentials and returns the user. Errors:
// CodeRateLimited (too many attempts from the address), CodeLocked (too
// many attempts on the account), CodeInvalidCredentials (unknown email,
// wrong password or deactivated user, indistinguishably and in the same
// time).
//
// The address and the account are charged for the attempt in one write
// transaction before the password is checked, so parallel guesses cannot
// all slip in under the limit; a good sign-in then clears the account's
// count.
func (s *Service) Login(ctx context.Context, c Credentials) (User, error) {
	email := NormalizeEmail(c.Email)
	valid := email != "" && len(email) <= 254 && len(c.Password) <= 4*MaxPassword
	var (
		u       User
		found   bool
		refused error
	)
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		u, found, refused = User{}, false, nil
		if c.IP != "" && s.limits.IPAttempts > 0 {
			n, start, err := hit(ctx, tx, ipBucket(c.IP), s.limits.IPWindow)
			if err != nil {
				return err
			}
			if n > s.limits.IPAttempts {
				return retryAfter(platform.CodeRateLimited, start.Add(s.limits.IPWindow).Sub(tx.Now))
			}
		}
		if !valid {
			return nil
		}
		var err error
		if refused, err = s.accountAttempt(ctx, tx, email); err != nil || refused != nil {
			return err
		}
		u, err = getUserByEmail(ctx, tx, email)
		if platform.ErrorCode(err) == platform.CodeNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		return nil
	})
	if err != nil {
		return User{}, err
	}
	if !valid {
		return User{}, platform.E(CodeInvalidCredentials)
	}
	if refused != nil {
		return User{}, refused
	}
	ok, rehash := false, false
	if found {
		ok, rehash, err = s.hasher.Verify(c.Password, u.passwordHash)
		if err != nil {
			return User{}, fmt.Errorf("staff: verify %s: %w", u.ID, err)
		}
	} else {
		s.hasher.VerifyNone(c.Password)
	}
	if !ok || !u.Active {
		return User{}, platform.E(CodeInvalidCredentials)
	}
	var newHash string
	if rehash {
		if newHash, err = s.hasher.Hash(c.Password); err != nil {
			s.log.WarnContext(ctx, "staff: rehash password", "staff_id", u.ID, "err", err)
			newHash = ""
		}
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM auth_throttle WHERE bucket = $1`, accountBucket(email)); err != nil {
			return fmt.Errorf("staff: clear failures: %w", err)
		}
		if newHash != "" {
			_, err := tx.ExecContext(ctx, `UPDATE staff_users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`, newHash, int64(u.ID), u.passwordHash)
			if err != nil {
				return fmt.Errorf("staff: rehash password: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

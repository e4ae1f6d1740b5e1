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

// checkIP counts a sign-in attempt from ip and refuses it past the limit
// with CodeRateLimited.
func (s *Service) checkIP(ctx context.Context, ip string) error {
	if ip == "" || s.limits.IPAttempts <= 0 {
		return nil
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		n, start, err := hit(ctx, tx, ipBucket(ip), s.limits.IPWindow)
		if err != nil {
			return err
		}
		if n > s.limits.IPAttempts {
			return retryAfter(platform.CodeRateLimited, start.Add(s.limits.IPWindow).Sub(tx.Now))
		}
		return nil
	})
}

// checkLocked fails with CodeLocked while the account's bucket is locked.
func (s *Service) checkLocked(ctx context.Context, email string) error {
	var until sql.NullTime
	err := s.db.R.QueryRowContext(ctx, `SELECT locked_until FROM auth_throttle WHERE bucket = $1`, accountBucket(email)).Scan(&until)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("staff: lockout: %w", err)
	}
	now := s.db.Now()
	if until.Valid && until.Time.After(now) {
		return retryAfter(platform.CodeLocked, until.Time.Sub(now))
	}
	return nil
}

// recordFailure counts a failed sign-in for the account and locks it when
// the limit is reached; the count then starts afresh for after the lock.
func (s *Service) recordFailure(ctx context.Context, email string) error {
	if s.limits.AccountFailures <= 0 {
		return nil
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		b := accountBucket(email)
		n, _, err := hit(ctx, tx, b, s.limits.AccountWindow)
		if err != nil {
			return err
		}
		if n >= s.limits.AccountFailures {
			_, err = tx.ExecContext(ctx, `UPDATE auth_throttle SET locked_until = $1, hits = 0, window_start = $2 WHERE bucket = $3`,
				tx.Now.Add(s.limits.AccountLock), tx.Now, b)
		}
		return err
	})
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
// many failures on the account), CodeInvalidCredentials (unknown email,
// wrong password or deactivated user, indistinguishably and in the same
// time).
func (s *Service) Login(ctx context.Context, c Credentials) (User, error) {
	if err := s.checkIP(ctx, c.IP); err != nil {
		return User{}, err
	}
	email := NormalizeEmail(c.Email)
	if email == "" || len(email) > 254 || len(c.Password) > 4*MaxPassword {
		return User{}, platform.E(CodeInvalidCredentials)
	}
	if err := s.checkLocked(ctx, email); err != nil {
		return User{}, err
	}
	u, err := getUserByEmail(ctx, s.db.R, email)
	if err != nil && platform.ErrorCode(err) != platform.CodeNotFound {
		return User{}, err
	}
	ok, rehash := false, false
	if err == nil {
		ok, rehash, err = s.hasher.Verify(c.Password, u.passwordHash)
		if err != nil {
			return User{}, fmt.Errorf("staff: verify %s: %w", u.ID, err)
		}
	} else {
		s.hasher.VerifyNone(c.Password)
	}
	if !ok || !u.Active {
		if err := s.recordFailure(ctx, email); err != nil {
			return User{}, err
		}
		return User{}, platform.E(CodeInvalidCredentials)
	}
	if err := s.clearFailures(ctx, email); err != nil {
		return User{}, err
	}
	if rehash {
		if hash, err := s.hasher.Hash(c.Password); err == nil {
			err = s.db.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE staff_users SET password_hash = $1 WHERE id = $2 AND password_hash = $3`, hash, int64(u.ID), u.passwordHash)
				return err
			})
			if err != nil {
				s.log.WarnContext(ctx, "staff: rehash password", "staff_id", u.ID, "err", err)
			}
		}
	}
	return u, nil
}

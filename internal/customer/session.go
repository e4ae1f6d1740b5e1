package customer

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Session is a signed-in browser.
type Session struct {
	CustomerID platform.ID
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	// TokenHash identifies the session without revealing its token.
	TokenHash string
}

// SessionMeta describes the client, for the customer's device list.
type SessionMeta struct {
	IP        string
	UserAgent string
}

// touchEvery bounds how often a busy session's last-seen time is written:
// a write per request would swamp the single SQLite writer.
const touchEvery = 5 * time.Minute

// hashToken is the stored form of a session token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// StartSession signs the customer in on a new session and returns its
// token (256 random bits), to be sent to the client once.
func (s *Service) StartSession(ctx context.Context, customerID platform.ID, meta SessionMeta) (string, *Session, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("customer: session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	if len(meta.UserAgent) > 256 {
		meta.UserAgent = meta.UserAgent[:256]
	}
	var sess *Session
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		sess = &Session{CustomerID: customerID, CreatedAt: tx.Now, LastSeenAt: tx.Now,
			ExpiresAt: tx.Now.Add(s.cfg.SessionIdle), TokenHash: hashToken(token)}
		_, err := tx.ExecContext(ctx, `INSERT INTO customer_sessions (token_hash, customer_id, created_at, last_seen_at, expires_at, ip, user_agent)
			VALUES ($1, $2, $3, $3, $4, $5, $6)`, sess.TokenHash, customerID, tx.Now, sess.ExpiresAt, meta.IP, meta.UserAgent)
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("customer: start session: %w", err)
	}
	return token, sess, nil
}

// SessionByToken returns the live session of token and slides its idle
// expiry forward (at most every few minutes, never past SessionMax).
// Errors: CodeUnauthenticated for an unknown or expired token, or an
// account that is no longer active.
func (s *Service) SessionByToken(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 100 {
		return nil, platform.E(platform.CodeUnauthenticated)
	}
	h := hashToken(token)
	var sess Session
	var status Status
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT s.customer_id, s.created_at, s.last_seen_at, s.expires_at, c.status
			FROM customer_sessions s JOIN customers c ON c.id = s.customer_id
			WHERE s.token_hash = $1`, h).Scan(&sess.CustomerID, &sess.CreatedAt, &sess.LastSeenAt, &sess.ExpiresAt, &status)
	})
	if isNoRows(err) {
		return nil, platform.E(platform.CodeUnauthenticated)
	}
	if err != nil {
		return nil, fmt.Errorf("customer: session: %w", err)
	}
	sess.TokenHash = h
	now := s.db.Now()
	if !sess.ExpiresAt.After(now) || status != StatusActive {
		return nil, platform.E(platform.CodeUnauthenticated)
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		expires := now.Add(s.cfg.SessionIdle)
		if hard := sess.CreatedAt.Add(s.cfg.SessionMax); expires.After(hard) {
			expires = hard
		}
		err := s.db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE customer_sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3`,
				tx.Now, store.Time(expires), h)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("customer: touch session: %w", err)
		}
		sess.LastSeenAt, sess.ExpiresAt = now, expires
	}
	return &sess, nil
}

// EndSession signs a token out. An unknown token is not an error.
func (s *Service) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM customer_sessions WHERE token_hash = $1`, hashToken(token))
		return err
	})
	if err != nil {
		return fmt.Errorf("customer: end session: %w", err)
	}
	return nil
}

// PurgeSessions deletes sessions that expired before cutoff.
func (s *Service) PurgeSessions(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM customer_sessions WHERE expires_at < $1`, store.Time(cutoff))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// EndOtherSessions signs the customer out everywhere but the session
// keep (a token hash; "" ends them all).
func (s *Service) EndOtherSessions(ctx context.Context, customerID platform.ID, keep string) error {
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM customer_sessions WHERE customer_id = $1 AND token_hash <> $2`, customerID, keep)
		return err
	})
	if err != nil {
		return fmt.Errorf("customer: end sessions: %w", err)
	}
	return nil
}

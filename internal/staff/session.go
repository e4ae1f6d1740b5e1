package staff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// SessionStore keeps scs sessions in the database (table staff_sessions)
// so every node sees every session. It implements scs.Store and
// scs.CtxStore on SQLite and PostgreSQL.
//
// Expiry is compared with the wall clock, not the database's business
// clock: scs computes deadlines with time.Now, and a test's frozen clock
// must not make fresh sessions look expired.
type SessionStore struct {
	db *store.DB
}

// NewSessionStore makes a store on db.
func NewSessionStore(db *store.DB) *SessionStore { return &SessionStore{db: db} }

func wallNow() time.Time { return store.Time(time.Now()) }

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.R.QueryRowContext(ctx, `SELECT data FROM staff_sessions WHERE token = $1 AND expiry > $2`, token, wallNow()).Scan(&b)
	if isNoRows(err) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("staff: session find: %w", err)
	}
	return b, true, nil
}

// CommitCtx saves a session, replacing its data and expiry.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO staff_sessions (token, data, expiry) VALUES ($1, $2, $3)
			ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, store.Time(expiry))
		if err != nil {
			return fmt.Errorf("staff: session commit: %w", err)
		}
		return nil
	})
}

// DeleteCtx removes a session; an unknown token is not an error.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE token = $1`, token)
		if err != nil {
			return fmt.Errorf("staff: session delete: %w", err)
		}
		return nil
	})
}

// Find implements scs.Store.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (s *SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteExpired removes expired sessions and returns how many.
func (s *SessionStore) DeleteExpired(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE expiry <= $1`, wallNow())
		if err != nil {
			return fmt.Errorf("staff: session cleanup: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// Session keys.
const (
	keyStaffID = "staff_id"
	keySeen    = "seen" // unix seconds of the last idle-timeout refresh
	// keyAuthVersion is the user's auth version at sign-in; the session
	// ends when the user's version changes (password set or changed,
	// account deactivated or reactivated).
	keyAuthVersion = "auth_version"
)

// touchEvery is how often a used session's idle deadline is pushed back;
// refreshing on every request would be a write per page view.
const touchEvery = time.Minute

// sessionToken reads the session cookie.
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(CookieName); err == nil {
		return c.Value
	}
	return ""
}

// sessionID is how a session appears in a principal and in logs: a short
// hash, never the cookie value itself.
func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}

// authenticateSession finds the staff user of the session cookie. A
// missing, expired or unknown session, and a user since deactivated, are
// anonymous (the console then asks to sign in). A session signed in under
// another auth version than the user's (the password was set since) is
// deleted.
func (s *Service) authenticateSession(r *http.Request) (*web.Principal, error) {
	token := sessionToken(r)
	if token == "" {
		return nil, nil
	}
	ctx, err := s.sessions.Load(r.Context(), token)
	if err != nil {
		// Undecodable session data: treat as signed out.
		s.log.WarnContext(r.Context(), "staff: session load", "err", err)
		return nil, nil
	}
	id := platform.ID(s.sessions.GetInt64(ctx, keyStaffID))
	if id == 0 {
		return nil, nil
	}
	u, err := getUser(r.Context(), s.db.R, id)
	if err != nil {
		if platform.ErrorCode(err) == platform.CodeNotFound {
			return nil, nil
		}
		return nil, err
	}
	if !u.Active {
		return nil, nil
	}
	if s.sessions.GetInt64(ctx, keyAuthVersion) != u.authVersion {
		if err := s.sessions.Destroy(ctx); err != nil {
			s.log.WarnContext(r.Context(), "staff: end stale session", "err", err)
		}
		return nil, nil
	}
	if now := time.Now().Unix(); now-s.sessions.GetInt64(ctx, keySeen) >= int64(touchEvery/time.Second) {
		s.sessions.Put(ctx, keySeen, now)
		if _, _, err := s.sessions.Commit(ctx); err != nil {
			s.log.WarnContext(r.Context(), "staff: session refresh", "err", err)
		}
	}
	return &web.Principal{StaffID: u.ID, Role: u.Role, Name: u.Name, Email: u.Email, SessionID: sessionID(token), Via: "session"}, nil
}

// startSession signs u in on this browser: a fresh token (the old one, if
// any, is deleted, so a planted cookie cannot be fixed on the victim), then
// the cookie. Expired sessions are swept on the way.
func (s *Service) startSession(w http.ResponseWriter, r *http.Request, u User) error {
	ctx, err := s.sessions.Load(r.Context(), sessionToken(r))
	if err != nil {
		ctx, err = s.sessions.Load(r.Context(), "")
		if err != nil {
			return err
		}
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return fmt.Errorf("staff: renew session: %w", err)
	}
	if err := s.sessions.Clear(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, keyStaffID, int64(u.ID))
	s.sessions.Put(ctx, keyAuthVersion, u.authVersion)
	s.sessions.Put(ctx, keySeen, time.Now().Unix())
	token, expiry, err := s.sessions.Commit(ctx)
	if err != nil {
		return fmt.Errorf("staff: save session: %w", err)
	}
	s.sessions.WriteSessionCookie(ctx, w, token, expiry)
	// Sign-ins are rare next to page views, so they sweep expired sessions
	// and stale throttle counters; no node needs a timer for it.
	if store, ok := s.sessions.Store.(*SessionStore); ok {
		if _, err := store.DeleteExpired(r.Context()); err != nil {
			s.log.WarnContext(r.Context(), "staff: session cleanup", "err", err)
		}
	}
	if err := s.PurgeThrottle(r.Context()); err != nil {
		s.log.WarnContext(r.Context(), "staff: throttle cleanup", "err", err)
	}
	return nil
}

// keepSession carries the caller's own session over a change of their
// auth version (their own password change): the session gets a fresh
// token and the new version, while every other session of the user ends.
func (s *Service) keepSession(w http.ResponseWriter, r *http.Request, version int64) error {
	ctx, err := s.sessions.Load(r.Context(), sessionToken(r))
	if err != nil {
		return fmt.Errorf("staff: load session: %w", err)
	}
	if s.sessions.GetInt64(ctx, keyStaffID) == 0 {
		return nil // not signed in by session (an API token)
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return fmt.Errorf("staff: renew session: %w", err)
	}
	s.sessions.Put(ctx, keyAuthVersion, version)
	s.sessions.Put(ctx, keySeen, time.Now().Unix())
	token, expiry, err := s.sessions.Commit(ctx)
	if err != nil {
		return fmt.Errorf("staff: save session: %w", err)
	}
	s.sessions.WriteSessionCookie(ctx, w, token, expiry)
	return nil
}

// endSession deletes the browser's session and its cookie.
func (s *Service) endSession(w http.ResponseWriter, r *http.Request) error {
	token := sessionToken(r)
	if token == "" {
		return nil
	}
	ctx, err := s.sessions.Load(r.Context(), token)
	if err != nil {
		ctx, _ = s.sessions.Load(r.Context(), "")
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return fmt.Errorf("staff: end session: %w", err)
	}
	s.sessions.WriteSessionCookie(ctx, w, "", time.Time{})
	return nil
}

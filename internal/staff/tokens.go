package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// TokenPrefix starts every API token, so a leaked one is recognisable (and
// secret scanners can be taught to find it).
const TokenPrefix = "so_"

// Token is an API token's record; the secret itself is never stored.
type Token struct {
	ID         platform.ID `json:"id"`
	StaffID    platform.ID `json:"staff_id"`
	Name       string      `json:"name"`
	Hint       string      `json:"hint"` // the first characters, to tell tokens apart
	CreatedAt  time.Time   `json:"created_at"`
	LastUsedAt *time.Time  `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time  `json:"expires_at,omitempty"`
	RevokedAt  *time.Time  `json:"revoked_at,omitempty"`
}

// EntityToken is the audit entity type of API tokens.
const EntityToken = "api_token"

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewToken is the input of CreateToken.
type NewToken struct {
	Email     string // whose token; it acts with their role
	Name      string
	ExpiresAt *time.Time
}

// CreateToken makes an API token for a staff user and returns its secret,
// which is shown once and cannot be recovered. The email is matched
// case-insensitively, as at sign-in. Errors: not found (no such
// user), CodeInvalid (inactive user, expiry in the past), CodeOwnerOnly (a
// non-owner making a token for an owner or admin other than themselves).
func (s *Service) CreateToken(ctx context.Context, by Acting, in NewToken) (string, Token, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", Token{}, err
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	email := NormalizeEmail(in.Email)
	name := strings.TrimSpace(in.Name)
	if name == "" {
		name = "api"
	}
	var t Token
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		u, err := getUserByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		if !u.Active {
			return platform.Invalid("email", "staff.inactive")
		}
		if by.Role != platform.RoleOwner && privileged(u.Role) && by.Actor.StaffID != u.ID {
			return platform.E(CodeOwnerOnly)
		}
		if in.ExpiresAt != nil && !in.ExpiresAt.After(tx.Now) {
			return platform.Invalid("expires_at", "field.invalid")
		}
		t = Token{ID: tx.NewID(), StaffID: u.ID, Name: name, Hint: secret[:len(TokenPrefix)+6], CreatedAt: tx.Now}
		if in.ExpiresAt != nil {
			e := store.Time(*in.ExpiresAt)
			t.ExpiresAt = &e
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO api_tokens (id, staff_id, name, hash, hint, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			int64(t.ID), int64(t.StaffID), t.Name, hashToken(secret), t.Hint, t.CreatedAt, t.ExpiresAt)
		if err != nil {
			return fmt.Errorf("staff: create token: %w", err)
		}
		return audit.Change(ctx, tx, by.Actor, "token.create", EntityToken, t.ID, nil, t)
	})
	if err != nil {
		return "", Token{}, err
	}
	return secret, t, nil
}

// RevokeToken stops a token from working. Errors: not found.
func (s *Service) RevokeToken(ctx context.Context, by Acting, id platform.ID) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, tx.Now, int64(id))
		if err != nil {
			return fmt.Errorf("staff: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.NotFound("token")
		}
		return audit.Change(ctx, tx, by.Actor, "token.revoke", EntityToken, id, map[string]bool{"revoked": false}, map[string]bool{"revoked": true})
	})
}

// bearer returns the token of an "Authorization: Bearer so_…" header, or "".
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return ""
	}
	t := strings.TrimSpace(h[7:])
	if !strings.HasPrefix(t, TokenPrefix) {
		return ""
	}
	return t
}

// authenticateToken finds the staff user of a bearer token. A token that
// is unknown, revoked, expired, or whose user is deactivated fails the
// request with CodeUnauthenticated.
func (s *Service) authenticateToken(r *http.Request) (*web.Principal, error) {
	secret := bearer(r)
	if secret == "" {
		return nil, nil
	}
	ctx := r.Context()
	var (
		id                      platform.ID
		u                       User
		lastUsed, expires, revd sql.NullTime
	)
	err := s.db.R.QueryRowContext(ctx, `SELECT t.id, t.last_used_at, t.expires_at, t.revoked_at, u.id, u.email, u.name, u.role, u.active
		FROM api_tokens t JOIN staff_users u ON u.id = t.staff_id WHERE t.hash = $1`, hashToken(secret)).
		Scan(&id, &lastUsed, &expires, &revd, &u.ID, &u.Email, &u.Name, &u.Role, &u.Active)
	if isNoRows(err) {
		return nil, platform.E(platform.CodeUnauthenticated)
	}
	if err != nil {
		return nil, fmt.Errorf("staff: token: %w", err)
	}
	now := s.db.Now()
	if revd.Valid || (expires.Valid && !expires.Time.After(now)) || !u.Active {
		return nil, platform.E(platform.CodeUnauthenticated)
	}
	// Record use at most once a minute: a write per API call would make
	// every read a write.
	if !lastUsed.Valid || now.Sub(lastUsed.Time) >= time.Minute {
		err := s.db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, tx.Now, int64(id))
			return err
		})
		if err != nil {
			s.log.WarnContext(ctx, "staff: token last used", "err", err)
		}
	}
	return &web.Principal{StaffID: u.ID, Role: u.Role, Name: u.Name, Email: u.Email, Via: "token"}, nil
}

// Authenticator recognises API tokens first, then the console session.
func (s *Service) Authenticator() web.Authenticator {
	return web.AuthenticatorFunc(func(r *http.Request) (*web.Principal, error) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			return nil, nil
		}
		if p, err := s.authenticateToken(r); p != nil || err != nil {
			return p, err
		}
		return s.authenticateSession(r)
	})
}

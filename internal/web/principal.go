package web

import (
	"context"
	"net/http"

	"storeops/internal/platform"
)

// Principal is who is calling: a staff user (console session or API
// token), a signed-in customer, or nobody (nil).
type Principal struct {
	StaffID    platform.ID
	Role       platform.Role
	Name       string
	Email      string
	CustomerID platform.ID
	// SessionID is set when the principal came from a session cookie
	// rather than a bearer token.
	SessionID string
	// Via is "session" or "token".
	Via string
}

// IsStaff reports whether the principal is a staff user.
func (p *Principal) IsStaff() bool { return p != nil && p.StaffID != 0 && p.Role != "" }

// Can reports whether the principal holds perm.
func (p *Principal) Can(perm platform.Permission) bool {
	return p.IsStaff() && platform.Can(p.Role, perm)
}

// Actor names the principal in audit entries and idempotency scopes:
// "staff:ID", "customer:ID" or "anon".
func (p *Principal) Actor() string {
	switch {
	case p.IsStaff():
		return "staff:" + p.StaffID.String()
	case p != nil && p.CustomerID != 0:
		return "customer:" + p.CustomerID.String()
	}
	return "anon"
}

type principalKey struct{}

// WithPrincipal stores p in ctx.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller, or nil.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Authenticator finds the principal of a request (session cookie, bearer
// token). It returns nil, nil for an anonymous request; an error only for
// a credential that is present but wrong (an expired or unknown token),
// which the request then fails with.
type Authenticator interface {
	Authenticate(r *http.Request) (*Principal, error)
}

// AuthenticatorFunc adapts a function.
type AuthenticatorFunc func(r *http.Request) (*Principal, error)

func (f AuthenticatorFunc) Authenticate(r *http.Request) (*Principal, error) { return f(r) }

// Authenticators tries each in turn and takes the first principal found.
type Authenticators []Authenticator

func (as Authenticators) Authenticate(r *http.Request) (*Principal, error) {
	var merged *Principal
	for _, a := range as {
		p, err := a.Authenticate(r)
		if err != nil {
			return nil, err
		}
		if p == nil {
			continue
		}
		if merged == nil {
			merged = p
			continue
		}
		// A shopper and a staff user may both be signed in on one browser.
		if merged.CustomerID == 0 {
			merged.CustomerID = p.CustomerID
		}
		if !merged.IsStaff() && p.IsStaff() {
			cid := merged.CustomerID
			merged = p
			merged.CustomerID = cid
		}
	}
	return merged, nil
}

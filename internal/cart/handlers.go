package cart

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"storeops/internal/platform"
	"storeops/internal/region"
	"storeops/internal/store"
	"storeops/internal/web"
)

// GuestCookie carries a guest's cart token: 256 random bits, stored only
// as a hash. It is a bearer secret for the cart, unlike the visitor id
// the traffic tracker sets.
const GuestCookie = "so_cart"

// handlers serve the cart API and the storefront cart page.
type handlers struct {
	svc    *Service
	rd     *web.Renderer
	secure bool
}

func (h *handlers) register(r *web.Router, rd *web.Renderer) {
	h.rd = rd
	r.Add(h.apiRoutes()...)
	r.Add(h.pageRoutes()...)
}

// owner finds whose cart a request is about. A signed-in customer who
// still carries a guest cart cookie gets the guest cart merged into
// theirs first, and the cookie cleared. With create set, a guest with no
// cookie gets a new token (and the cookie).
func (h *handlers) owner(w http.ResponseWriter, r *http.Request, create bool) (Owner, error) {
	token := ""
	if c, err := r.Cookie(GuestCookie); err == nil && validToken(c.Value) {
		token = c.Value
	}
	if p := web.PrincipalFrom(r.Context()); p != nil && p.CustomerID != 0 {
		if err := h.svc.AdoptGuestCart(w, r); err != nil {
			return Owner{}, err
		}
		return Owner{CustomerID: p.CustomerID}, nil
	}
	if token == "" && create {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return Owner{}, err
		}
		token = base64.RawURLEncoding.EncodeToString(b[:])
		h.setCookie(w, token, int(GuestIdle/time.Second))
	}
	return Owner{GuestToken: token}, nil
}

func (h *handlers) setCookie(w http.ResponseWriter, value string, maxAge int) {
	setGuestCookie(w, value, maxAge, h.secure)
}

func setGuestCookie(w http.ResponseWriter, value string, maxAge int, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: GuestCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
}

// AdoptGuestCart merges the guest cart a signed-in shopper's browser
// still carries into their own cart and clears its cookie; for anyone
// else it does nothing. Every page that reads the customer's cart (the
// cart, checkout) calls it first, whichever way they signed in.
func (s *Service) AdoptGuestCart(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	c, err := r.Cookie(GuestCookie)
	if p == nil || p.CustomerID == 0 || err != nil {
		return nil
	}
	if validToken(c.Value) {
		if err := s.Merge(r.Context(), p.CustomerID, c.Value); err != nil {
			return err
		}
	}
	setGuestCookie(w, "", -1, r.TLS != nil)
	return nil
}

// validToken accepts only what owner makes: 43 base64url characters.
func validToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// province is the destination for the shipping quote: ?province= (a
// six-digit province code), else the signed-in customer's default
// address, else unknown.
func (h *handlers) province(r *http.Request, o Owner) (string, error) {
	if code := r.URL.Query().Get("province"); code != "" {
		d, ok := region.Province(code)
		if !ok {
			return "", platform.Invalid("province", "field.invalid")
		}
		return d.Code, nil
	}
	if o.CustomerID == 0 {
		return "", nil
	}
	return defaultProvince(r.Context(), h.svc.db, o.CustomerID)
}

func defaultProvince(ctx context.Context, db *store.DB, customerID platform.ID) (string, error) {
	var code string
	err := db.R.QueryRowContext(ctx, `SELECT province_code FROM customer_addresses WHERE customer_id = $1 AND is_default`,
		customerID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return code, err
}

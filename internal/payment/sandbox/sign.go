package sandbox

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// The headers of a signed request, in both directions (merchant to
// gateway, gateway notifications to the merchant).
const (
	HeaderMerchant  = "X-Sandbox-Merchant"
	HeaderTimestamp = "X-Sandbox-Timestamp"
	HeaderNonce     = "X-Sandbox-Nonce"
	HeaderSignature = "X-Sandbox-Signature"
)

// Window is how far a signed request's timestamp may be from the
// receiver's clock. A receiver keeps the nonces it saw for this long on
// each side, so a captured request can never be played again.
const Window = 5 * time.Minute

// Verification failures. They say what was wrong for the log; a receiver
// answers every one of them the same way.
var (
	ErrUnsigned  = errors.New("sandbox: request is not signed")
	ErrSignature = errors.New("sandbox: signature does not match")
	ErrStale     = errors.New("sandbox: timestamp outside the window")
)

// Signed is a request's signature material.
type Signed struct {
	Merchant  string
	Timestamp int64 // Unix seconds
	Nonce     string
	Signature string // lowercase hex
}

// canonical is the string signed: every field on its own line, the body
// by its SHA-256, so neither a header nor a byte of the body can change
// without breaking the signature.
func canonical(merchant string, ts int64, nonce string, body []byte) []byte {
	sum := sha256.Sum256(body)
	s := "SANDBOX-HMAC-SHA256\n" + merchant + "\n" + strconv.FormatInt(ts, 10) + "\n" + nonce + "\n" + hex.EncodeToString(sum[:])
	return []byte(s)
}

// Sign signs body for merchant with secret at now, with a fresh nonce.
func Sign(merchant, secret string, now time.Time, body []byte) Signed {
	var b [16]byte
	_, _ = rand.Read(b[:])
	s := Signed{Merchant: merchant, Timestamp: now.Unix(), Nonce: hex.EncodeToString(b[:])}
	s.Signature = mac(secret, canonical(merchant, s.Timestamp, s.Nonce, body))
	return s
}

func mac(secret string, msg []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil))
}

// Apply sets the signature headers on h.
func (s Signed) Apply(h http.Header) {
	h.Set(HeaderMerchant, s.Merchant)
	h.Set(HeaderTimestamp, strconv.FormatInt(s.Timestamp, 10))
	h.Set(HeaderNonce, s.Nonce)
	h.Set(HeaderSignature, s.Signature)
}

// SignedFrom reads the signature headers; missing or malformed ones are
// ErrUnsigned.
func SignedFrom(h http.Header) (Signed, error) {
	s := Signed{Merchant: h.Get(HeaderMerchant), Nonce: h.Get(HeaderNonce), Signature: h.Get(HeaderSignature)}
	ts, err := strconv.ParseInt(h.Get(HeaderTimestamp), 10, 64)
	if err != nil || s.Merchant == "" || len(s.Nonce) < 16 || len(s.Nonce) > 64 || len(s.Signature) != 64 {
		return Signed{}, ErrUnsigned
	}
	s.Timestamp = ts
	return s, nil
}

// Verify checks the signature of body with secret and that the timestamp
// lies within Window of now. The caller must still refuse a nonce it has
// seen (Verify cannot know).
func (s Signed) Verify(secret string, now time.Time, body []byte) error {
	want := mac(secret, canonical(s.Merchant, s.Timestamp, s.Nonce, body))
	if !hmac.Equal([]byte(want), []byte(s.Signature)) {
		return ErrSignature
	}
	at := time.Unix(s.Timestamp, 0)
	if at.Before(now.Add(-Window)) || at.After(now.Add(Window)) {
		return ErrStale
	}
	return nil
}

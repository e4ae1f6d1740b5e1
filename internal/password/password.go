// Package password hashes and verifies passwords with argon2id, in the PHC
// string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash) so the parameters
// travel with each hash and can be raised later without a migration:
// Verify reports when a stored hash was made with weaker parameters than
// the hasher's, and the caller rehashes on the next successful sign-in.
//
// argon2id is deliberately expensive in memory and time. A burst of
// sign-ins must not exhaust the server's memory, so a Hasher bounds how
// many hashes run at once; callers beyond the bound wait their turn.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory      uint32 // KiB
	Iterations  uint32
	Parallelism uint8
	SaltLen     uint32
	KeyLen      uint32
}

// Default are production parameters: 64 MiB, 2 passes, 2 lanes (above the
// OWASP minimum of 19 MiB × 2), about 50–100 ms on one server core.
var Default = Params{Memory: 64 * 1024, Iterations: 2, Parallelism: 2, SaltLen: 16, KeyLen: 32}

// Cheap are parameters for tests and local development only: fast, and
// far too weak for real passwords.
var Cheap = Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// ErrMalformed is returned by Verify for a stored hash it cannot read.
var ErrMalformed = errors.New("password: malformed hash")

// Hasher hashes with one set of parameters, at most maxConcurrent at once.
// It is safe for concurrent use.
type Hasher struct {
	p     Params
	sem   chan struct{}
	dummy string
}

// NewHasher makes a hasher. maxConcurrent ≤ 0 means the number of CPUs;
// each running hash holds p.Memory KiB, so maxConcurrent × Memory bounds
// the memory sign-ins can take.
func NewHasher(p Params, maxConcurrent int) *Hasher {
	if maxConcurrent <= 0 {
		maxConcurrent = runtime.NumCPU()
	}
	if p.Parallelism == 0 {
		p.Parallelism = 1
	}
	if p.Memory < 8*uint32(p.Parallelism) {
		p.Memory = 8 * uint32(p.Parallelism)
	}
	if p.Iterations == 0 {
		p.Iterations = 1
	}
	if p.SaltLen == 0 {
		p.SaltLen = 16
	}
	if p.KeyLen == 0 {
		p.KeyLen = 32
	}
	h := &Hasher{p: p, sem: make(chan struct{}, maxConcurrent)}
	var pw [16]byte
	_, _ = rand.Read(pw[:])
	h.dummy, _ = h.Hash(base64.RawStdEncoding.EncodeToString(pw[:]))
	return h
}

// Params are the hasher's parameters.
func (h *Hasher) Params() Params { return h.p }

// Hash returns the PHC-encoded argon2id hash of pw with a fresh salt.
func (h *Hasher) Hash(pw string) (string, error) {
	salt := make([]byte, h.p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := h.derive(pw, salt, h.p)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.p.Memory, h.p.Iterations, h.p.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash, in constant time.
// needsRehash is true when pw matched but the hash was made with other
// parameters than the hasher's; the caller should store a new Hash(pw).
// err is ErrMalformed (wrapped) for a hash that cannot be read.
func (h *Hasher) Verify(pw, encoded string) (ok bool, needsRehash bool, err error) {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return false, false, err
	}
	got := h.derive(pw, salt, p)
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, p != h.p, nil
}

// VerifyNone does the work of a Verify that fails. Call it when the
// account does not exist, so that an unknown login takes as long as a
// wrong password and response times do not reveal which accounts exist.
func (h *Hasher) VerifyNone(pw string) {
	_, _, _ = h.Verify(pw, h.dummy)
}

func (h *Hasher) derive(pw string, salt []byte, p Params) []byte {
	h.sem <- struct{}{}
	defer func() { <-h.sem }()
	return argon2.IDKey([]byte(pw), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
}

// decode reads a PHC argon2id string. It refuses parameters far beyond any
// this package writes, so a tampered row cannot make Verify allocate
// gigabytes.
func decode(s string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: not argon2id", ErrMalformed)
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("%w: version", ErrMalformed)
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Iterations, &p.Parallelism); err != nil {
		return p, nil, nil, fmt.Errorf("%w: parameters", ErrMalformed)
	}
	if p.Memory < 8*uint32(p.Parallelism) || p.Memory > 1<<20 || p.Iterations < 1 || p.Iterations > 16 || p.Parallelism < 1 {
		return p, nil, nil, fmt.Errorf("%w: parameters out of range", ErrMalformed)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, fmt.Errorf("%w: salt", ErrMalformed)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, fmt.Errorf("%w: key", ErrMalformed)
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// Package idempotency stores Idempotency-Key records so that a client's
// retry of a create that moves money or stock gets the first response
// instead of doing the work twice.
//
// A key is scoped by the principal (who asks: "staff:123", "customer:5",
// "anon"), the method and the path. The first request with a key claims it
// with a pending row (Begin → Proceed), runs, and stores its response
// (Complete). A retry with the same request gets that response (Replay);
// one that arrives while the first still runs gets InFlight (409); the same
// key with a different request gets Mismatch (422). Records expire after TTL
// and Purge deletes them.
//
// Limits: the response is stored after the handler's own transaction has
// committed, not inside it. If the process dies between the two, the key
// stays pending until PendingTimeout and a retry then runs the handler
// again; handlers that move money or stock must also be safe against that
// (unique constraints, conditional updates).
package idempotency

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

const (
	// TTL is how long a key and its response are kept.
	TTL = 24 * time.Hour
	// PendingTimeout is how long a claimed key may stay pending before a
	// retry may take it over (the claiming process is presumed dead). It
	// must exceed the server's longest request.
	PendingTimeout = 5 * time.Minute
)

//go:embed migrations
var migrationsFS embed.FS

// Migrations are the package's tables; register them with the others.
func Migrations() store.Migrations {
	sub, err := fs.Sub(migrationsFS, "migrations")
	if err != nil {
		panic(err)
	}
	return store.Migrations{Name: "idempotency", FS: sub}
}

// Scope is what a key belongs to: the same key from another principal or
// on another endpoint is another key.
type Scope struct {
	Principal string
	Method    string
	Path      string
}

// Kind is Begin's verdict.
type Kind int

const (
	// Proceed: the key is claimed; run the request, then Complete or
	// Abandon with Outcome.Token.
	Proceed Kind = iota + 1
	// Replay: the request already ran; send Outcome.Response.
	Replay
	// InFlight: the same request is running now.
	InFlight
	// Mismatch: the key was used for a different request.
	Mismatch
)

func (k Kind) String() string {
	switch k {
	case Proceed:
		return "proceed"
	case Replay:
		return "replay"
	case InFlight:
		return "in_flight"
	case Mismatch:
		return "mismatch"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Response is a stored response.
type Response struct {
	Status int
	// Header holds only the stored subset (StoredHeaders).
	Header http.Header
	Body   []byte
}

// StoredHeaders are the response headers a replay repeats.
var StoredHeaders = []string{"Content-Type", "Location"}

// Outcome is the result of Begin.
type Outcome struct {
	Kind Kind
	// Token identifies this claim (Proceed only); Complete and Abandon
	// need it, so a request that lost its claim cannot overwrite another's.
	Token string
	// Response is the stored response (Replay only).
	Response *Response
}

// Err is the application error a client gets for InFlight
// (platform.CodeIdempotencyInFlight, 409) and Mismatch
// (platform.CodeIdempotencyMismatch, 422); nil otherwise.
func (o Outcome) Err() error {
	switch o.Kind {
	case InFlight:
		return platform.E(platform.CodeIdempotencyInFlight)
	case Mismatch:
		return platform.E(platform.CodeIdempotencyMismatch)
	}
	return nil
}

// ErrNotPending is returned by Complete and Abandon when the claim is gone:
// it expired and was taken over or purged.
var ErrNotPending = errors.New("idempotency: key is no longer pending for this request")

// HashRequest is the fingerprint that decides "same request": method, path
// with query, and body.
func HashRequest(method, requestURI string, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", method, requestURI)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Begin claims key for a request with hash reqHash, or says why not. An
// expired record counts as absent, and so does a pending one whose claim
// is older than PendingTimeout. It runs in its own write transaction, so
// of two simultaneous requests exactly one gets Proceed.
func Begin(ctx context.Context, db *store.DB, scope Scope, key, reqHash string) (Outcome, error) {
	token := newToken()
	var out Outcome
	err := db.Write(ctx, func(tx *store.Tx) error {
		// A row purged between the upsert and the read: try again.
		for range 3 {
			res, err := tx.ExecContext(ctx, `
				INSERT INTO idempotency_keys (principal, method, path, idem_key, request_hash, state, status, headers, body, owner, created_at, locked_until, expires_at)
				VALUES ($1, $2, $3, $4, $5, 'pending', 0, '', NULL, $6, $7, $8, $9)
				ON CONFLICT (principal, method, path, idem_key) DO UPDATE SET
					request_hash = excluded.request_hash, state = 'pending', status = 0, headers = '', body = NULL,
					owner = excluded.owner, created_at = excluded.created_at,
					locked_until = excluded.locked_until, expires_at = excluded.expires_at
				WHERE idempotency_keys.expires_at <= $10
					OR (idempotency_keys.state = 'pending' AND idempotency_keys.locked_until <= $11)`,
				scope.Principal, scope.Method, scope.Path, key, reqHash, token,
				tx.Now, tx.Now.Add(PendingTimeout), tx.Now.Add(TTL), tx.Now, tx.Now)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 1 {
				out = Outcome{Kind: Proceed, Token: token}
				return nil
			}
			var hash, state, headers string
			var status int
			var body []byte
			err = tx.QueryRowContext(ctx, `
				SELECT request_hash, state, status, headers, body FROM idempotency_keys
				WHERE principal = $1 AND method = $2 AND path = $3 AND idem_key = $4`,
				scope.Principal, scope.Method, scope.Path, key).Scan(&hash, &state, &status, &headers, &body)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			switch {
			case hash != reqHash:
				out = Outcome{Kind: Mismatch}
			case state == "pending":
				out = Outcome{Kind: InFlight}
			default:
				h, err := decodeHeaders(headers)
				if err != nil {
					return err
				}
				if body == nil {
					body = []byte{}
				}
				out = Outcome{Kind: Replay, Response: &Response{Status: status, Header: h, Body: body}}
			}
			return nil
		}
		return errors.New("record keeps disappearing")
	})
	if err != nil {
		return Outcome{}, fmt.Errorf("idempotency: begin: %w", err)
	}
	return out, nil
}

// Complete stores the response of the claim token made, so retries replay
// it. Store every final outcome the client may see again, 4xx included;
// for a 5xx call Abandon instead so a retry can run. Returns ErrNotPending
// when the claim was lost.
func Complete(ctx context.Context, db *store.DB, scope Scope, key, token string, resp Response) error {
	headers, err := encodeHeaders(resp.Header)
	if err != nil {
		return fmt.Errorf("idempotency: complete: %w", err)
	}
	body := resp.Body
	if body == nil {
		body = []byte{}
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE idempotency_keys SET state = 'done', status = $1, headers = $2, body = $3
			WHERE principal = $4 AND method = $5 AND path = $6 AND idem_key = $7 AND owner = $8 AND state = 'pending'`,
			resp.Status, headers, body, scope.Principal, scope.Method, scope.Path, key, token)
		if err != nil {
			return err
		}
		return mustAffect(res)
	})
	if err != nil {
		return fmt.Errorf("idempotency: complete: %w", err)
	}
	return nil
}

// Abandon releases the claim token made without storing a response, so a
// retry runs the request again. Use it when the request failed in a way a
// retry may cure (5xx). Returns ErrNotPending when the claim was lost.
func Abandon(ctx context.Context, db *store.DB, scope Scope, key, token string) error {
	err := db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `
			DELETE FROM idempotency_keys
			WHERE principal = $1 AND method = $2 AND path = $3 AND idem_key = $4 AND owner = $5 AND state = 'pending'`,
			scope.Principal, scope.Method, scope.Path, key, token)
		if err != nil {
			return err
		}
		return mustAffect(res)
	})
	if err != nil {
		return fmt.Errorf("idempotency: abandon: %w", err)
	}
	return nil
}

// Purge deletes the records expired at now and says how many. The job
// queue runs it periodically; Begin already ignores expired records, so
// purging late is harmless.
func Purge(ctx context.Context, db *store.DB, now time.Time) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE expires_at <= $1`, store.Time(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("idempotency: purge: %w", err)
	}
	return n, nil
}

func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotPending
	}
	return nil
}

func encodeHeaders(h http.Header) (string, error) {
	m := map[string]string{}
	for _, name := range StoredHeaders {
		if v := h.Get(name); v != "" {
			m[name] = v
		}
	}
	b, err := json.Marshal(m)
	return string(b), err
}

func decodeHeaders(s string) (http.Header, error) {
	h := http.Header{}
	if s == "" {
		return h, nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("stored headers: %w", err)
	}
	for k, v := range m {
		h.Set(k, v)
	}
	return h, nil
}

func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

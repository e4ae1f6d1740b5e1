package idempotency

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// HeaderKey is the request header carrying the key; HeaderReplayed marks a
// replayed response.
const (
	HeaderKey      = "Idempotency-Key"
	HeaderReplayed = "Idempotent-Replayed"
)

// Middleware applies Idempotency-Key semantics to unsafe requests (not GET,
// HEAD, OPTIONS, TRACE) that carry the header; others pass straight
// through. It reads the whole body (limit its size upstream) and hands the
// handler an identical copy, buffers the handler's response, stores it
// (unless 5xx, which releases the key so a retry can run), then sends it.
//
// scopeOf names the principal ("staff:123"); "" means "anon". writeProblem
// renders the errors: platform.CodeBadRequest for a malformed key,
// CodeTooLarge or CodeBadRequest for an unreadable body,
// CodeIdempotencyInFlight (409), CodeIdempotencyMismatch (422), or an
// internal error from the database.
func Middleware(db *store.DB, scopeOf func(*http.Request) string, writeProblem func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			vals := r.Header.Values(HeaderKey)
			if len(vals) == 0 || safeMethod(r.Method) {
				next.ServeHTTP(w, r)
				return
			}
			if len(vals) != 1 || !ValidKey(vals[0]) {
				writeProblem(w, r, platform.E(platform.CodeBadRequest))
				return
			}
			key := vals[0]
			body, err := io.ReadAll(r.Body)
			if err != nil {
				var tooLarge *http.MaxBytesError
				if errors.As(err, &tooLarge) {
					writeProblem(w, r, platform.E(platform.CodeTooLarge).Wrap(err))
				} else {
					writeProblem(w, r, platform.E(platform.CodeBadRequest).Wrap(err))
				}
				return
			}
			_ = r.Body.Close()
			r.Body = io.NopCloser(bytes.NewReader(body))

			principal := ""
			if scopeOf != nil {
				principal = scopeOf(r)
			}
			if principal == "" {
				principal = "anon"
			}
			scope := Scope{Principal: principal, Method: r.Method, Path: r.URL.Path}
			out, err := Begin(r.Context(), db, scope, key, HashRequest(r.Method, r.URL.RequestURI(), body))
			if err != nil {
				writeProblem(w, r, err)
				return
			}
			switch out.Kind {
			case Replay:
				for k, v := range out.Response.Header {
					w.Header()[k] = v
				}
				w.Header().Set(HeaderReplayed, "true")
				w.WriteHeader(out.Response.Status)
				_, _ = w.Write(out.Response.Body)
				return
			case InFlight, Mismatch:
				writeProblem(w, r, out.Err())
				return
			}

			// Proceed. The claim is settled even if the client goes away
			// or the handler panics.
			settle := context.WithoutCancel(r.Context())
			rec := &recorder{header: http.Header{}}
			settled := false
			defer func() {
				if !settled {
					if err := Abandon(settle, db, scope, key, out.Token); err != nil {
						db.Log.Error("idempotency: release key after panic", "err", err)
					}
				}
			}()
			next.ServeHTTP(rec, r)
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			if status >= 500 {
				err = Abandon(settle, db, scope, key, out.Token)
			} else {
				err = Complete(settle, db, scope, key, out.Token, Response{Status: status, Header: rec.header, Body: rec.body.Bytes()})
			}
			settled = true
			if err != nil {
				// The work is done; the client still gets its answer.
				db.Log.Error("idempotency: store response", "path", r.URL.Path, "status", status, "err", err)
			}
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			_, _ = w.Write(rec.body.Bytes())
		})
	}
}

// ValidKey reports whether k is 1–255 visible ASCII characters.
func ValidKey(k string) bool {
	if len(k) == 0 || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

func safeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// recorder buffers a response so it can be stored before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 && status >= 200 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

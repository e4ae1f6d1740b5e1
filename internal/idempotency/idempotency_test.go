package idempotency_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storeops/internal/idempotency"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var t0 = time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)

func each(t *testing.T, fn func(t *testing.T, db *store.DB, clock *platform.FixedClock)) {
	t.Helper()
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			clock := platform.NewFixedClock(t0)
			db := storetest.Open(t, d, storetest.Config{Sets: []store.Migrations{idempotency.Migrations()}, Clock: clock})
			fn(t, db, clock)
		})
	}
}

func writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	e := platform.AsError(err)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(e.Code.Status())
	_ = json.NewEncoder(w).Encode(map[string]string{"code": string(e.Code)})
}

// createOrder is a handler that counts its runs and echoes the body.
type createOrder struct {
	runs   atomic.Int64
	status int
	// entered and release, when set, pause the handler mid-request.
	entered chan struct{}
	release chan struct{}
}

func (h *createOrder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := h.runs.Add(1)
	if h.entered != nil {
		h.entered <- struct{}{}
		<-h.release
	}
	body, _ := io.ReadAll(r.Body)
	status := h.status
	if status == 0 {
		status = http.StatusCreated
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Location", fmt.Sprintf("/api/v1/orders/%d", n))
	w.Header().Set("X-Not-Stored", "x")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"run":%d,"echo":%q}`, n, body)
}

func server(t *testing.T, db *store.DB, h http.Handler) *httptest.Server {
	scopeOf := func(r *http.Request) string { return r.Header.Get("X-Principal") }
	srv := httptest.NewServer(idempotency.Middleware(db, scopeOf, writeProblem)(h))
	t.Cleanup(srv.Close)
	return srv
}

type result struct {
	status int
	header http.Header
	body   string
}

func post(t *testing.T, url, key, body string, hdr ...string) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set(idempotency.HeaderKey, key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return result{resp.StatusCode, resp.Header, string(b)}
}

func problemCode(r result) string {
	var p struct{ Code string }
	_ = json.Unmarshal([]byte(r.body), &p)
	return p.Code
}

func TestRetryReplaysStoredResponse(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, clock *platform.FixedClock) {
		h := &createOrder{}
		srv := server(t, db, h)
		first := post(t, srv.URL+"/orders", "k-1", `{"sku":"A1","qty":2}`)
		if first.status != http.StatusCreated || first.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatalf("first = %+v", first)
		}
		clock.Advance(time.Hour)
		again := post(t, srv.URL+"/orders", "k-1", `{"sku":"A1","qty":2}`)
		if again.status != first.status || again.body != first.body ||
			again.header.Get("Content-Type") != "application/json" || again.header.Get("Location") != "/api/v1/orders/1" {
			t.Fatalf("retry = %+v, want the first response %+v", again, first)
		}
		if again.header.Get(idempotency.HeaderReplayed) != "true" {
			t.Fatal("replay lacks Idempotent-Replayed: true")
		}
		if again.header.Get("X-Not-Stored") != "" {
			t.Fatal("replay repeated a header outside the stored subset")
		}
		if n := h.runs.Load(); n != 1 {
			t.Fatalf("handler ran %d times, want 1", n)
		}
		// No key, another principal, another path, a GET: all run the handler.
		post(t, srv.URL+"/orders", "", `{"sku":"A1","qty":2}`)
		if r := post(t, srv.URL+"/orders", "k-1", `{"sku":"A1","qty":2}`, "X-Principal", "customer:5"); r.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatal("a key of another principal was replayed")
		}
		post(t, srv.URL+"/refunds", "k-1", `{"sku":"A1","qty":2}`)
		if _, err := http.Get(srv.URL + "/orders"); err != nil {
			t.Fatal(err)
		}
		if n := h.runs.Load(); n != 5 {
			t.Fatalf("handler ran %d times, want 5", n)
		}
	})
}

func TestSameKeyDifferentRequestIsMismatch(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, _ *platform.FixedClock) {
		h := &createOrder{}
		srv := server(t, db, h)
		post(t, srv.URL+"/orders", "k-2", `{"qty":1}`)
		for _, r := range []result{
			post(t, srv.URL+"/orders", "k-2", `{"qty":2}`),
			post(t, srv.URL+"/orders?coupon=X", "k-2", `{"qty":1}`),
		} {
			if r.status != http.StatusUnprocessableEntity || problemCode(r) != string(platform.CodeIdempotencyMismatch) {
				t.Fatalf("same key, other request = %+v, want 422 %s", r, platform.CodeIdempotencyMismatch)
			}
		}
		if n := h.runs.Load(); n != 1 {
			t.Fatalf("handler ran %d times, want 1", n)
		}
	})
}

func TestInvalidKeys(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, _ *platform.FixedClock) {
		h := &createOrder{}
		srv := server(t, db, h)
		for _, key := range []string{strings.Repeat("k", 256), "has space", "ключ", "tab\tkey"} {
			r := post(t, srv.URL+"/orders", key, `{}`)
			if r.status != http.StatusBadRequest || problemCode(r) != string(platform.CodeBadRequest) {
				t.Errorf("key %q = %+v, want 400 %s", key, r, platform.CodeBadRequest)
			}
		}
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/orders", strings.NewReader(`{}`))
		req.Header[idempotency.HeaderKey] = []string{""}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("empty key = %d, want 400", resp.StatusCode)
		}
		if r := post(t, srv.URL+"/orders", strings.Repeat("~", 255), `{}`); r.status != http.StatusCreated {
			t.Errorf("255-character key = %+v, want 201", r)
		}
		if n := h.runs.Load(); n != 1 {
			t.Fatalf("handler ran %d times, want 1", n)
		}
	})
}

// A 5xx releases the key so a retry runs; a 4xx is final and replayed.
func TestServerErrorReleasesClientErrorIsStored(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, _ *platform.FixedClock) {
		h := &createOrder{status: http.StatusServiceUnavailable}
		srv := server(t, db, h)
		if r := post(t, srv.URL+"/orders", "k-5xx", `{}`); r.status != http.StatusServiceUnavailable {
			t.Fatalf("first = %+v", r)
		}
		h.status = http.StatusCreated
		if r := post(t, srv.URL+"/orders", "k-5xx", `{}`); r.status != http.StatusCreated || r.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatalf("retry after 503 = %+v, want a fresh 201", r)
		}
		h.status = http.StatusConflict
		first := post(t, srv.URL+"/orders", "k-4xx", `{}`)
		again := post(t, srv.URL+"/orders", "k-4xx", `{}`)
		if first.status != http.StatusConflict || again.status != http.StatusConflict || again.body != first.body ||
			again.header.Get(idempotency.HeaderReplayed) != "true" {
			t.Fatalf("4xx first %+v, retry %+v; want the 409 replayed", first, again)
		}
		if n := h.runs.Load(); n != 3 {
			t.Fatalf("handler ran %d times, want 3", n)
		}
	})
}

func TestPanicReleasesKey(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, _ *platform.FixedClock) {
		var runs atomic.Int64
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if runs.Add(1) == 1 {
				panic(http.ErrAbortHandler) // net/http closes the connection quietly
			}
			w.WriteHeader(http.StatusCreated)
		})
		srv := server(t, db, h)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/orders", strings.NewReader(`{}`))
		req.Header.Set(idempotency.HeaderKey, "k-panic")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("panicking handler answered %d", resp.StatusCode)
		}
		if r := post(t, srv.URL+"/orders", "k-panic", `{}`); r.status != http.StatusCreated {
			t.Fatalf("retry after panic = %+v, want 201", r)
		}
	})
}

// Two simultaneous requests with one key: exactly one runs, the other is
// told the request is in flight.
func TestConcurrentSameKey(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, _ *platform.FixedClock) {
		h := &createOrder{entered: make(chan struct{}), release: make(chan struct{})}
		srv := server(t, db, h)
		done := make(chan result, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/orders", strings.NewReader(`{"qty":1}`))
			req.Header.Set(idempotency.HeaderKey, "k-race")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- result{status: -1, body: err.Error()}
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			done <- result{resp.StatusCode, resp.Header, string(b)}
		}()
		<-h.entered
		second := post(t, srv.URL+"/orders", "k-race", `{"qty":1}`)
		close(h.release)
		first := <-done
		if first.status != http.StatusCreated {
			t.Fatalf("first = %+v, want 201", first)
		}
		if second.status != http.StatusConflict || problemCode(second) != string(platform.CodeIdempotencyInFlight) {
			t.Fatalf("second = %+v, want 409 %s", second, platform.CodeIdempotencyInFlight)
		}
		if n := h.runs.Load(); n != 1 {
			t.Fatalf("handler ran %d times, want 1", n)
		}
	})
}

// Many goroutines race Begin on one key: exactly one claims it.
func TestConcurrentBeginOneWinner(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, _ *platform.FixedClock) {
		ctx := context.Background()
		scope := idempotency.Scope{Principal: "staff:1", Method: "POST", Path: "/api/v1/refunds"}
		hash := idempotency.HashRequest("POST", "/api/v1/refunds", []byte(`{"amount":100}`))
		const n = 16
		var wg sync.WaitGroup
		var start sync.WaitGroup
		start.Add(1)
		kinds := make(chan idempotency.Kind, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start.Wait()
				out, err := idempotency.Begin(ctx, db, scope, "k-many", hash)
				if err != nil {
					t.Error(err)
					return
				}
				kinds <- out.Kind
			}()
		}
		start.Done()
		wg.Wait()
		close(kinds)
		count := map[idempotency.Kind]int{}
		for k := range kinds {
			count[k]++
		}
		if count[idempotency.Proceed] != 1 || count[idempotency.InFlight] != n-1 {
			t.Fatalf("outcomes = %v, want 1 proceed and %d in flight", count, n-1)
		}
	})
}

func TestExpiryAndPurge(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, clock *platform.FixedClock) {
		ctx := context.Background()
		h := &createOrder{}
		srv := server(t, db, h)
		post(t, srv.URL+"/orders", "k-exp", `{}`)
		clock.Set(t0.Add(idempotency.TTL - time.Second))
		if r := post(t, srv.URL+"/orders", "k-exp", `{}`); r.header.Get(idempotency.HeaderReplayed) != "true" {
			t.Fatalf("just before expiry = %+v, want a replay", r)
		}
		// A different body is still a mismatch before expiry…
		if r := post(t, srv.URL+"/orders", "k-exp", `{"x":1}`); r.status != http.StatusUnprocessableEntity {
			t.Fatalf("different body before expiry = %+v, want 422", r)
		}
		clock.Set(t0.Add(idempotency.TTL + time.Second))
		// …and after expiry the key is fresh, whatever the body.
		if r := post(t, srv.URL+"/orders", "k-exp", `{"x":1}`); r.status != http.StatusCreated || r.header.Get(idempotency.HeaderReplayed) != "" {
			t.Fatalf("after expiry = %+v, want a fresh 201", r)
		}
		if n := h.runs.Load(); n != 2 {
			t.Fatalf("handler ran %d times, want 2", n)
		}
		post(t, srv.URL+"/orders", "k-other", `{}`)
		if got := storetest.Count(t, db, `SELECT COUNT(*) FROM idempotency_keys`); got != 2 {
			t.Fatalf("%d keys stored, want 2", got)
		}
		n, err := idempotency.Purge(ctx, db, clock.Now().Add(idempotency.TTL-time.Second))
		if err != nil || n != 0 {
			t.Fatalf("purge before expiry deleted %d, %v", n, err)
		}
		n, err = idempotency.Purge(ctx, db, clock.Now().Add(idempotency.TTL))
		if err != nil || n != 2 {
			t.Fatalf("purge at expiry deleted %d, %v; want 2", n, err)
		}
	})
}

// A claim whose holder died is taken over after PendingTimeout, and the
// old holder can no longer complete it.
func TestStalePendingTakeover(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB, clock *platform.FixedClock) {
		ctx := context.Background()
		scope := idempotency.Scope{Principal: "anon", Method: "POST", Path: "/api/v1/orders"}
		hash := idempotency.HashRequest("POST", "/api/v1/orders", nil)
		first, err := idempotency.Begin(ctx, db, scope, "k-stale", hash)
		if err != nil || first.Kind != idempotency.Proceed {
			t.Fatalf("first = %+v, %v", first, err)
		}
		clock.Advance(idempotency.PendingTimeout - time.Second)
		if out, err := idempotency.Begin(ctx, db, scope, "k-stale", hash); err != nil || out.Kind != idempotency.InFlight {
			t.Fatalf("within the timeout = %+v, %v; want in flight", out, err)
		}
		clock.Advance(2 * time.Second)
		second, err := idempotency.Begin(ctx, db, scope, "k-stale", hash)
		if err != nil || second.Kind != idempotency.Proceed || second.Token == first.Token {
			t.Fatalf("after the timeout = %+v, %v; want a new claim", second, err)
		}
		resp := idempotency.Response{Status: 201, Header: http.Header{"Location": {"/x"}}, Body: []byte("ok")}
		if err := idempotency.Complete(ctx, db, scope, "k-stale", first.Token, resp); !errors.Is(err, idempotency.ErrNotPending) {
			t.Fatalf("stale holder's Complete = %v, want ErrNotPending", err)
		}
		if err := idempotency.Abandon(ctx, db, scope, "k-stale", first.Token); !errors.Is(err, idempotency.ErrNotPending) {
			t.Fatalf("stale holder's Abandon = %v, want ErrNotPending", err)
		}
		if err := idempotency.Complete(ctx, db, scope, "k-stale", second.Token, resp); err != nil {
			t.Fatal(err)
		}
		out, err := idempotency.Begin(ctx, db, scope, "k-stale", hash)
		if err != nil || out.Kind != idempotency.Replay || out.Response.Status != 201 ||
			string(out.Response.Body) != "ok" || out.Response.Header.Get("Location") != "/x" {
			t.Fatalf("after completion = %+v, %v; want the replay", out, err)
		}
		// A done record is never taken over before it expires.
		clock.Advance(2 * idempotency.PendingTimeout)
		if out, _ := idempotency.Begin(ctx, db, scope, "k-stale", hash); out.Kind != idempotency.Replay {
			t.Fatalf("done record later = %v, want replay", out.Kind)
		}
	})
}

func TestValidKey(t *testing.T) {
	for k, want := range map[string]bool{
		"a": true, "9f1c-44": true, strings.Repeat("x", 255): true, "!~": true,
		"": false, strings.Repeat("x", 256): false, "a b": false, "é": false, "a\x7f": false, "a\n": false,
	} {
		if got := idempotency.ValidKey(k); got != want {
			t.Errorf("ValidKey(%q) = %v, want %v", k, got, want)
		}
	}
}

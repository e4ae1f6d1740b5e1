package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"storeops/internal/platform"
)

// reqInfo travels with a request so the outer middleware learns what the
// inner layers decided (the route matched, the error code), without
// depending on ServeMux mutating a request that WithContext copied.
type reqInfo struct {
	id        string
	route     string
	surface   Surface
	clientIP  string
	errCode   platform.Code
	log       *slog.Logger
	htmlError HTMLErrorFunc
	// rawBody is the body before the MaxBody limit, for RaiseBodyLimit.
	rawBody io.ReadCloser
}

type infoKey struct{}

// RaiseBodyLimit lets an upload handler accept a body of up to n bytes
// instead of the stack's MaxBody (which wraps the body before any route
// runs, so a second MaxBytesReader alone could only lower it). Call it
// before reading the body.
func RaiseBodyLimit(w http.ResponseWriter, r *http.Request, n int64) {
	body := r.Body
	if info, ok := r.Context().Value(infoKey{}).(*reqInfo); ok && info.rawBody != nil {
		body = info.rawBody
	}
	r.Body = http.MaxBytesReader(w, body, n)
}

func infoFrom(ctx context.Context) *reqInfo {
	i, _ := ctx.Value(infoKey{}).(*reqInfo)
	return i
}

// RequestID is the request's id (also sent back as X-Request-ID).
func RequestID(ctx context.Context) string {
	if i := infoFrom(ctx); i != nil {
		return i.id
	}
	return ""
}

// HTMLErrorFunc renders an error page for the storefront or console.
type HTMLErrorFunc func(w http.ResponseWriter, r *http.Request, surface Surface, status int, e *platform.Error)

// Config configures the middleware stack.
type Config struct {
	Log *slog.Logger
	// Auth finds the caller; nil means everyone is anonymous.
	Auth Authenticator
	// MaxBody bounds request bodies (default 1 MiB); routes that take
	// uploads raise it with http.MaxBytesReader themselves.
	MaxBody int64
	// HTMLError renders error pages; nil renders problems everywhere.
	HTMLError HTMLErrorFunc
	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed (see ClientIP); empty means the TCP peer is the client.
	TrustedProxies []netip.Prefix
}

var (
	httpDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "storeops_http_request_duration_seconds",
		Help:    "Latency of HTTP requests by route pattern and status class.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route", "code"})
	httpInFlight = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "storeops_http_requests_in_flight",
		Help: "Requests being served.",
	})
)

// Stack wraps next (normally the Router) in the stack every request
// passes: request id, panic recovery, access log and metrics, body limit,
// response compression, cross-origin protection on unsafe methods,
// language, authentication.
func Stack(cfg Config, next http.Handler) http.Handler {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 1 << 20
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		Fail(w, r, platform.E(platform.CodeCrossOrigin))
	}))
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := rejectNUL(r); err != nil {
			Fail(w, r, err)
			return
		}
		if cfg.Auth != nil {
			p, err := cfg.Auth.Authenticate(r)
			if err != nil {
				Fail(w, r, err)
				return
			}
			if p != nil {
				r = r.WithContext(WithPrincipal(r.Context(), p))
			}
		}
		next.ServeHTTP(w, r)
	})
	protected := Compress(cop.Handler(inner))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{id: requestID(r), htmlError: cfg.HTMLError, clientIP: clientIPOf(r, cfg.TrustedProxies)}
		info.log = cfg.Log.With("request_id", info.id)
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		w.Header().Set("X-Request-ID", info.id)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		httpInFlight.Inc()
		defer func() {
			httpInFlight.Dec()
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				info.log.Error("panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if !rec.wrote {
					Fail(rec, r, platform.E(platform.CodeInternal))
				}
			}
			route := info.route
			if route == "" {
				route = "unmatched"
			}
			elapsed := time.Since(start)
			httpDuration.WithLabelValues(route, strconv.Itoa(rec.status)).Observe(elapsed.Seconds())
			level := slog.LevelInfo
			if rec.status >= 500 {
				level = slog.LevelError
			}
			info.log.Log(r.Context(), level, "http", "method", r.Method, "path", r.URL.Path, "route", route,
				"status", rec.status, "bytes", rec.bytes, "ms", float64(elapsed.Microseconds())/1000, "code", info.errCode)
		}()
		info.rawBody = r.Body
		r.Body = http.MaxBytesReader(rec, r.Body, cfg.MaxBody)
		protected.ServeHTTP(rec, r)
	})
}

// rejectNUL refuses a NUL character anywhere in the path, the query or a
// posted form: PostgreSQL cannot store it in text, and no person types it,
// so it is refused at the door (400) rather than failing deep inside a
// handler as a 500.
func rejectNUL(r *http.Request) error {
	if strings.ContainsRune(r.URL.Path, 0) || strings.Contains(strings.ToLower(r.URL.RawQuery), "%00") {
		return platform.Errorf(platform.CodeBadRequest, "error.nul_char")
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	if strings.TrimSpace(ct) != "application/x-www-form-urlencoded" {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return platform.E(platform.CodeTooLarge)
		}
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	for _, vs := range r.PostForm {
		for _, v := range vs {
			if strings.ContainsRune(v, 0) {
				return platform.Errorf(platform.CodeBadRequest, "error.nul_char")
			}
		}
	}
	return nil
}

// requestID takes a sane incoming X-Request-ID (from a proxy) or makes one.
func requestID(r *http.Request) string {
	if v := r.Header.Get("X-Request-ID"); v != "" && len(v) <= 64 {
		ok := true
		for _, c := range v {
			if c < '!' || c > '~' {
				ok = false
				break
			}
		}
		if ok {
			return v
		}
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer
// (flushing, deadlines, hijacking for WebSockets).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// LangCookie is the cookie the language switch sets.
const LangCookie = "lang"

// LangOf is the request's language: the switch's cookie; else, for the
// JSON API, Accept-Language; else zh-CN. Pages (console and storefront)
// are Chinese first whatever the browser's default says: a person switches
// with the language button, which sets the cookie.
func LangOf(r *http.Request) platform.Lang {
	if c, err := r.Cookie(LangCookie); err == nil {
		switch platform.Lang(c.Value) {
		case platform.EN:
			return platform.EN
		case platform.ZH:
			return platform.ZH
		}
	}
	if surfaceOfPath(r.URL.Path).JSON() || wantsJSON(r) {
		return platform.ParseLang(r.Header.Get("Accept-Language"))
	}
	return platform.ZH
}

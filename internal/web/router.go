// Package web is the HTTP kernel: the route table with its permission
// checks, the one place errors become responses, JSON decoding, templates,
// static assets and the middleware every request passes through. Domains
// add routes to it through their module; web imports no domain.
package web

import (
	"net/http"
	"sort"
	"strings"

	"storeops/internal/platform"
)

// Surface is the audience of a route. It decides how a route authenticates
// and how its errors render.
type Surface string

const (
	// Shop is the shopper-facing storefront (HTML).
	Shop Surface = "shop"
	// API is the public and customer JSON API under /api/v1.
	API Surface = "api"
	// AdminAPI is the staff JSON API under /api/v1/admin; Bearer tokens or
	// a console session, always with a permission.
	AdminAPI Surface = "admin_api"
	// Console is the operations console (HTML) under /console.
	Console Surface = "console"
	// System is health, metrics and static files.
	System Surface = "system"
)

// JSON reports whether errors on this surface render as problem JSON.
func (s Surface) JSON() bool { return s == API || s == AdminAPI || s == System }

// Staff reports whether the surface is for staff only.
func (s Surface) Staff() bool { return s == Console || s == AdminAPI }

// Handler serves a request and returns an error instead of writing one;
// the router renders errors in exactly one place (Fail).
type Handler func(w http.ResponseWriter, r *http.Request) error

// Route is one entry of the route table.
type Route struct {
	Method  string // GET, POST…
	Path    string // a net/http pattern path: /console/staff/{id}
	Surface Surface
	// Perm is the permission a staff route requires. Staff routes must
	// name one unless Public is set.
	Perm platform.Permission
	// Public opens a staff-surface route to anyone (the sign-in page).
	Public bool
	// Customer requires a signed-in shopper.
	Customer bool
	Handler  Handler
	// Doc describes an API route for the OpenAPI document.
	Doc *OpenAPIOp
	// OwnIdempotency marks an idempotent route whose handler records its
	// Idempotency-Key itself, in the transaction of the change (checkout):
	// the stored-response middleware would only add two writes per call.
	OwnIdempotency bool
}

// Pattern is the ServeMux pattern of the route.
func (rt Route) Pattern() string { return rt.Method + " " + rt.Path }

// Router is the route table. Build it at start-up, then serve.
type Router struct {
	mux    *http.ServeMux
	routes []Route
	// Idempotency wraps the routes whose Doc says Idempotent (creates
	// that move money or stock), after the permission check, so a key is
	// only ever stored for a caller allowed to make the request. Set it
	// before adding routes.
	Idempotency func(http.Handler) http.Handler
}

// NewRouter makes an empty table.
func NewRouter() *Router { return &Router{mux: http.NewServeMux()} }

// Add registers routes. A staff route without a permission, or a route
// registered twice, panics at start-up: the table must be complete and
// closed by default.
func (rt *Router) Add(routes ...Route) {
	for _, r := range routes {
		if r.Method == "" || r.Path == "" || r.Handler == nil || r.Surface == "" {
			panic("web: incomplete route " + r.Pattern())
		}
		if r.Surface.Staff() && !r.Public && r.Perm == "" {
			panic("web: staff route " + r.Pattern() + " names no permission")
		}
		if r.Perm != "" && !platform.PermissionDeclared(r.Perm) {
			panic("web: route " + r.Pattern() + " uses undeclared permission " + string(r.Perm))
		}
		rt.routes = append(rt.routes, r)
		rt.mux.Handle(r.Pattern(), rt.wrap(r))
	}
}

// Routes lists the table, sorted by path then method, for tests (every
// route × every role) and the OpenAPI check.
func (rt *Router) Routes() []Route {
	out := append([]Route(nil), rt.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// wrap turns a route into an http.Handler that records the route for
// metrics, checks who may call it, and renders the handler's error.
func (rt *Router) wrap(route Route) http.Handler {
	var serve http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := route.Handler(w, r); err != nil {
			Fail(w, r, err)
		}
	})
	if route.Doc != nil && route.Doc.Idempotent && !route.OwnIdempotency && rt.Idempotency != nil {
		serve = rt.Idempotency(serve)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoFrom(r.Context()); info != nil {
			info.route = route.Pattern()
			info.surface = route.Surface
		}
		if err := authorize(r, route); err != nil {
			Fail(w, r, err)
			return
		}
		serve.ServeHTTP(w, r)
	})
}

// authorize enforces the route's audience and permission.
func authorize(r *http.Request, route Route) error {
	p := PrincipalFrom(r.Context())
	switch {
	case route.Surface.Staff() && !route.Public:
		if p == nil || !p.IsStaff() {
			return platform.E(platform.CodeUnauthenticated)
		}
		if !platform.Can(p.Role, route.Perm) {
			return platform.E(platform.CodeForbidden)
		}
	case route.Customer:
		if p == nil || p.CustomerID == 0 {
			return platform.E(platform.CodeUnauthenticated)
		}
	}
	return nil
}

// ServeHTTP routes the request. Unknown paths and wrong methods become
// problems (API) or friendly pages (HTML) rather than the mux's plain text.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, pattern := rt.mux.Handler(r)
	if pattern == "" {
		if info := infoFrom(r.Context()); info != nil {
			info.surface = surfaceOfPath(r.URL.Path)
			info.route = "unmatched"
		}
		err := platform.E(platform.CodeRouteNotFound)
		if rt.methodMismatch(r) {
			err = platform.E(platform.CodeMethodNotAllowed)
		} else if !surfaceOfPath(r.URL.Path).JSON() {
			err.Key = "error.page_not_found"
		}
		Fail(w, r, err)
		return
	}
	// The mux itself dispatches, so r.PathValue sees the pattern's
	// wildcards (Handler only looks the route up).
	rt.mux.ServeHTTP(w, r)
}

// methodMismatch reports whether some route matches the path with
// another method.
func (rt *Router) methodMismatch(r *http.Request) bool {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := rt.mux.Handler(probe); p != "" {
			return true
		}
	}
	return false
}

// surfaceOfPath guesses the surface of an unmatched path, for rendering
// its 404.
func surfaceOfPath(p string) Surface {
	switch {
	case strings.HasPrefix(p, "/api/v1/admin"):
		return AdminAPI
	case strings.HasPrefix(p, "/api/"):
		return API
	case strings.HasPrefix(p, "/console"):
		return Console
	case strings.HasPrefix(p, "/static/"), p == "/metrics", p == "/healthz", p == "/readyz":
		return System
	}
	return Shop
}

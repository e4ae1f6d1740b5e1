package shop

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// page renders a storefront page with its cache headers. Anonymous pages
// are public for a minute with a weak ETag of the body, and a matching
// If-None-Match gets 304; a signed-in shopper's pages are private and
// never stored.
func (h *handlers) page(w http.ResponseWriter, r *http.Request, name string, data any) error {
	_, err := h.render(w, r, name, data)
	return err
}

// render is page, returning what it sent for the rendered-page cache.
func (h *handlers) render(w http.ResponseWriter, r *http.Request, name string, data any) (*rendered, error) {
	buf := &bufferedWriter{header: w.Header(), status: http.StatusOK}
	if err := h.rd.Render(buf, r, http.StatusOK, name, data); err != nil {
		return nil, err
	}
	if signedIn(r) {
		w.Header().Set("Cache-Control", "private, no-store")
		w.WriteHeader(buf.status)
		_, err := w.Write(buf.body.Bytes())
		return nil, err
	}
	sum := sha256.Sum256(buf.body.Bytes())
	out := &rendered{body: buf.body.Bytes(), etag: `W/"` + hex.EncodeToString(sum[:12]) + `"`, header: http.Header{}}
	for _, k := range pageHeaders {
		if v := w.Header().Values(k); len(v) > 0 {
			out.header[k] = v
		}
	}
	return out, out.send(w, r)
}

// pageHeaders are the headers a cached page repeats (cookies and the
// request id belong to each response).
var pageHeaders = []string{"Content-Type", "Content-Language", "X-Content-Type-Options", "Referrer-Policy", "Vary"}

// rendered is an anonymous page as sent: body, ETag and headers.
type rendered struct {
	body   []byte
	etag   string
	header http.Header
	// src is the data the page was rendered from; a cached page is only
	// reused while the catalog still returns that same value.
	src any
}

func (p *rendered) send(w http.ResponseWriter, r *http.Request) error {
	hd := w.Header()
	for k, v := range p.header {
		hd[k] = v
	}
	hd.Set("Cache-Control", cacheControl(hd))
	hd.Set("ETag", p.etag)
	if etagMatch(r.Header.Get("If-None-Match"), p.etag) {
		hd.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(p.body)
	return err
}

// cacheControl is the caching of an anonymous page: a minute anywhere, but
// only in the browser's own cache when the response sets a cookie (the
// visit-tracking ids), so a shared cache never hands one visitor's ids to
// another.
func cacheControl(h http.Header) string {
	if len(h.Values("Set-Cookie")) > 0 {
		return "private, max-age=60"
	}
	return "public, max-age=60"
}

// pageKey names a cached page: one product in one language.
type pageKey struct {
	id   platform.ID
	lang platform.Lang
}

// pageCache keeps anonymous product pages as rendered, so a hot product
// costs a map lookup instead of a template execution. An entry is valid
// only while the catalog's cached product (its own short TTL) is the same
// value, so the page is never staler than the catalog cache.
type pageCache struct {
	mu sync.RWMutex
	m  map[pageKey]*rendered
}

// maxCachedPages bounds the cache; past it the cache starts over.
const maxCachedPages = 20_000

func (c *pageCache) get(k pageKey, src any) (*rendered, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.m[k]
	return p, ok && p.src == src
}

func (c *pageCache) put(k pageKey, p *rendered) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedPages {
		c.m = map[pageKey]*rendered{}
	}
	c.m[k] = p
}

// signedIn reports whether the request carries a shopper's (or staff)
// identity, whose pages must not be cached.
func signedIn(r *http.Request) bool {
	p := web.PrincipalFrom(r.Context())
	return p != nil && (p.CustomerID != 0 || p.IsStaff())
}

// customerOf is the signed-in shopper's id, or 0.
func customerOf(r *http.Request) platform.ID {
	if p := web.PrincipalFrom(r.Context()); p != nil {
		return p.CustomerID
	}
	return 0
}

// etagMatch is If-None-Match's weak comparison.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimSpace(part)
		if part == "*" || strings.TrimPrefix(part, "W/") == want {
			return true
		}
	}
	return false
}

// bufferedWriter holds a rendered page so its ETag can be computed before
// anything is sent; headers go straight to the real writer's map.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) WriteHeader(status int)      { b.status = status }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.body.Write(p) }

package shop

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// page renders a storefront page with its cache headers. Anonymous pages
// are public for a minute with a weak ETag of the body, and a matching
// If-None-Match gets 304; a signed-in shopper's pages are private and
// never stored.
func (h *handlers) page(w http.ResponseWriter, r *http.Request, name string, data any) error {
	buf := &bufferedWriter{header: w.Header(), status: http.StatusOK}
	if err := h.rd.Render(buf, r, http.StatusOK, name, data); err != nil {
		return err
	}
	hd := w.Header()
	if signedIn(r) {
		hd.Set("Cache-Control", "private, no-store")
	} else {
		sum := sha256.Sum256(buf.body.Bytes())
		etag := `W/"` + hex.EncodeToString(sum[:12]) + `"`
		hd.Set("Cache-Control", "public, max-age=60")
		hd.Set("ETag", etag)
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			hd.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	w.WriteHeader(buf.status)
	_, err := w.Write(buf.body.Bytes())
	return err
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

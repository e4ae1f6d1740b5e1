package web

import (
	"bufio"
	"compress/gzip"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"sync"
)

// minCompress is the smallest body worth compressing: below it gzip's
// header and the CPU cost outweigh the bytes saved.
const minCompress = 1024

// compressible lists the media types Compress encodes; images, archives
// and fonts are already compressed.
var compressible = map[string]bool{
	"text/html":                true,
	"text/css":                 true,
	"text/plain":               true,
	"text/javascript":          true,
	"text/csv":                 true,
	"application/javascript":   true,
	"application/json":         true,
	"application/problem+json": true,
	"application/xml":          true,
	"image/svg+xml":            true,
}

var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// Compress gzips compressible responses of at least minCompress bytes for
// clients that accept gzip, and marks every compressible response Vary:
// Accept-Encoding so caches keep both forms. It leaves alone responses
// that set their own Content-Encoding, HEAD requests, 1xx/204/304 and
// partial content, and anything whose type is not in the list.
func Compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &compressWriter{ResponseWriter: w, accept: acceptsGzip(r) && r.Method != http.MethodHead}
		defer func() {
			if p := recover(); p != nil {
				// Send nothing buffered, so the panic handler outside can
				// still answer with a clean error.
				cw.buf, cw.pending, cw.gz = nil, false, nil
				panic(p)
			}
			cw.close()
		}()
		next.ServeHTTP(cw, r)
	})
}

// acceptsGzip reads Accept-Encoding, honouring q=0.
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// compressWriter decides at the first write: it buffers up to minCompress
// bytes, then either starts gzip or passes the small body through.
type compressWriter struct {
	http.ResponseWriter
	accept  bool
	status  int
	decided bool // headers sent (passing through or compressing)
	gz      *gzip.Writer
	buf     []byte
	pending bool // WriteHeader called, headers not yet sent
}

func (c *compressWriter) WriteHeader(status int) {
	if c.decided || c.pending {
		return // superfluous, as net/http would say
	}
	if status < 200 {
		c.ResponseWriter.WriteHeader(status) // 1xx informational: pass on
		return
	}
	c.status = status
	if !c.eligible() {
		c.passThrough()
		return
	}
	c.pending = true
}

// eligible reports whether the response may be compressed; it also adds
// Vary for compressible types.
func (c *compressWriter) eligible() bool {
	h := c.Header()
	if h.Get("Content-Encoding") != "" || c.status == http.StatusNoContent ||
		c.status == http.StatusNotModified || c.status == http.StatusPartialContent {
		return false
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if !compressible[mt] {
		return false
	}
	if !hasToken(h.Values("Vary"), "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	return c.accept
}

func hasToken(values []string, token string) bool {
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}

func (c *compressWriter) Write(p []byte) (int, error) {
	if !c.decided && !c.pending {
		if c.Header().Get("Content-Type") == "" {
			c.Header().Set("Content-Type", http.DetectContentType(p))
		}
		c.WriteHeader(http.StatusOK)
	}
	if c.decided {
		if c.gz != nil {
			return c.gz.Write(p)
		}
		return c.ResponseWriter.Write(p)
	}
	// pending: buffer until the body proves big enough.
	c.buf = append(c.buf, p...)
	if len(c.buf) >= minCompress {
		if err := c.startGzip(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (c *compressWriter) passThrough() {
	c.decided = true
	c.ResponseWriter.WriteHeader(c.status)
}

func (c *compressWriter) startGzip() error {
	h := c.Header()
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
		h.Set("ETag", "W/"+etag) // the encoded bytes differ from the identity ones
	}
	c.decided, c.pending = true, false
	c.ResponseWriter.WriteHeader(c.status)
	c.gz = gzipPool.Get().(*gzip.Writer)
	c.gz.Reset(c.ResponseWriter)
	buf := c.buf
	c.buf = nil
	_, err := c.gz.Write(buf)
	return err
}

// flushPending sends a small buffered body as is.
func (c *compressWriter) flushPending() {
	if !c.pending {
		return
	}
	c.pending = false
	c.decided = true
	c.ResponseWriter.WriteHeader(c.status)
	if len(c.buf) > 0 {
		_, _ = c.ResponseWriter.Write(c.buf)
	}
	c.buf = nil
}

func (c *compressWriter) close() {
	if c.gz != nil {
		_ = c.gz.Close()
		c.gz.Reset(io.Discard)
		gzipPool.Put(c.gz)
		c.gz = nil
		return
	}
	c.flushPending()
}

// Flush sends what is buffered: a streaming response starts compressing
// at once rather than waiting for minCompress bytes.
func (c *compressWriter) Flush() {
	if c.pending {
		if c.accept {
			_ = c.startGzip()
		} else {
			c.flushPending()
		}
	}
	if c.gz != nil {
		_ = c.gz.Flush()
	}
	_ = http.NewResponseController(c.ResponseWriter).Flush()
}

// Hijack passes through for WebSockets (no body was compressed yet).
func (c *compressWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(c.ResponseWriter).Hijack()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (c *compressWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

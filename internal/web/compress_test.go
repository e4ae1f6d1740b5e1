package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCompress(t *testing.T) {
	big := strings.Repeat("<p>店铺 storefront</p>\n", 200)
	handler := func(ctype, body string, status int) http.Handler {
		return Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}))
	}
	cases := []struct {
		Name, Accept, Type, Body string
		Status                   int
		WantGzip, WantVary       bool
	}{
		{"OK", "gzip, br", "text/html; charset=utf-8", big, 200, true, true},
		{"JSON", "gzip", "application/json", big, 200, true, true},
		{"Problem", "gzip", "application/problem+json", big, 404, true, true},
		{"NoAccept", "", "text/html", big, 200, false, true},
		{"Refused", "gzip;q=0", "text/css", big, 200, false, true},
		{"Small", "gzip", "text/html", "<p>hi</p>", 200, false, true},
		{"Image", "gzip", "image/jpeg", big, 200, false, false},
		{"NotModified", "gzip", "text/html", "", 304, false, false},
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if c.Accept != "" {
				req.Header.Set("Accept-Encoding", c.Accept)
			}
			rec := httptest.NewRecorder()
			handler(c.Type, c.Body, c.Status).ServeHTTP(rec, req)
			if rec.Code != c.Status {
				t.Fatalf("status %d, want %d", rec.Code, c.Status)
			}
			gz := rec.Header().Get("Content-Encoding") == "gzip"
			if gz != c.WantGzip {
				t.Fatalf("gzip %v, want %v", gz, c.WantGzip)
			}
			if vary := strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "Accept-Encoding"); vary != c.WantVary {
				t.Errorf("Vary Accept-Encoding %v, want %v", vary, c.WantVary)
			}
			body := rec.Body.Bytes()
			if gz {
				zr, err := gzip.NewReader(bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if body, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			if string(body) != c.Body {
				t.Errorf("body differs: %d bytes, want %d", len(body), len(c.Body))
			}
		})
	}
}

// A handler that writes in small pieces and flushes still produces one
// valid gzip stream.
func TestCompressStreaming(t *testing.T) {
	h := Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		for i := range 100 {
			_, _ = io.WriteString(w, strings.Repeat("x", i))
			if i%10 == 0 {
				http.NewResponseController(w).Flush()
			}
		}
	}))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatal("not compressed")
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || len(got) != 99*100/2 {
		t.Fatalf("got %d bytes, err %v", len(got), err)
	}
}

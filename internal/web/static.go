package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"storeops/internal/platform"
)

//go:embed static
var staticFS embed.FS

// Static serves the embedded assets at content-hashed URLs
// (/static/css/console.3f9a2b1c.css) with a one-year immutable cache, so a
// deploy never serves a stale script and a browser never asks twice.
type Static struct {
	byHashed map[string]staticFile // hashed URL path → file
	byName   map[string]string     // "css/console.css" → hashed URL path
}

type staticFile struct {
	name  string
	data  []byte
	ctype string
}

// NewStatic hashes every embedded asset.
func NewStatic() *Static {
	s := &Static{byHashed: map[string]staticFile{}, byName: map[string]string{}}
	root, _ := fs.Sub(staticFS, "static")
	_ = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(p), ".") {
			return err
		}
		data, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ext := path.Ext(p)
		hashed := "/static/" + strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		s.byHashed[hashed] = staticFile{name: p, data: data, ctype: ct}
		s.byName[p] = hashed
		return nil
	})
	return s
}

// URL is the hashed URL of an asset by its name under static/; an unknown
// name panics during template execution, which the template test catches.
func (s *Static) URL(name string) (string, error) {
	if u, ok := s.byName[name]; ok {
		return u, nil
	}
	return "", platform.Errorf(platform.CodeInternal, "error.internal").Wrap(fs.ErrNotExist)
}

// Routes are the static file routes.
func (s *Static) Routes() []Route {
	return []Route{{Method: http.MethodGet, Path: "/static/", Surface: System, Handler: s.serve}}
}

func (s *Static) serve(w http.ResponseWriter, r *http.Request) error {
	f, ok := s.byHashed[r.URL.Path]
	if !ok {
		return platform.E(platform.CodeRouteNotFound)
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err := w.Write(f.data)
	return err
}

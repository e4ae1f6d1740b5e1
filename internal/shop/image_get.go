package shop

import (
	"net/http"
	"strconv"

	"storeops/internal/web"
)

// image serves a product image (?w= for a resized JPEG) with a year-long
// immutable cache: an image id never changes its bytes. The ETag is the
// original's sha256.
func (h *handlers) image(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "image")
	if err != nil {
		return err
	}
	width, _ := strconv.Atoi(r.URL.Query().Get("w"))
	f, err := h.svc.Image(r.Context(), id, max(width, 0))
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", f.ETag)
	hd.Set("X-Content-Type-Options", "nosniff")
	if etagMatch(r.Header.Get("If-None-Match"), f.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	hd.Set("Content-Type", f.ContentType)
	hd.Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, err = w.Write(f.Data)
	return err
}

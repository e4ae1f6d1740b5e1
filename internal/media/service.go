package media

import (
	"bytes"
	"context"
	"image"
	"net/http"
	"strconv"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// File is an image's bytes ready to serve.
type File struct {
	ContentType string
	Data        []byte
	// ETag is the quoted sha256 of the original, plus the width for a
	// variant: an image id never changes its bytes, so it is stable.
	ETag string
}

// Service is the one image path: Prepare checks an upload and makes its
// thumbnails, Save stores it in the caller's transaction, Open serves the
// original or a variant.
type Service struct {
	store Store
	lim   Limits
	cache *variantCache
}

// Config tunes a Service. The zero value is fine.
type Config struct {
	Limits Limits
	// CacheBytes, when set, gives the service its own variant cache of
	// that size instead of the node's shared one (tests use it).
	CacheBytes int
}

// NewService serves and stores images in st.
func NewService(st Store, cfg Config) *Service {
	c := shared
	if cfg.CacheBytes > 0 {
		c = newVariantCache(cfg.CacheBytes)
	}
	return &Service{store: st, lim: cfg.Limits.withDefaults(), cache: c}
}

// Limits are the upload limits in force.
func (s *Service) Limits() Limits { return s.lim }

// Upload is a checked image with its thumbnails, ready to Save.
type Upload struct {
	Info
	Data []byte
	// Variants are the JPEG thumbnails by width, made once here.
	Variants map[int][]byte
}

// Prepare checks data (see Check) and makes a thumbnail at every width
// narrower than the image: the slow part of an upload, done before the
// write transaction so the single writer never waits on pixels.
func (s *Service) Prepare(data []byte) (*Upload, error) {
	info, img, err := Check(data, s.lim)
	if err != nil {
		return nil, err
	}
	up := &Upload{Info: info, Data: data, Variants: map[int][]byte{}}
	var full []byte // the picture at its own width, for every wider variant
	for _, w := range Widths {
		if w >= info.Width {
			if info.ContentType == "image/jpeg" {
				break // Open serves the original for these widths
			}
			if full == nil {
				if full, err = Thumbnail(img, w); err != nil {
					return nil, platform.E(CodeImageCorrupt).Wrap(err)
				}
			}
			up.Variants[w] = full
			continue
		}
		t, err := Thumbnail(img, w)
		if err != nil {
			return nil, platform.E(CodeImageCorrupt).Wrap(err)
		}
		up.Variants[w] = t
	}
	return up, nil
}

// Save stores up as item in tx and, once tx commits, puts its thumbnails
// in the node's cache.
func (s *Service) Save(ctx context.Context, tx *store.Tx, item Item, up *Upload) error {
	if err := s.store.Put(ctx, tx, item, up.Info, up.Data); err != nil {
		return err
	}
	tx.AfterCommit(func() {
		for w, data := range up.Variants {
			s.cache.put(variantKey{s.store.Name(), int64(item.ID), w},
				&File{ContentType: "image/jpeg", Data: data, ETag: etag(up.SHA256, w)})
		}
	})
	return nil
}

// Delete removes image id in tx and forgets its cached variants once tx
// commits. Errors: CodeNotFound.
func (s *Service) Delete(ctx context.Context, tx *store.Tx, id platform.ID) error {
	if err := s.store.Delete(ctx, tx, id); err != nil {
		return err
	}
	tx.AfterCommit(func() { s.cache.drop(s.store.Name(), int64(id)) })
	return nil
}

// Open returns image id: the original when width is 0, else a JPEG no
// wider than the variant width SnapWidth picks (a JPEG original already
// that narrow is served as is). A variant missing from the cache, say on
// a fresh node, is made again from the original.
// Errors: CodeNotFound for an unknown image.
func (s *Service) Open(ctx context.Context, id platform.ID, width int) (*File, error) {
	key := variantKey{s.store.Name(), int64(id), 0}
	if width > 0 {
		key.width = SnapWidth(width)
		if f, ok := s.cache.get(key); ok {
			return f, nil
		}
	}
	o, err := s.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	orig := &File{ContentType: o.ContentType, Data: o.Data, ETag: etag(o.SHA256, 0)}
	if width == 0 || (o.Width > 0 && o.Width <= key.width && o.ContentType == "image/jpeg") {
		return orig, nil
	}
	img, err := decodeStored(o.Data, s.lim)
	if err != nil {
		// An original that does not decode is still worth showing.
		return orig, nil
	}
	data, err := Thumbnail(img, key.width)
	if err != nil {
		return orig, nil
	}
	f := &File{ContentType: "image/jpeg", Data: data, ETag: etag(o.SHA256, key.width)}
	s.cache.put(key, f)
	return f, nil
}

// decodeStored decodes a stored original under the same pixel limit as an
// upload (rows written by loaders were never checked here).
func decodeStored(data []byte, lim Limits) (image.Image, error) {
	dec, ok := decoders[http.DetectContentType(data)]
	if !ok {
		return nil, platform.E(CodeImageType)
	}
	cfg, err := dec.config(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > lim.MaxPixels/cfg.Height {
		return nil, platform.E(CodeImageTooManyPixels)
	}
	return dec.decode(bytes.NewReader(data))
}

func etag(sum string, width int) string {
	if width == 0 {
		return `"` + sum + `"`
	}
	return `"` + sum + "-w" + strconv.Itoa(width) + `"`
}

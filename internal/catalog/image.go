package catalog

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // originals may be PNG
	"strconv"
	"sync"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// ImageWidths are the widths a resized variant may have; a request for
// another width gets the next larger one, so the cache holds few variants.
var ImageWidths = []int{120, 240, 480, 960}

// ImageFile is an image's bytes ready to serve.
type ImageFile struct {
	ContentType string
	Data        []byte
	// ETag is the quoted sha256 of the original, plus the width for a
	// variant.
	ETag string
}

// Image returns an image's bytes: the original when width is 0, else a
// JPEG no wider than the chosen variant width (an original already that
// narrow is served as is). Variants are made on first request and kept in
// memory, bounded by ImageCacheBytes; one evicted is made again.
// Errors: CodeNotFound for an unknown image.
func (s *Service) Image(ctx context.Context, id platform.ID, width int) (*ImageFile, error) {
	if width > 0 {
		width = snapWidth(width)
		if f, ok := s.images.get(id, width); ok {
			return f, nil
		}
	}
	var orig ImageFile
	var w int
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var sum string
		err := tx.QueryRowContext(ctx, `SELECT content_type, sha256, width, data FROM product_images WHERE id = $1`, id).
			Scan(&orig.ContentType, &sum, &w, &orig.Data)
		if errors.Is(err, sql.ErrNoRows) {
			return platform.NotFound("image")
		}
		orig.ETag = `"` + sum + `"`
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("catalog: image %d: %w", id, err)
	}
	if width == 0 || (w > 0 && w <= width && orig.ContentType == "image/jpeg") {
		return &orig, nil
	}
	f, err := resize(&orig, width)
	if err != nil {
		// An original that does not decode is still worth showing.
		return &orig, nil
	}
	s.images.put(id, width, f)
	return f, nil
}

func snapWidth(w int) int {
	for _, v := range ImageWidths {
		if w <= v {
			return v
		}
	}
	return ImageWidths[len(ImageWidths)-1]
}

// resize decodes an original and encodes a JPEG at most width wide, by
// averaging the source pixels each target pixel covers (a box filter:
// sharp enough for thumbnails, no dependency).
func resize(orig *ImageFile, width int) (*ImageFile, error) {
	src, _, err := image.Decode(bytes.NewReader(orig.Data))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	if sw == 0 || sh == 0 {
		return nil, errors.New("catalog: empty image")
	}
	dw := min(width, sw)
	dh := max(1, sh*dw/sw)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		y0, y1 := b.Min.Y+y*sh/dh, b.Min.Y+max((y+1)*sh/dh, y*sh/dh+1)
		for x := 0; x < dw; x++ {
			x0, x1 := b.Min.X+x*sw/dw, b.Min.X+max((x+1)*sw/dw, x*sw/dw+1)
			var r, g, bl, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, _ := src.At(sx, sy).RGBA()
					r, g, bl, n = r+uint64(cr), g+uint64(cg), bl+uint64(cb), n+1
				}
			}
			dst.SetRGBA(x, y, color.RGBA{uint8(r / n >> 8), uint8(g / n >> 8), uint8(bl / n >> 8), 0xff})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82}); err != nil {
		return nil, err
	}
	etag := orig.ETag[:len(orig.ETag)-1] + "-w" + strconv.Itoa(width) + `"`
	return &ImageFile{ContentType: "image/jpeg", Data: buf.Bytes(), ETag: etag}, nil
}

// variantCache keeps resized variants up to a byte budget, dropping
// arbitrary entries when full (they are rebuilt on demand).
type variantCache struct {
	mu    sync.RWMutex
	max   int
	bytes int
	m     map[variantKey]*ImageFile
}

type variantKey struct {
	id    platform.ID
	width int
}

func newVariantCache(max int) *variantCache {
	return &variantCache{max: max, m: map[variantKey]*ImageFile{}}
}

func (c *variantCache) get(id platform.ID, w int) (*ImageFile, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	f, ok := c.m[variantKey{id, w}]
	return f, ok
}

func (c *variantCache) put(id platform.ID, w int, f *ImageFile) {
	if len(f.Data) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	k := variantKey{id, w}
	if old, ok := c.m[k]; ok {
		c.bytes -= len(old.Data)
	}
	for key, v := range c.m {
		if c.bytes+len(f.Data) <= c.max {
			break
		}
		delete(c.m, key)
		c.bytes -= len(v.Data)
	}
	c.m[k] = f
	c.bytes += len(f.Data)
}

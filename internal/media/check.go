// Package media checks, stores, resizes and serves images, so products,
// reviews, returns and tickets share one image path: an upload is checked
// by content (never by file name) and by size before anything decodes its
// pixels, its thumbnails are made once on upload, the original lives
// behind a small Store (the database by default), and resized variants are
// cached locally and rebuilt from the original when missing.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strconv"

	"golang.org/x/image/webp"

	"storeops/internal/platform"
)

// The upload errors. Each is a 4xx problem with a zh/en message.
var (
	// CodeImageType: the bytes are not a JPEG, PNG or WebP image.
	CodeImageType = platform.NewCode("image_type", http.StatusUnsupportedMediaType,
		platform.Message{ZH: "仅支持 JPEG、PNG 或 WebP 图片", EN: "Only JPEG, PNG or WebP images are accepted"})
	// CodeImageTooLarge: the file is over the byte limit.
	CodeImageTooLarge = platform.NewCode("image_too_large", http.StatusRequestEntityTooLarge,
		platform.Message{ZH: "图片文件过大，最大 %s", EN: "The image file is too large; the limit is %s"})
	// CodeImageTooManyPixels: the header declares more pixels than the
	// limit (an image bomb: a small file that decodes to gigabytes).
	CodeImageTooManyPixels = platform.NewCode("image_too_many_pixels", http.StatusUnprocessableEntity,
		platform.Message{ZH: "图片尺寸过大（%[1]d×%[2]d），最多 %[3]d 万像素", EN: "The image is too big (%[1]d×%[2]d); at most %[4]d megapixels"})
	// CodeImageCorrupt: the header says image but the pixels do not
	// decode.
	CodeImageCorrupt = platform.NewCode("image_corrupt", http.StatusUnprocessableEntity,
		platform.Message{ZH: "图片已损坏或无法读取", EN: "The image is damaged or cannot be read"})
)

// Limits bound what an upload may be. The zero value takes the defaults.
type Limits struct {
	// MaxBytes bounds the file (default 10 MiB).
	MaxBytes int
	// MaxPixels bounds width×height as the header declares it (default
	// 40 million: a 7,000×5,700 photo passes, a 50,000×50,000 bomb
	// does not).
	MaxPixels int
}

// DefaultLimits are the limits of the zero Limits.
var DefaultLimits = Limits{MaxBytes: 10 << 20, MaxPixels: 40_000_000}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultLimits.MaxPixels
	}
	return l
}

// Types are the accepted content types.
var Types = []string{"image/jpeg", "image/png", "image/webp"}

// Info describes a checked image.
type Info struct {
	ContentType string
	Width       int
	Height      int
	Size        int
	// SHA256 is the hex digest of the bytes.
	SHA256 string
}

// decoders decode each accepted type's header and pixels.
var decoders = map[string]struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}{
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"image/png":  {png.DecodeConfig, png.Decode},
	"image/webp": {webp.DecodeConfig, webp.Decode},
}

// Check decides whether data is an image this shop accepts and decodes it.
// The order matters: the byte limit first, then the type by content
// sniffing, then the header's dimensions against the pixel limit, and only
// then the pixels, so neither a huge file nor a bomb costs memory.
// Errors: CodeImageTooLarge, CodeImageType, CodeImageTooManyPixels,
// CodeImageCorrupt (and CodeInvalid for an empty file).
func Check(data []byte, lim Limits) (Info, image.Image, error) {
	lim = lim.withDefaults()
	if len(data) == 0 {
		return Info{}, nil, platform.Invalid("file", "field.required")
	}
	if len(data) > lim.MaxBytes {
		return Info{}, nil, platform.Errorf(CodeImageTooLarge, "error.image_too_large", SizeText(lim.MaxBytes))
	}
	ct := http.DetectContentType(data)
	dec, ok := decoders[ct]
	if !ok {
		return Info{}, nil, platform.E(CodeImageType)
	}
	cfg, err := dec.config(bytes.NewReader(data))
	if err != nil {
		return Info{}, nil, platform.E(CodeImageCorrupt).Wrap(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, nil, platform.E(CodeImageCorrupt)
	}
	// Divide rather than multiply: a forged header's 2³¹×2³¹ must not
	// overflow into a small product.
	if cfg.Width > lim.MaxPixels/cfg.Height {
		return Info{}, nil, platform.Errorf(CodeImageTooManyPixels, "error.image_too_many_pixels",
			cfg.Width, cfg.Height, lim.MaxPixels/10_000, lim.MaxPixels/1_000_000)
	}
	img, err := dec.decode(bytes.NewReader(data))
	if err != nil {
		return Info{}, nil, platform.E(CodeImageCorrupt).Wrap(err)
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return Info{}, nil, platform.E(CodeImageCorrupt)
	}
	sum := sha256.Sum256(data)
	return Info{ContentType: ct, Width: cfg.Width, Height: cfg.Height, Size: len(data), SHA256: hex.EncodeToString(sum[:])}, img, nil
}

// SizeText writes a byte count for people: "10 MB", "512 KB".
func SizeText(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MB"
	case n >= 1<<10:
		return strconv.Itoa(n>>10) + " KB"
	}
	return strconv.Itoa(n) + " B"
}

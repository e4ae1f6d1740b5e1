package media

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
)

// Widths are the widths a resized variant may have; a request for another
// width gets the next larger one, so the cache holds few variants.
var Widths = []int{120, 240, 480, 960}

// SnapWidth is the variant width that serves a request for w pixels.
func SnapWidth(w int) int {
	for _, v := range Widths {
		if w <= v {
			return v
		}
	}
	return Widths[len(Widths)-1]
}

// Thumbnail encodes img as a JPEG at most width wide, keeping its aspect,
// by averaging the source pixels each target pixel covers (a box filter:
// sharp enough for thumbnails, cheap, no dependency). Transparent pixels
// are laid on white, as a JPEG has no alpha.
func Thumbnail(img image.Image, width int) ([]byte, error) {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw := max(1, min(width, sw))
	dh := max(1, sh*dw/max(sw, 1))
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		y0, y1 := b.Min.Y+y*sh/dh, b.Min.Y+max((y+1)*sh/dh, y*sh/dh+1)
		for x := 0; x < dw; x++ {
			x0, x1 := b.Min.X+x*sw/dw, b.Min.X+max((x+1)*sw/dw, x*sw/dw+1)
			var r, g, bl, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					cr, cg, cb, ca := img.At(sx, sy).RGBA()
					// Premultiplied: add the white the alpha leaves.
					white := uint64(0xffff - ca)
					r, g, bl, n = r+uint64(cr)+white, g+uint64(cg)+white, bl+uint64(cb)+white, n+1
				}
			}
			dst.SetRGBA(x, y, color.RGBA{uint8(r / n >> 8), uint8(g / n >> 8), uint8(bl / n >> 8), 0xff})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 82}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

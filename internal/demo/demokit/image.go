package demokit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
)

// ImageSize is the width and height of drawn product images.
const ImageSize = 480

// Image is an encoded JPEG.
type Image struct {
	Data   []byte
	SHA256 string
}

// Palette is a category's colours: background, accent, pattern.
type Palette [3]color.RGBA

// DrawImage draws a product picture: a soft background in the palette, a
// pattern and a central shape picked by r. No fonts, no network. It paints
// straight into 4:2:0 YCbCr, the JPEG encoder's native form.
func DrawImage(p Palette, r *rand.Rand) Image {
	const n = ImageSize
	img := image.NewYCbCr(image.Rect(0, 0, n, n), image.YCbCrSubsampleRatio420)
	bg, accent, pat := p[0], p[1], p[2]
	shift := uint8(r.IntN(24))
	kind := r.IntN(3)
	gap := 28 + r.IntN(30)
	cx, cy := n/2+r.IntN(60)-30, n/2+r.IntN(60)-30
	size := 110 + r.IntN(60)
	shape := r.IntN(4)
	shade := color.RGBA{mix(accent.R, 0, 40), mix(accent.G, 0, 40), mix(accent.B, 0, 40), 255}
	ycc := func(c color.RGBA) [3]uint8 {
		y, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
		return [3]uint8{y, cb, cr}
	}
	pc, ac, sc := ycc(pat), ycc(accent), ycc(shade)
	for y := 0; y < n; y++ {
		t := y * 255 / n
		row := color.RGBA{mix(bg.R, 255, t/5), mix(bg.G, 255, t/5), mix(bg.B, 255, t/5), 255}
		row.R -= min(row.R, shift)
		bc := ycc(row)
		for x := 0; x < n; x++ {
			c := bc
			dx, dy := x-cx, y-cy
			var in bool
			switch shape {
			case 0:
				in = dx*dx+dy*dy < size*size
			case 1:
				in = abs(dx) < size && abs(dy) < size*3/4
			case 2:
				in = (abs(dx) < size/2 && abs(dy) < size) || (abs(dx) < size/5 && dy < -size && dy > -size-36)
			case 3:
				in = abs(dx)+abs(dy) < size
			}
			switch {
			case in && dx+dy > size/3: // a shaded side gives depth
				c = sc
			case in:
				c = ac
			default:
				switch kind {
				case 0:
					in = (x+y)%gap < 4
				case 1:
					px, py := x%gap-gap/2, y%gap-gap/2
					in = px*px+py*py < 16
				case 2:
					in = x%gap < 2 || y%gap < 2
				}
				if in {
					c = pc
				}
			}
			img.Y[y*img.YStride+x] = c[0]
			if x&1 == 0 && y&1 == 0 {
				o := (y/2)*img.CStride + x/2
				img.Cb[o], img.Cr[o] = c[1], c[2]
			}
		}
	}
	var buf bytes.Buffer
	buf.Grow(24 << 10)
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 72})
	sum := sha256.Sum256(buf.Bytes())
	return Image{Data: buf.Bytes(), SHA256: hex.EncodeToString(sum[:])}
}

func mix(a, b uint8, t int) uint8 { return uint8((int(a)*(255-t) + int(b)*t) / 255) }

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

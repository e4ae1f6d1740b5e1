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
// pattern and a central shape picked by r. No fonts, no network.
func DrawImage(p Palette, r *rand.Rand) Image {
	const n = ImageSize
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	bg, accent, pat := p[0], p[1], p[2]
	shift := uint8(r.IntN(24))
	// Background: a vertical blend from bg to a lighter bg.
	for y := 0; y < n; y++ {
		t := y * 255 / n
		c := color.RGBA{mix(bg.R, 255, t/5), mix(bg.G, 255, t/5), mix(bg.B, 255, t/5), 255}
		c.R -= min(c.R, shift)
		row := img.Pix[y*img.Stride : y*img.Stride+n*4]
		for x := 0; x < n*4; x += 4 {
			row[x], row[x+1], row[x+2], row[x+3] = c.R, c.G, c.B, 255
		}
	}
	// Pattern: diagonal stripes, dots or a grid.
	kind := r.IntN(3)
	gap := 28 + r.IntN(30)
	for y := 0; y < n; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < n; x++ {
			on := false
			switch kind {
			case 0:
				on = (x+y)%gap < 4
			case 1:
				dx, dy := x%gap-gap/2, y%gap-gap/2
				on = dx*dx+dy*dy < 16
			case 2:
				on = x%gap < 2 || y%gap < 2
			}
			if on {
				o := x * 4
				row[o], row[o+1], row[o+2] = pat.R, pat.G, pat.B
			}
		}
	}
	// The product: a circle, a rounded box, a bottle or a diamond.
	cx, cy := n/2+r.IntN(60)-30, n/2+r.IntN(60)-30
	size := 110 + r.IntN(60)
	shape := r.IntN(4)
	shade := color.RGBA{mix(accent.R, 0, 40), mix(accent.G, 0, 40), mix(accent.B, 0, 40), 255}
	for y := cy - size - 40; y < cy+size+40; y++ {
		if y < 0 || y >= n {
			continue
		}
		row := img.Pix[y*img.Stride:]
		for x := cx - size - 40; x < cx+size+40; x++ {
			if x < 0 || x >= n {
				continue
			}
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
			if in {
				c := accent
				if dx+dy > size/3 { // a shaded side gives depth
					c = shade
				}
				o := x * 4
				row[o], row[o+1], row[o+2] = c.R, c.G, c.B
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

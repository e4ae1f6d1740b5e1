package media_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"os"
	"strings"
	"testing"

	"storeops/internal/media"
	"storeops/internal/platform"
)

// picture draws a w×h gradient.
func picture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngBomb is a valid small PNG whose header claims w×h pixels (IHDR with
// a correct CRC, so only the pixel check can refuse it).
func pngBomb(t testing.TB, w, h uint32) []byte {
	data := encodePNG(t, picture(4, 4))
	// 8-byte signature, then IHDR: length(4) "IHDR"(4) width(4) height(4)…
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func webpSample(t testing.TB) []byte {
	data, err := os.ReadFile("testdata/sample.webp")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// webpBomb claims 16383×16383 in the VP8 frame header.
func webpBomb(t testing.TB) []byte {
	data := bytes.Clone(webpSample(t))
	binary.LittleEndian.PutUint16(data[26:], 0x3fff)
	binary.LittleEndian.PutUint16(data[28:], 0x3fff)
	return data
}

func TestCheck(t *testing.T) {
	var gifBytes bytes.Buffer
	if err := gif.Encode(&gifBytes, picture(8, 8), nil); err != nil {
		t.Fatal(err)
	}
	pngData := encodePNG(t, picture(200, 100))
	for _, tc := range []struct {
		name   string
		data   []byte
		lim    media.Limits
		code   platform.Code
		status int
		typ    string
		w, h   int
	}{
		{name: "jpeg", data: encodeJPEG(t, picture(300, 200)), typ: "image/jpeg", w: 300, h: 200},
		{name: "png", data: pngData, typ: "image/png", w: 200, h: 100},
		{name: "webp", data: webpSample(t), typ: "image/webp", w: 150, h: 100},
		{name: "gif is refused", data: gifBytes.Bytes(), code: media.CodeImageType, status: 415},
		{name: "html named as an image", data: []byte("<html><script>alert(1)</script></html>"), code: media.CodeImageType, status: 415},
		{name: "svg", data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), code: media.CodeImageType, status: 415},
		{name: "empty", data: nil, code: platform.CodeInvalid, status: 422},
		{name: "oversize", data: pngData, lim: media.Limits{MaxBytes: len(pngData) - 1}, code: media.CodeImageTooLarge, status: 413},
		{name: "png bomb", data: pngBomb(t, 100_000, 100_000), code: media.CodeImageTooManyPixels, status: 422},
		// The PNG decoder itself refuses a header whose size overflows.
		{name: "png bomb that overflows", data: pngBomb(t, 1<<31-1, 1<<31-1), code: media.CodeImageCorrupt, status: 422},
		{name: "webp bomb", data: webpBomb(t), code: media.CodeImageTooManyPixels, status: 422},
		{name: "over a small pixel limit", data: pngData, lim: media.Limits{MaxPixels: 199 * 100}, code: media.CodeImageTooManyPixels, status: 422},
		{name: "truncated png", data: pngData[:len(pngData)/2], code: media.CodeImageCorrupt, status: 422},
		{name: "jpeg magic then junk", data: append([]byte{0xff, 0xd8, 0xff}, bytes.Repeat([]byte{7}, 100)...), code: media.CodeImageCorrupt, status: 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, img, err := media.Check(tc.data, tc.lim)
			if tc.code != "" {
				e := platform.AsError(err)
				if err == nil || e.Code != tc.code || e.Code.Status() != tc.status {
					t.Fatalf("got %v, want %s (%d)", err, tc.code, tc.status)
				}
				for _, lang := range []platform.Lang{platform.ZH, platform.EN} {
					if m := e.Message(lang); strings.HasPrefix(m, "error.") || strings.Contains(m, "%!") {
						t.Errorf("message %q in %s", m, lang)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.ContentType != tc.typ || info.Width != tc.w || info.Height != tc.h || info.Size != len(tc.data) || len(info.SHA256) != 64 {
				t.Fatalf("info %+v", info)
			}
			if b := img.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h {
				t.Fatalf("decoded %v", b)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	_, _, err := media.Check(pngBomb(t, 100_000, 100_000), media.Limits{})
	e := platform.AsError(err)
	if zh := e.Message(platform.ZH); zh != "图片尺寸过大（100000×100000），最多 4000 万像素" {
		t.Errorf("zh %q", zh)
	}
	if en := e.Message(platform.EN); en != "The image is too big (100000×100000); at most 40 megapixels" {
		t.Errorf("en %q", en)
	}
	_, _, err = media.Check(make([]byte, 11<<20), media.Limits{})
	if en := platform.AsError(err).Message(platform.EN); en != "The image file is too large; the limit is 10 MB" {
		t.Errorf("en %q", en)
	}
	if http.StatusUnsupportedMediaType != media.CodeImageType.Status() {
		t.Error("wrong type must be 415")
	}
}

func TestThumbnail(t *testing.T) {
	for _, tc := range []struct{ w, h, width, ww, wh int }{
		{400, 200, 120, 120, 60},
		{400, 200, 960, 400, 200},
		{3, 1000, 120, 3, 1000},
		{1000, 1, 120, 120, 1},
	} {
		data, err := media.Thumbnail(picture(tc.w, tc.h), tc.width)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != tc.ww || cfg.Height != tc.wh {
			t.Errorf("%dx%d at %d: %+v %v", tc.w, tc.h, tc.width, cfg, err)
		}
	}
	// Transparent pixels become white, not black.
	clear := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	data, err := media.Thumbnail(clear, 8)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := img.At(4, 4).RGBA(); r < 0xf000 || g < 0xf000 || b < 0xf000 {
		t.Errorf("transparent became %x %x %x", r, g, b)
	}
}

func TestPrepareMakesVariantsOnce(t *testing.T) {
	svc := media.NewService(nil, media.Config{CacheBytes: 1 << 20})
	up, err := svc.Prepare(encodePNG(t, picture(300, 150)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]int{120: 120, 240: 240, 480: 300, 960: 300}
	if len(up.Variants) != len(want) {
		t.Fatalf("variants %v", len(up.Variants))
	}
	for w, ww := range want {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(up.Variants[w]))
		if err != nil || cfg.Width != ww {
			t.Errorf("variant %d: %+v %v", w, cfg, err)
		}
	}
	// A JPEG original serves the widths it already fits.
	up, err = svc.Prepare(encodeJPEG(t, picture(300, 150)))
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Variants) != 2 || up.Variants[120] == nil || up.Variants[240] == nil {
		t.Fatalf("jpeg variants %d", len(up.Variants))
	}
}

// FuzzCheck: no input panics, and whatever passes is an accepted type
// within the limits whose decoded size matches its header.
func FuzzCheck(f *testing.F) {
	f.Add(encodePNG(f, picture(5, 3)))
	f.Add(encodeJPEG(f, picture(5, 3)))
	f.Add(webpSample(f))
	f.Add(webpBomb(f))
	f.Add(pngBomb(f, 1<<20, 1<<20))
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8X"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := media.Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20}
		info, img, err := media.Check(data, lim)
		if err != nil {
			if s := platform.AsError(err).Code.Status(); s < 400 || s >= 500 {
				t.Fatalf("status %d for %v", s, err)
			}
			return
		}
		if info.Width*info.Height > lim.MaxPixels || info.Size > lim.MaxBytes {
			t.Fatalf("passed over the limits: %+v", info)
		}
		if b := img.Bounds(); b.Dx() != info.Width || b.Dy() != info.Height {
			t.Fatalf("bounds %v vs %+v", b, info)
		}
		if _, err := media.Thumbnail(img, 120); err != nil {
			t.Fatal(err)
		}
	})
}

package review_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/media"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/review"
)

func pngBytes(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, x%h, color.RGBA{200, 30, 60, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// A shopper adds photos to their own review, checked by content and size
// and capped per review; the photos show in the public list and are
// served with thumbnails and a long cache.
func TestReviewPhotos(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer, other := apptest.SignUp(t, base, "buyer"), apptest.SignUp(t, base, "other")
		p := newProduct(t, a, "羊毛围巾")
		line := seedLine(t, a.DB, buyer.ID, p, order.Delivered)
		res, body := buyer.C.JSON("POST", "/api/v1/reviews", fmt.Sprintf(`{"order_line_id":"%d","rating":5,"body":"颜色很好看"}`, line))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("review: %d %s", res.StatusCode, body)
		}
		v := apptest.Decode[review.Review](t, body)
		path := "/api/v1/reviews/" + v.ID.String() + "/images"
		photo := pngBytes(t, 640, 480)

		res, body = other.C.Do("POST", path, "image/png", photo)
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		res, body = buyer.C.Do("POST", path, "image/png", "<svg onload=alert(1)></svg>")
		apptest.Problem(t, res, body, http.StatusUnsupportedMediaType, media.CodeImageType)
		res, body = buyer.C.Do("POST", path, "image/jpeg", strings.Repeat("\xff", 9<<20))
		apptest.Problem(t, res, body, http.StatusRequestEntityTooLarge, media.CodeImageTooLarge)

		for i := 0; i < review.MaxImages; i++ {
			res, body = buyer.C.Do("POST", path, "image/png", photo)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("photo %d: %d %s", i, res.StatusCode, body)
			}
		}
		if got := apptest.Decode[review.Review](t, body); len(got.Images) != review.MaxImages {
			t.Errorf("review has %d photos", len(got.Images))
		}
		res, body = buyer.C.Do("POST", path, "image/png", photo)
		apptest.Problem(t, res, body, http.StatusConflict, review.CodeImagesFull)

		anon := apptest.NewClient(t, base)
		_, body = anon.JSON("GET", "/api/v1/products/"+p.String()+"/reviews", "")
		pr := apptest.Decode[review.ProductReviews](t, body)
		if len(pr.Items) != 1 || len(pr.Items[0].Images) != review.MaxImages {
			t.Fatalf("public list: %s", body)
		}
		res, img := anon.Do("GET", pr.Items[0].Images[0].ThumbURL, "", "")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("thumbnail: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
		}
		if cfg, _, err := image.DecodeConfig(strings.NewReader(img)); err != nil || cfg.Width != 240 {
			t.Errorf("thumbnail: %v %+v", err, cfg)
		}
		res, _ = anon.Do("GET", "/review-images/1", "", "")
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown image: %d", res.StatusCode)
		}
		_, page := anon.Do("GET", "/p/"+p.String()+"/reviews", "", "")
		if !strings.Contains(page, `src="`+pr.Items[0].Images[0].ThumbURL+`"`) {
			t.Error("the storefront does not show the photos")
		}
	})
}

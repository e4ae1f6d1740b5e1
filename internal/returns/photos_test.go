package returns_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/returns"
)

// Photos come with the storefront form or one by one through the API,
// are checked as images, and are shown only to their shopper and staff.
func TestPhotos(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("snap")
		b := s.buy(c, addr, map[platform.ID]int{s.m: 1}, true)
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		for k, v := range map[string]string{"kind": "return", "reason": "damaged", "qty_" + b.lines[s.m].String(): "1"} {
			_ = mw.WriteField(k, v)
		}
		for i := range 2 {
			fw, _ := mw.CreateFormFile("photo", "crack.png")
			_, _ = fw.Write(catalogtest.PNG(64+i, 48))
		}
		_ = mw.Close()
		page := "/orders/" + b.id.String() + "/returns"
		if res, body := c.Do("POST", page, mw.FormDataContentType(), form.String()); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("form with photos: %d %s", res.StatusCode, body)
		}
		res, body := c.JSON("GET", requestPath(b.id), "")
		list := apptest.Decode[[]returns.Return](t, body)
		if res.StatusCode != 200 || len(list) != 1 || len(list[0].Photos) != 2 {
			t.Fatalf("request with photos: %d %s", res.StatusCode, body)
		}
		r := list[0]
		base := "/api/v1/customers/me/returns/" + r.ID.String() + "/photos"
		res, body = c.Do("POST", base, "image/png", string(catalogtest.PNG(80, 60)))
		if res.StatusCode != http.StatusCreated || len(apptest.Decode[returns.Return](t, body).Photos) != 3 {
			t.Fatalf("API photo: %d %s", res.StatusCode, body)
		}
		if res, body := c.Do("POST", base, "image/png", "<svg onload=alert(1)>"); res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("not an image: %d %s", res.StatusCode, body)
		}
		if res, body := c.Do("POST", base, "image/png", ""); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("empty photo: %d %s", res.StatusCode, body)
		}
		photo := base + "/" + r.Photos[0].String()
		if res, body := c.Do("GET", photo, "", ""); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
			t.Errorf("own photo: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res, _ := c.Do("GET", photo+"?w=32", "", ""); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" {
			t.Errorf("thumbnail: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		// Another photo id under this request, another shopper: not found.
		if res, _ := c.Do("GET", base+"/"+r.ID.String(), "", ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("a photo id of nothing: %d", res.StatusCode)
		}
		other, _ := s.shopper("peeker")
		if res, _ := other.Do("GET", photo, "", ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("another shopper's photo: %d", res.StatusCode)
		}
		if res, _ := other.Do("POST", base, "image/png", string(catalogtest.PNG(10, 10))); res.StatusCode != http.StatusNotFound {
			t.Errorf("a photo on another shopper's request: %d", res.StatusCode)
		}
		if w := staffDo(t, a, platform.RoleAnalyst, "GET", "/console/returns/"+r.ID.String()+"/photos/"+r.Photos[1].String(), nil); w.Code != 200 {
			t.Errorf("console photo: %d", w.Code)
		}
		if w := staffDo(t, a, platform.RoleCatalog, "GET", "/console/returns/"+r.ID.String()+"/photos/"+r.Photos[1].String(), nil); w.Code != http.StatusForbidden {
			t.Errorf("console photo for catalog staff: %d", w.Code)
		}
		if w := staffDo(t, a, platform.RoleService, "GET", "/console/returns/"+r.ID.String(), nil); !strings.Contains(w.Body.String(), `id="return-photos"`) {
			t.Errorf("the detail page shows no photos")
		}
		if res, body := c.Do("GET", page, "", ""); res.StatusCode != 200 || strings.Count(body, "<img ") != 3 {
			t.Errorf("shop page photos: %d, %d images", res.StatusCode, strings.Count(body, "<img "))
		}
	})
}

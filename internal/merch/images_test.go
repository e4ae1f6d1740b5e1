package merch_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
)

func picture(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	return img
}

func pngOf(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, picture(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bomb is a small valid PNG whose header claims 60,000×60,000 pixels.
func bomb(t *testing.T) []byte {
	data := pngOf(t, 4, 4)
	binary.BigEndian.PutUint32(data[16:], 60_000)
	binary.BigEndian.PutUint32(data[20:], 60_000)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

// staffDo is one console call as a staff user of role, the principal put
// in the context as the sign-in middleware would, through the app's whole
// handler stack.
func staffDo(t *testing.T, a *app.App, role platform.Role, method, target, ctype string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	return apptest.ConsoleAs(t, a, apptest.StaffPrincipal(role), method, target, ctype, body)
}

func form(t *testing.T, a *app.App, role platform.Role, target string, v url.Values) *httptest.ResponseRecorder {
	return staffDo(t, a, role, http.MethodPost, target, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
}

// upload posts files (name → bytes) as a multipart form.
func upload(t *testing.T, a *app.App, role platform.Role, target string, files ...any) *httptest.ResponseRecorder {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i < len(files); i += 2 {
		fw, err := mw.CreateFormFile("file", files[i].(string))
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(files[i+1].([]byte))
	}
	mw.Close()
	return staffDo(t, a, role, http.MethodPost, target, mw.FormDataContentType(), &b)
}

func count(t *testing.T, a *app.App, q string, args ...any) int {
	t.Helper()
	var n int
	if err := a.DB.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// imageOrder lists the product's image ids by position.
func imageOrder(t *testing.T, a *app.App, product platform.ID) []platform.ID {
	t.Helper()
	rows, err := a.DB.R.Query(`SELECT id FROM product_images WHERE product_id = $1 ORDER BY position, id`, product)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []platform.ID
	for rows.Next() {
		var id platform.ID
		rows.Scan(&id)
		out = append(out, id)
	}
	return out
}

func TestProductImagesConsole(t *testing.T) {
	webp, err := os.ReadFile("../media/testdata/sample.webp")
	if err != nil {
		t.Fatal(err)
	}
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		f := catalogtest.New(t, a.DB)
		cat := f.Category("服饰", "Apparel", 0)
		p, _ := f.Create(catalogtest.Product{Category: cat, Title: "纯棉T恤", Images: 1})
		path := "/console/products/" + p.String() + "/images"
		first := imageOrder(t, a, p)[0]

		// Good uploads: JPEG, PNG and WebP in one form, after the existing image.
		res := upload(t, a, platform.RoleCatalog, path, "a.jpg", jpegOf(t, 1200, 900), "b.png", pngOf(t, 300, 300), "c.webp", webp)
		if res.Code != http.StatusSeeOther || !strings.Contains(res.Header().Get("Location"), "done=uploaded") {
			t.Fatalf("upload: %d %s", res.Code, res.Body)
		}
		ids := imageOrder(t, a, p)
		if len(ids) != 4 || ids[0] != first {
			t.Fatalf("order after upload %v", ids)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM product_images WHERE product_id = $1 AND content_type IN ('image/jpeg', 'image/png', 'image/webp') AND width > 0`, p); n != 4 {
			t.Fatalf("stored %d", n)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM audit_log WHERE action = 'merch.image_add' AND entity_id = $1`, p.String()); n != 1 {
			t.Fatalf("audit %d", n)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM outbox_events WHERE topic = 'catalog.product_changed' AND key = $1`, p.String()); n != 1 {
			t.Fatalf("events %d", n)
		}

		// The storefront serves the original and a thumbnail with a long cache.
		srv := apptest.Serve(t, a)
		for _, q := range []string{"", "?w=240"} {
			resp, err := http.Get(srv + "/images/" + ids[1].String() + q)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cfg, _, err := image.DecodeConfig(bytes.NewReader(body))
			if resp.StatusCode != 200 || err != nil || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
				t.Fatalf("serve %q: %d %v %s", q, resp.StatusCode, err, resp.Header.Get("Cache-Control"))
			}
			if want := map[string]int{"": 1200, "?w=240": 240}[q]; cfg.Width != want {
				t.Fatalf("serve %q: width %d", q, cfg.Width)
			}
		}

		// Bad uploads: each refused with its 4xx and nothing saved, even
		// beside a good file.
		for _, tc := range []struct {
			name   string
			data   []byte
			status int
			text   string
		}{
			{"wrong.jpg", []byte("GIF89a not really"), http.StatusUnsupportedMediaType, "仅支持 JPEG、PNG 或 WebP 图片"},
			{"bomb.png", bomb(t), http.StatusUnprocessableEntity, "图片尺寸过大（60000×60000）"},
			{"big.png", append(pngOf(t, 8, 8), make([]byte, 10<<20)...), http.StatusRequestEntityTooLarge, "图片文件过大，最大 10 MB"},
		} {
			res := upload(t, a, platform.RoleCatalog, path, "ok.png", pngOf(t, 50, 50), tc.name, tc.data)
			if res.Code != tc.status || !strings.Contains(res.Body.String(), tc.text) || !strings.Contains(res.Body.String(), tc.name) {
				t.Fatalf("%s: %d %s", tc.name, res.Code, res.Body)
			}
			if got := len(imageOrder(t, a, p)); got != 4 {
				t.Fatalf("%s: %d images after a refused upload", tc.name, got)
			}
		}
		// A body far past every limit is refused at the door.
		if res := upload(t, a, platform.RoleCatalog, path, "huge.png", make([]byte, 120<<20)); res.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("huge: %d", res.Code)
		}

		// Reorder, set main, delete.
		if res := form(t, a, platform.RoleCatalog, path+"/"+ids[3].String()+"/main", nil); res.Code != http.StatusSeeOther {
			t.Fatalf("main: %d %s", res.Code, res.Body)
		}
		if got := imageOrder(t, a, p); got[0] != ids[3] || got[1] != ids[0] || got[3] != ids[2] {
			t.Fatalf("after main %v (was %v)", got, ids)
		}
		if res := form(t, a, platform.RoleCatalog, path+"/"+ids[0].String()+"/move", url.Values{"by": {"1"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("move: %d %s", res.Code, res.Body)
		}
		if got := imageOrder(t, a, p); got[1] != ids[1] || got[2] != ids[0] {
			t.Fatalf("after move %v", got)
		}
		if res := form(t, a, platform.RoleCatalog, path+"/"+ids[1].String()+"/delete", nil); res.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", res.Code, res.Body)
		}
		got := imageOrder(t, a, p)
		if len(got) != 3 || got[0] != ids[3] || got[1] != ids[0] || got[2] != ids[2] {
			t.Fatalf("after delete %v", got)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM product_images WHERE product_id = $1 AND position BETWEEN 0 AND 2`, p); n != 3 {
			t.Fatalf("positions not dense: %d", n)
		}
		for _, action := range []string{"merch.image_main", "merch.image_move", "merch.image_delete"} {
			if n := count(t, a, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity_id = $2 AND before_json IS NOT NULL AND after_json IS NOT NULL`, action, p.String()); n != 1 {
				t.Fatalf("audit %s: %d", action, n)
			}
		}
		if n := count(t, a, `SELECT COUNT(*) FROM outbox_events WHERE topic = 'catalog.product_changed' AND key = $1`, p.String()); n != 4 {
			t.Fatalf("events %d", n)
		}
		resp, _ := http.Get(srv + "/images/" + ids[1].String() + "?w=240")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("deleted image served: %d", resp.StatusCode)
		}
		resp.Body.Close()

		// The page lists them; an analyst sees it without the forms and
		// may not change anything.
		page := staffDo(t, a, platform.RoleCatalog, http.MethodGet, path, "", nil)
		if page.Code != 200 || strings.Count(page.Body.String(), `class="card" data-id=`) != 3 || !strings.Contains(page.Body.String(), "upload-form") {
			t.Fatalf("page: %d %s", page.Code, page.Body)
		}
		if page := staffDo(t, a, platform.RoleAnalyst, http.MethodGet, path, "", nil); page.Code != 200 || strings.Contains(page.Body.String(), "upload-form") {
			t.Fatalf("analyst page: %d", page.Code)
		}
		if res := form(t, a, platform.RoleAnalyst, path+"/"+ids[0].String()+"/delete", nil); res.Code != http.StatusForbidden {
			t.Fatalf("analyst delete: %d", res.Code)
		}
		// Unknown product or image, another product's image, bad input.
		other, _ := f.Create(catalogtest.Product{Category: cat, Title: "另一件", Images: 1})
		for target, status := range map[string]int{
			"/console/products/999/images":                              404,
			path + "/999/delete":                                        404,
			path + "/" + imageOrder(t, a, other)[0].String() + "/main":  404,
			path + "/" + ids[0].String() + "/move":                      422,
			"/console/products/x/images/1/delete":                       404,
			"/console/products/999/images/" + ids[0].String() + "/main": 404,
		} {
			var res *httptest.ResponseRecorder
			if strings.HasSuffix(target, "/images") {
				res = staffDo(t, a, platform.RoleCatalog, http.MethodGet, target, "", nil)
			} else {
				res = form(t, a, platform.RoleCatalog, target, nil)
			}
			if res.Code != status {
				t.Errorf("%s: %d, want %d", target, res.Code, status)
			}
		}
		if res := upload(t, a, platform.RoleCatalog, path); res.Code != http.StatusUnprocessableEntity {
			t.Errorf("no file: %d", res.Code)
		}
		if got := imageOrder(t, a, other); len(got) != 1 {
			t.Fatalf("other product changed: %v", got)
		}
	})
}

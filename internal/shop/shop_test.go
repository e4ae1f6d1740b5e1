package shop_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
)

const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"

// shopFixture is a tiny catalog: 服饰 > T恤 with an on-sale shirt (two
// SKUs, one sold out), an off-sale product, and 数码 with a phone.
type shopFixture struct {
	apparel, tees, digital platform.ID
	shirt, hidden, phone   platform.ID
}

func newShopFixture(t *testing.T, a *app.App) shopFixture {
	t.Helper()
	f := catalogtest.New(t, a.DB)
	var x shopFixture
	x.apparel = f.Category("服饰", "Apparel", 0)
	x.tees = f.Category("T恤", "Tees", x.apparel)
	x.digital = f.Category("数码", "Digital", 0)
	x.shirt, _ = f.Create(catalogtest.Product{Category: x.tees, Title: "有机纯棉T恤", Subtitle: "新疆长绒棉",
		Description: "宽松版型，四季可穿。", Attributes: `{"材质":"棉","产地":"新疆"}`, Images: 2,
		SKUs: []catalogtest.SKU{
			{Spec: map[string]string{"颜色": "黑色", "尺码": "M"}, SpecText: "黑色 / M", Price: 5900, CompareAt: 7900, Stock: 10, Reserved: 3},
			{Spec: map[string]string{"颜色": "白色", "尺码": "L"}, SpecText: "白色 / L", Price: 6900, Stock: 2, Reserved: 2},
		}})
	x.hidden, _ = f.Create(catalogtest.Product{Category: x.tees, Title: "下架的衬衫", Status: catalog.StatusOffSale})
	x.phone, _ = f.Create(catalogtest.Product{Category: x.digital, Title: "国产手机", SKUs: []catalogtest.SKU{{Price: 199900, Stock: 4}}})
	return x
}

// browser is a client with a phone's User-Agent and its own cookies. It
// does not decompress, so tests see exactly what was sent.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string, hdr ...string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	req.Header.Set("User-Agent", iphone)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestStorefrontPages(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		x := newShopFixture(t, a)
		b := newBrowser(t, apptest.Serve(t, a))
		cases := []struct {
			name, path string
			want       []string
			not        []string
		}{
			{"home", "/", []string{"服饰", "数码", "有机纯棉T恤", "¥59.00", "国产手机", "¥1,999.00", "/p/" + x.shirt.String(), `action="/lang"`}, []string{"下架的衬衫"}},
			{"category with sub-categories", "/c/" + x.apparel.String(), []string{"有机纯棉T恤", "T恤", "¥59.00"}, []string{"国产手机", "下架的衬衫"}},
			{"category by price", "/c/" + x.digital.String() + "?sort=price_desc", []string{"国产手机", `class="active"`}, nil},
			{"product", "/p/" + x.shirt.String(), []string{"有机纯棉T恤", "新疆长绒棉", "黑色 / M", "白色 / L", "¥59.00", "¥69.00", "¥79.00",
				"库存 7 件", "售罄", "材质", "新疆", "宽松版型", "/images/", "服饰"}, nil},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				resp, body := b.get(c.path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d: %s", resp.StatusCode, body)
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Fatalf("content type %q", ct)
				}
				mustContain(t, body, c.want...)
				for _, n := range c.not {
					if strings.Contains(body, n) {
						t.Errorf("page shows %q", n)
					}
				}
			})
		}
		t.Run("english", func(t *testing.T) {
			next := "/p/" + x.shirt.String()
			resp, err := b.c.PostForm(b.base+"/lang", url.Values{"lang": {"en"}, "next": {next}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != next {
				t.Fatalf("language switch: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			resp, body := b.get(next)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			mustContain(t, body, "7 in stock", "Sold out", "Apparel", "中文")
			if t.Failed() {
				t.Log(body)
			}
		})
	})
}

func TestStorefrontNotFound(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		x := newShopFixture(t, a)
		b := newBrowser(t, apptest.Serve(t, a))
		for _, path := range []string{"/p/999999", "/p/abc", "/p/-1", "/p/" + x.hidden.String(), "/c/424242", "/c/x1", "/images/12345", "/no-such-page"} {
			resp, body := b.get(path)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
				continue
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("%s: content type %q, want a friendly HTML page", path, ct)
			}
			mustContain(t, body, "404", `href="/"`)
		}
	})
}

func TestStorefrontCachingAndCompression(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		x := newShopFixture(t, a)
		b := newBrowser(t, apptest.Serve(t, a))
		path := "/p/" + x.shirt.String()
		plainResp, plain := b.get(path)
		// A tracked shopper's response sets the visit cookies, so it may
		// only be kept in the shopper's own browser cache.
		if cc := plainResp.Header.Get("Cache-Control"); cc != "private, max-age=60" {
			t.Errorf("Cache-Control %q, want private while cookies are set", cc)
		}
		etag := plainResp.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		resp, body := b.get(path, "If-None-Match", etag)
		if resp.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("If-None-Match: status %d, %d bytes; want 304 and no body", resp.StatusCode, len(body))
		}
		resp, zipped := b.get(path, "Accept-Encoding", "gzip, deflate, br")
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
		}
		for _, h := range []http.Header{resp.Header, plainResp.Header} {
			if v := strings.Join(h.Values("Vary"), ", "); !strings.Contains(v, "Accept-Encoding") {
				t.Errorf("Vary %q lacks Accept-Encoding", v)
			}
		}
		zr, err := gzip.NewReader(strings.NewReader(zipped))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, _ := io.ReadAll(zr)
		if !bytes.Equal(unzipped, []byte(plain)) {
			t.Errorf("gzip body decodes to %d bytes that differ from the %d plain ones", len(unzipped), len(plain))
		}
		if len(zipped) >= len(plain) {
			t.Errorf("gzip did not shrink the page: %d >= %d", len(zipped), len(plain))
		}
		// The gzipped ETag still matches: If-None-Match compares weakly.
		if resp, _ := b.get(path, "Accept-Encoding", "gzip", "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != http.StatusNotModified {
			t.Errorf("gzip If-None-Match: status %d", resp.StatusCode)
		}

		// Images: long immutable cache, sha256 ETag, never gzipped.
		detail, err := catalog.NewService(a.DB, catalog.ServiceConfig{}).Product(context.Background(), x.shirt)
		if err != nil {
			t.Fatal(err)
		}
		img := detail.Images[0]
		for _, q := range []string{"", "?w=240", "?w=40"} {
			resp, data := b.get("/images/"+img.ID.String()+q, "Accept-Encoding", "gzip")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("image%s: status %d", q, resp.StatusCode)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
				t.Errorf("image%s Cache-Control %q", q, cc)
			}
			if resp.Header.Get("Content-Encoding") != "" || len(data) == 0 {
				t.Errorf("image%s: encoding %q, %d bytes", q, resp.Header.Get("Content-Encoding"), len(data))
			}
			et := resp.Header.Get("ETag")
			if !strings.Contains(et, img.SHA256) {
				t.Errorf("image%s ETag %q lacks the sha256 %s", q, et, img.SHA256)
			}
			if r2, _ := b.get("/images/"+img.ID.String()+q, "If-None-Match", et); r2.StatusCode != http.StatusNotModified {
				t.Errorf("image%s revalidation: status %d", q, r2.StatusCode)
			}
		}
	})
}

package shop_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/traffic"
)

// startApp runs the app's background work (the tracker's flusher) and
// returns a function that stops it, which flushes the tracking buffer.
func startApp(t *testing.T, a *app.App) (stop func()) {
	t.Helper()
	ctx := context.Background()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			a.Stop(sctx)
		}
	}
	t.Cleanup(stop)
	return stop
}

type sessionRow struct {
	source, utmSource, utmMedium, utmCampaign, referrer, landing, device string
	pageViews                                                            int
}

func sessions(t *testing.T, a *app.App) []sessionRow {
	t.Helper()
	rows, err := a.DB.R.Query(`SELECT source, utm_source, utm_medium, utm_campaign, referrer, landing_path, device, page_views
		FROM visit_sessions ORDER BY started_at, id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []sessionRow
	for rows.Next() {
		var s sessionRow
		if err := rows.Scan(&s.source, &s.utmSource, &s.utmMedium, &s.utmCampaign, &s.referrer, &s.landing, &s.device, &s.pageViews); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestVisitTracking(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		x := newShopFixture(t, a)
		stop := startApp(t, a)
		b := newBrowser(t, apptest.Serve(t, a))
		b.get("/?utm_source=douyin&utm_medium=live&utm_campaign=双11直播", "Referer", "https://live.douyin.com/8848")
		b.get("/c/" + x.apparel.String())
		b.get("/p/" + x.shirt.String())
		// A robot is never recorded.
		bot := newBrowser(t, b.base)
		req := "/p/" + x.shirt.String()
		for _, ua := range []string{"Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", "curl/8.5.0"} {
			bot.get(req, "User-Agent", ua)
		}
		stop()

		got := sessions(t, a)
		if len(got) != 1 {
			t.Fatalf("%d sessions, want 1: %+v", len(got), got)
		}
		s := got[0]
		if s.source != string(traffic.DouyinLive) || s.utmSource != "douyin" || s.utmMedium != "live" || s.utmCampaign != "双11直播" ||
			s.device != "mobile" || s.pageViews != 3 || !strings.HasPrefix(s.landing, "/?utm_source=douyin") || s.referrer != "https://live.douyin.com/8848" {
			t.Errorf("session %+v", s)
		}
		var pages, products int
		var product sql.NullInt64
		if err := a.DB.R.QueryRow(`SELECT COUNT(*) FROM visit_events WHERE kind = 'page_view'`).Scan(&pages); err != nil {
			t.Fatal(err)
		}
		if err := a.DB.R.QueryRow(`SELECT COUNT(*), MAX(product_id) FROM visit_events WHERE kind = 'product_view'`).Scan(&products, &product); err != nil {
			t.Fatal(err)
		}
		if pages != 2 || products != 1 || product.Int64 != int64(x.shirt) {
			t.Errorf("events: %d page views, %d product views of %d", pages, products, product.Int64)
		}
	})
}

// The session cookie keeps a visit in one session; without it (30 minutes
// idle lets it lapse) the next visit starts a new one with its own source.
func TestVisitNewSessionAfterIdle(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		newShopFixture(t, a)
		stop := startApp(t, a)
		b := newBrowser(t, apptest.Serve(t, a))
		b.get("/?utm_source=xhs")
		b.get("/")
		u, _ := url.Parse(b.base)
		var idle []*http.Cookie
		for _, c := range b.c.Jar.Cookies(u) {
			if c.Name == traffic.SessionCookie {
				c.MaxAge = -1
			}
			idle = append(idle, c)
		}
		b.c.Jar.SetCookies(u, idle)
		b.get("/", "Referer", "https://www.baidu.com/s?wd=t恤")
		stop()
		got := sessions(t, a)
		if len(got) != 2 || got[0].source != "xiaohongshu" || got[0].pageViews != 2 || got[1].source != "search" || got[1].pageViews != 1 {
			t.Errorf("sessions %+v", got)
		}
	})
}

func TestVisitHostileUTM(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		newShopFixture(t, a)
		stop := startApp(t, a)
		b := newBrowser(t, apptest.Serve(t, a))
		script := `<script>alert("x")</script>`
		resp, body := b.get("/?utm_campaign="+url.QueryEscape(script)+"%FF%FE"+strings.Repeat("%E9%95%BF", 400)+
			"&utm_source="+strings.Repeat("a", 5000), "Referer", "https://evil.example/"+strings.Repeat("x", 3000)+"<img src=x onerror=alert(1)>")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if strings.Contains(body, script) || strings.Contains(body, "onerror=alert") {
			t.Error("the storefront reflects the hostile value unescaped")
		}
		stop()
		got := sessions(t, a)
		if len(got) != 1 {
			t.Fatalf("%d sessions", len(got))
		}
		s := got[0]
		for name, v := range map[string]string{"utm_campaign": s.utmCampaign, "utm_source": s.utmSource, "referrer": s.referrer, "landing": s.landing} {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				t.Errorf("%s stored invalid: %q", name, v)
			}
		}
		if !strings.HasPrefix(s.utmCampaign, script) || utf8.RuneCountInString(s.utmCampaign) != traffic.MaxUTMLen {
			t.Errorf("utm_campaign stored as %q (%d chars)", s.utmCampaign, utf8.RuneCountInString(s.utmCampaign))
		}
		if len(s.utmSource) != traffic.MaxUTMLen || utf8.RuneCountInString(s.referrer) != traffic.MaxReferrerLen || s.source != "other" {
			t.Errorf("lengths: source %d, referrer %d; channel %s", len(s.utmSource), utf8.RuneCountInString(s.referrer), s.source)
		}
	})
}

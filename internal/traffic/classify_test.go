package traffic

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		Src, Med, Ref string
		Want          Source
	}{
		{"douyin", "live", "", DouyinLive},
		{"", "", "https://live.douyin.com/12345", DouyinLive},
		{"douyin", "", "", ShortVideo},
		{"kuaishou", "", "", ShortVideo},
		{"", "short_video", "", ShortVideo},
		{"", "", "https://www.kuaishou.com/short-video/3x", ShortVideo},
		{"xhs", "", "", Xiaohongshu},
		{"", "", "https://www.xiaohongshu.com/explore/1", Xiaohongshu},
		{"weixin", "social", "", WeChat},
		{"", "", "https://mp.weixin.qq.com/s/abc", WeChat},
		{"baidu", "cpc", "", Ads},
		{"", "gdt", "", Ads},
		{"toutiao", "ocean", "", Ads},
		{"", "", "https://www.baidu.com/s?wd=t恤", Search},
		{"", "", "https://cn.bing.com/search?q=x", Search},
		{"sogou", "", "", Search},
		{"", "", "", Direct},
		{"", "", "https://shop.example/c/1", Direct}, // internal
		{"", "", "https://some.blog/post", Other},
		{"newsletter", "email", "", Other},
	}
	for _, c := range cases {
		if got := Classify(c.Src, c.Med, c.Ref, "shop.example:8080"); got != c.Want {
			t.Errorf("Classify(%q, %q, %q) = %s, want %s", c.Src, c.Med, c.Ref, got, c.Want)
		}
	}
}

func TestClean(t *testing.T) {
	hostile := "<script>alert(1)</script>\x00\xff\xfe" + strings.Repeat("长", 500)
	got := Clean(hostile, MaxUTMLen)
	if !utf8.ValidString(got) || utf8.RuneCountInString(got) > MaxUTMLen || strings.ContainsRune(got, 0) {
		t.Fatalf("Clean kept %q", got)
	}
	if !strings.HasPrefix(got, "<script>alert(1)</script>\uFFFD") {
		t.Errorf("Clean changed the readable part: %q", got)
	}
	if Clean("abc", 2) != "ab" || Clean("", 5) != "" {
		t.Error("Clean does not cut")
	}
}

func TestDeviceAndBots(t *testing.T) {
	devices := map[string]Device{
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148":               Mobile,
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120 Mobile Safari/537.36":           Mobile,
		"Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)":                                      Tablet,
		"Mozilla/5.0 (Linux; Android 13; SM-X700) Chrome/120 Safari/537.36":                  Tablet,
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537": Desktop,
	}
	for ua, want := range devices {
		if got := DeviceOf(ua); got != want {
			t.Errorf("DeviceOf(%q) = %s, want %s", ua, got, want)
		}
		if IsBot(ua) {
			t.Errorf("IsBot(%q)", ua)
		}
	}
	for _, ua := range []string{"", "Mozilla/5.0 (compatible; Baiduspider/2.0)", "Googlebot/2.1", "curl/8.5.0", "Go-http-client/1.1", "python-requests/2.31"} {
		if !IsBot(ua) {
			t.Errorf("IsBot(%q) = false", ua)
		}
	}
}

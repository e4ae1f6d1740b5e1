package traffic

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field length limits: raw values are kept for reports but never more
// than this many characters.
const (
	MaxUTMLen      = 128
	MaxReferrerLen = 512
	MaxPathLen     = 512
)

// Clean makes an untrusted value safe to store: invalid UTF-8 becomes
// U+FFFD, control characters (NUL breaks PostgreSQL text) are dropped, and
// the result is cut to at most max characters on a character boundary.
// It does not escape HTML: templates escape on output.
func Clean(s string, max int) string {
	if len(s) > 4*max {
		s = s[:4*max] // bound the work on hostile input
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n >= max {
			break
		}
		if unicode.IsControl(r) {
			continue
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Classify normalises where a visit came from. utm values win over the
// referrer; host is this site's host, so an internal referrer counts as
// direct.
//
//   - douyin with a live medium, or a Douyin live link → douyin_live
//   - paid media (cpc, ppc, ads, gdt, ocean…) → ads
//   - video media, or kuaishou/douyin otherwise → short_video
//   - xiaohongshu/xhs → xiaohongshu
//   - weixin/wechat → wechat
//   - search engines (baidu, so/360, sogou, bing, google, shenma) → search
//   - nothing at all → direct; anything else → other
func Classify(utmSource, utmMedium, referrer, host string) Source {
	src := strings.ToLower(strings.TrimSpace(utmSource))
	med := strings.ToLower(strings.TrimSpace(utmMedium))
	var refHost, refPath string
	if u, err := url.Parse(strings.TrimSpace(referrer)); err == nil && u.Host != "" {
		refHost = strings.ToLower(u.Hostname())
		refPath = strings.ToLower(u.Path)
		if host != "" && strings.EqualFold(refHost, hostOnly(host)) {
			refHost, refPath = "", ""
		}
	}
	douyin := anyOf(src, "douyin", "dy", "tiktok") || hostIn(refHost, "douyin.com", "iesdouyin.com")
	switch {
	case douyin && (strings.Contains(med, "live") || strings.HasPrefix(refHost, "live.") || strings.Contains(refPath, "/live")):
		return DouyinLive
	case anyOf(med, "cpc", "ppc", "cpm", "cpa", "ads", "ad", "paid", "gdt", "ocean", "oceanengine", "sem"):
		return Ads
	case anyOf(med, "video", "short_video", "shortvideo") || douyin ||
		anyOf(src, "kuaishou", "ks") || hostIn(refHost, "kuaishou.com", "chenzhongtech.com"):
		return ShortVideo
	case anyOf(src, "xiaohongshu", "xhs", "redbook") || hostIn(refHost, "xiaohongshu.com", "xhslink.com"):
		return Xiaohongshu
	case anyOf(src, "weixin", "wechat", "wx") || hostIn(refHost, "weixin.qq.com", "wx.qq.com", "wechat.com"):
		return WeChat
	case anyOf(src, "baidu", "so", "360", "sogou", "bing", "google", "shenma", "sm") ||
		hostIn(refHost, "baidu.com", "so.com", "sogou.com", "bing.com", "google.com", "google.cn", "sm.cn") ||
		(med == "organic" || med == "search"):
		return Search
	case src == "" && med == "" && refHost == "":
		return Direct
	}
	return Other
}

func anyOf(v string, options ...string) bool {
	if v == "" {
		return false
	}
	for _, o := range options {
		if v == o {
			return true
		}
	}
	return false
}

// hostIn reports whether h is one of the domains or a subdomain of one.
func hostIn(h string, domains ...string) bool {
	if h == "" {
		return false
	}
	for _, d := range domains {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	return false
}

func hostOnly(hostport string) string {
	if h, _, ok := strings.Cut(hostport, ":"); ok && !strings.Contains(h, "]") {
		return h
	}
	return hostport
}

// Device is mobile, desktop or tablet.
type Device string

const (
	Mobile  Device = "mobile"
	Desktop Device = "desktop"
	Tablet  Device = "tablet"
)

// DeviceOf guesses the device from a User-Agent.
func DeviceOf(ua string) Device {
	u := strings.ToLower(ua)
	switch {
	case strings.Contains(u, "ipad") || strings.Contains(u, "tablet") ||
		(strings.Contains(u, "android") && !strings.Contains(u, "mobile")):
		return Tablet
	case strings.Contains(u, "mobi") || strings.Contains(u, "iphone") || strings.Contains(u, "android") ||
		strings.Contains(u, "micromessenger") || strings.Contains(u, "harmonyos"):
		return Mobile
	}
	return Desktop
}

var botMarks = []string{"bot", "spider", "crawl", "slurp", "curl/", "wget", "python-", "go-http-client",
	"headlesschrome", "httpclient", "java/", "okhttp", "scrapy", "libwww", "phantomjs", "facebookexternalhit", "preview"}

// IsBot reports whether a User-Agent is an obvious robot (crawlers,
// scripts, link previewers, an empty agent); those visits are not counted.
func IsBot(ua string) bool {
	if strings.TrimSpace(ua) == "" || !utf8.ValidString(ua) {
		return true
	}
	u := strings.ToLower(ua)
	for _, m := range botMarks {
		if strings.Contains(u, m) {
			return true
		}
	}
	return false
}

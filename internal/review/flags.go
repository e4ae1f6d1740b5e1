package review

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Flag names one automatic check that held a review back for a person
// to look at.
type Flag string

// The flags. A flagged review waits in the moderation queue, hidden from
// shoppers, until staff approve or reject it.
const (
	// FlagLink: a URL or a web address (shoppers led off the shop).
	FlagLink Flag = "link"
	// FlagAd: advertising phrases (加微信领券, 刷单, 代购…).
	FlagAd Flag = "ad"
	// FlagContact: a mobile number, WeChat or QQ id, or an email.
	FlagContact Flag = "contact"
	// FlagProfanity: a word from the profanity lexicon.
	FlagProfanity Flag = "profanity"
)

// Flags lists every flag in display order.
var Flags = []Flag{FlagLink, FlagAd, FlagContact, FlagProfanity}

// Label is the flag's message key.
func (f Flag) Label() string { return "review.flag." + string(f) }

// Valid reports whether f is a known flag.
func (f Flag) Valid() bool {
	for _, v := range Flags {
		if f == v {
			return true
		}
	}
	return false
}

var (
	linkRe = regexp.MustCompile(`(?i)(https?://|www\.|[a-z0-9-]+\.(com|cn|net|org|top|xyz|shop|vip|cc|io|me|tk|club|site|link)\b|t\.cn/|dwz\.)`)
	// A mainland mobile number, once spaces, dashes and dots between its
	// digits are dropped (see digitsOnly).
	mobileRe = regexp.MustCompile(`(^|\D)1[3-9]\d{9}(\D|$)`)
	// WeChat and QQ handles after their usual spellings and evasions.
	wechatRe = regexp.MustCompile(`(?i)(微信|薇信|威信|徽信|vx|wx|weixin|wechat|v信|加v|加我v|➕v)\s*[号:：]?\s*[a-z][-_a-z0-9]{5,19}`)
	qqRe     = regexp.MustCompile(`(?i)(qq|扣扣|企鹅)\s*[号群:：]?\s*\d{5,11}`)
	emailRe  = regexp.MustCompile(`(?i)[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}`)
	// Contact words alone ("加我微信", "私聊") are an invitation even
	// without the id (it is often in the photo).
	contactWords = []string{"加我微信", "加微信", "加v信", "加vx", "加qq", "私聊我", "私信我", "联系我", "电话联系"}
	adWords      = []string{"代购", "刷单", "兼职", "招代理", "日赚", "日结", "返现", "领券", "优惠券领取", "低价出", "免费领", "扫码", "点击链接",
		"淘宝搜", "拼多多搜", "同款更便宜", "便宜出", "加群", "团购群", "推广", "招商", "高仿", "a货"}
	profanity = []string{"傻逼", "傻b", "傻比", "煞笔", "沙雕", "他妈的", "妈的", "操你", "草泥马", "尼玛", "滚你", "狗日", "王八蛋", "贱人", "脑残",
		"fuck", "shit", "bitch", "asshole", "bastard", "dickhead", "wtf"}
)

// chineseDigits maps spelled-out digits, which evaders use for numbers
// (一三八…), to ASCII.
var chineseDigits = strings.NewReplacer("零", "0", "〇", "0", "一", "1", "幺", "1", "二", "2", "两", "2", "三", "3", "四", "4", "五", "5",
	"六", "6", "七", "7", "八", "8", "九", "9", "壹", "1", "贰", "2", "叁", "3", "肆", "4", "伍", "5", "陆", "6", "柒", "7", "捌", "8", "玖", "9")

// normalize folds full-width letters and digits to ASCII and lower-cases,
// so "ＱＱ１２３４５６" reads as "qq123456".
func normalize(s string) string {
	return strings.ToLower(width.Fold.String(s))
}

// digitsOnly joins digits separated by spaces, dashes, dots or
// spelled-out digits, so "138 1234-5678" and "一三八…" both read as a
// mobile number.
func digitsOnly(s string) string {
	s = chineseDigits.Replace(s)
	var b strings.Builder
	for _, r := range s {
		if r == ' ' || r == '-' || r == '.' || r == '_' || r == '/' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Check runs the automatic checks on a review's text and returns the
// flags that fired, in Flags order (nil for a clean text).
func Check(text string) []Flag {
	t := normalize(text)
	compact := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, t)
	var out []Flag
	if linkRe.MatchString(emailRe.ReplaceAllString(t, " ")) {
		out = append(out, FlagLink)
	}
	if containsAny(compact, adWords) {
		out = append(out, FlagAd)
	}
	if mobileRe.MatchString(digitsOnly(t)) || wechatRe.MatchString(t) || qqRe.MatchString(t) || emailRe.MatchString(t) ||
		containsAny(compact, contactWords) {
		out = append(out, FlagContact)
	}
	if containsAny(compact, profanity) {
		out = append(out, FlagProfanity)
	}
	return out
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// joinFlags is the column form of flags.
func joinFlags(fs []Flag) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = string(f)
	}
	return strings.Join(parts, ",")
}

// splitFlags reads the column form back.
func splitFlags(s string) []Flag {
	if s == "" {
		return nil
	}
	var out []Flag
	for _, p := range strings.Split(s, ",") {
		out = append(out, Flag(p))
	}
	return out
}

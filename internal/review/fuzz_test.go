package review

import (
	"testing"
	"unicode/utf8"
)

// The checks and the topic lexicon read any text a shopper can send:
// they never panic, flags are known ones without repeats, topics are
// known with a polarity of ±1.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"质量很好，物流很快", "加我微信 abc123456", "１３８ １２３４ ５６７８", "http://t.cn/x", "傻逼", "", "但是但是，，，", "\xff\xfe"} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, text string, rating int) {
		seen := map[Flag]bool{}
		for _, fl := range Check(text) {
			if !fl.Valid() || seen[fl] {
				t.Fatalf("Check(%q): flag %q", text, fl)
			}
			seen[fl] = true
		}
		for _, h := range FindTopics(text, rating) {
			if !h.Topic.Valid() || (h.Polarity != 1 && h.Polarity != -1) {
				t.Fatalf("FindTopics(%q): %+v", text, h)
			}
		}
		in := Input{OrderLineID: 1, Rating: 3, Body: text}
		if err := in.Validate(); err == nil && !utf8.ValidString(in.Body) {
			t.Fatalf("Validate kept invalid UTF-8: %q", in.Body)
		}
	})
}

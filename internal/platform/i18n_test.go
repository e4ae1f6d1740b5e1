package platform

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseLang(t *testing.T) {
	tests := []struct {
		accept string
		want   Lang
	}{
		{"", ZH},
		{"zh-CN", ZH},
		{"zh", ZH},
		{"zh-Hans-CN", ZH},
		{"zh-CN,zh;q=0.9,en;q=0.8", ZH},
		{"en", EN},
		{"en-US", EN},
		{"en-GB,en;q=0.9", EN},
		{"en-US,en;q=0.9,zh-CN;q=0.8", EN},
		{"zh-CN;q=0.5,en;q=0.9", EN},
		{"fr-FR,en;q=0.5", EN},
		{"fr-FR", ZH},
		{"*", ZH},
		{"zh-TW", ZH},
		{"garbage;;;q=x", ZH},
		{strings.Repeat("en-", 200), ZH},
	}
	for _, tt := range tests {
		if got := ParseLang(tt.accept); got != tt.want {
			t.Errorf("ParseLang(%q) = %s, want %s", tt.accept, got, tt.want)
		}
	}
}

func FuzzParseLang(f *testing.F) {
	for _, s := range []string{"", "en", "zh-CN,en;q=0.8", "*;q=0", "x-klingon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := ParseLang(s); got != ZH && got != EN {
			t.Fatalf("ParseLang(%q) = %q", s, got)
		}
	})
}

// TestCatalogComplete: every registered message has both languages with
// the same fmt verbs, and every error code has its "error.<code>" message.
func TestCatalogComplete(t *testing.T) {
	messagesMu.RLock()
	msgs := make(map[string]Message, len(messages))
	for k, v := range messages {
		msgs[k] = v
	}
	messagesMu.RUnlock()
	errorKeys := 0
	for key, m := range msgs {
		if strings.HasPrefix(key, "error.") {
			errorKeys++
		}
		if strings.TrimSpace(m.ZH) == "" || strings.TrimSpace(m.EN) == "" {
			t.Errorf("message %q: ZH %q, EN %q; both must be non-empty", key, m.ZH, m.EN)
		}
		if zv, ev := verbs(m.ZH), verbs(m.EN); zv != ev {
			t.Errorf("message %q: ZH verbs %q, EN verbs %q; they must match", key, zv, ev)
		}
		if T(ZH, key) == key || T(EN, key) == key {
			t.Errorf("message %q renders as its key", key)
		}
	}
	if errorKeys == 0 {
		t.Fatal("no error.* messages registered")
	}
	for code := range codeStatus {
		key := "error." + string(code)
		if !HasMessage(key) {
			t.Errorf("code %q has no message %q", code, key)
		}
	}
	if HasMessage("error.surely_not_registered") {
		t.Error("HasMessage reports an unknown key")
	}
	if got := T(EN, "error.surely_not_registered"); got != "error.surely_not_registered" {
		t.Errorf("T of an unknown key = %q, want the key", got)
	}
}

func TestTNestedKey(t *testing.T) {
	want := map[Lang]string{ZH: "未找到该资源", EN: "That resource was not found"}
	for lang, w := range want {
		if got := NotFound("resource").Message(lang); got != w {
			t.Errorf("NotFound(resource).Message(%s) = %q, want %q", lang, got, w)
		}
	}
}

func TestRegisterMessagesClash(t *testing.T) {
	RegisterMessages(map[string]Message{"test.clash": {"一", "one"}})
	RegisterMessages(map[string]Message{"test.clash": {"一", "one"}}) // same text: fine
	defer func() {
		if recover() == nil {
			t.Fatal("registering a key twice with different texts did not panic")
		}
	}()
	RegisterMessages(map[string]Message{"test.clash": {"二", "two"}})
}

// verbs lists the fmt verbs of a format, in order ("%s %d").
func verbs(format string) string {
	var out []string
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.ContainsRune("+-# 0123456789.[]*", rune(format[j])) {
			j++
		}
		if j < len(format) && format[j] != '%' {
			out = append(out, fmt.Sprintf("%%%c", format[j]))
		}
		i = j
	}
	return strings.Join(out, " ")
}

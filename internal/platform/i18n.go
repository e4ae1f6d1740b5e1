package platform

import (
	"fmt"
	"sync"

	"golang.org/x/text/language"
)

// Lang is a language the product speaks. zh-CN is the default.
type Lang string

const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

var langMatcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// ParseLang picks zh-CN or en from an Accept-Language header or a cookie
// value; anything it cannot read means zh-CN.
func ParseLang(accept string) Lang {
	if accept == "" {
		return ZH
	}
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return ZH
	}
	_, idx, conf := langMatcher.Match(tags...)
	if conf == language.No {
		return ZH
	}
	if idx == 1 {
		return EN
	}
	return ZH
}

// Message is one text in both languages. Both take the same fmt verbs in
// the same order.
type Message struct{ ZH, EN string }

var (
	messagesMu sync.RWMutex
	messages   = map[string]Message{}
)

// Texts is a compact catalog literal: key → {zh-CN, en}.
type Texts map[string][2]string

// RegisterTexts adds a domain's texts to the catalog (see RegisterMessages).
func RegisterTexts(t Texts) {
	m := make(map[string]Message, len(t))
	for k, v := range t {
		m[k] = Message{ZH: v[0], EN: v[1]}
	}
	RegisterMessages(m)
}

// RegisterMessages adds a domain's texts to the catalog. A key registered
// twice with different texts panics at start-up, so clashes never ship.
func RegisterMessages(m map[string]Message) {
	messagesMu.Lock()
	defer messagesMu.Unlock()
	for k, v := range m {
		if old, ok := messages[k]; ok && old != v {
			panic("platform: message " + k + " registered twice")
		}
		messages[k] = v
	}
}

// Key is a message argument that is itself a message key, rendered in the
// same language as the message around it ("that 商品 was not found").
type Key string

// T renders the message key in lang. An unknown key renders as the key
// itself, which a test over the catalog catches.
func T(lang Lang, key string, args ...any) string {
	messagesMu.RLock()
	m, ok := messages[key]
	messagesMu.RUnlock()
	if !ok {
		return key
	}
	f := m.ZH
	if lang == EN {
		f = m.EN
	}
	if len(args) == 0 {
		return f
	}
	resolved := make([]any, len(args))
	for i, a := range args {
		if k, ok := a.(Key); ok {
			resolved[i] = T(lang, string(k))
		} else {
			resolved[i] = a
		}
	}
	return fmt.Sprintf(f, resolved...)
}

// HasMessage reports whether key is in the catalog.
func HasMessage(key string) bool {
	messagesMu.RLock()
	defer messagesMu.RUnlock()
	_, ok := messages[key]
	return ok
}

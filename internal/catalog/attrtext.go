package catalog

import (
	"strings"
	"unicode/utf8"
)

// Attributes travel as text in the console's forms and in import files:
// "颜色=黑色; 尺码=M". Pairs are separated by ";" (or "；" or a line
// break), names from values by "=" (or "：" / ":").

// AttrText writes attributes in that form.
func AttrText(attrs []Attribute) string {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = a.Name + "=" + a.Value
	}
	return strings.Join(parts, "; ")
}

// ParseAttrText reads attributes written as AttrText writes them. It
// reports false for a pair without a separator or a name; empty pairs are
// skipped.
func ParseAttrText(s string) ([]Attribute, bool) {
	out := []Attribute{}
	if !utf8.ValidString(s) {
		return out, false
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' || r == '\n' || r == '\r' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		i := strings.IndexAny(part, "=:：")
		if i <= 0 {
			return out, false
		}
		sep, _ := utf8.DecodeRuneInString(part[i:])
		out = append(out, Attribute{Name: strings.TrimSpace(part[:i]), Value: strings.TrimSpace(part[i+utf8.RuneLen(sep):])})
	}
	return out, true
}

// SplitList reads a comma-separated list (",", "，" or "、"), trimmed,
// without empty items.
func SplitList(s string) []string {
	out := []string{}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

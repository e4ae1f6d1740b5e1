package search

import (
	"html"
	"strings"
)

// highlightMarks gathers the normalised strings a query matched by.
func highlightMarks(clauses []clause) []string {
	var out []string
	for _, c := range clauses {
		out = appendUnique(out, c.marks...)
	}
	return out
}

// highlight escapes title for HTML and wraps in <em> the parts the query
// matched: the query's words where the title holds them (a Han word also
// by its bigrams, as the index found it), and the Han words whose pinyin
// or initials the shopper typed. Everything else of the title is
// escaped text, so the result is safe to insert as markup.
func (ix *index) highlight(title string, marks []string) string {
	orig := []rune(title)
	norm := normalize(title)
	lit := make([]bool, len(orig))
	text := string(norm)
	light := func(needle string) {
		if needle == "" {
			return
		}
		for from := 0; ; {
			i := strings.Index(text[from:], needle)
			if i < 0 {
				return
			}
			start := len([]rune(text[:from+i]))
			n := len([]rune(needle))
			for k := start; k < start+n && k < len(lit); k++ {
				lit[k] = true
			}
			from += i + len(needle)
		}
	}
	pinyinMarks := map[string]bool{}
	for _, m := range marks {
		if hasHan(m) {
			if strings.Contains(text, m) {
				light(m)
				continue
			}
			for _, sp := range spans([]rune(m)) {
				if sp.han {
					for _, g := range bigrams(sp.text) {
						if len([]rune(g)) > 1 {
							light(g)
						}
					}
				} else {
					light(sp.text)
				}
			}
			continue
		}
		light(m)
		pinyinMarks[m] = true
	}
	if len(pinyinMarks) > 0 {
		for _, sp := range spans(norm) {
			if sp.han {
				ix.lightPinyin(sp, pinyinMarks, lit)
			}
		}
	}
	var b strings.Builder
	open := false
	for i, r := range orig {
		if lit[i] && !open {
			b.WriteString("<em>")
			open = true
		} else if !lit[i] && open {
			b.WriteString("</em>")
			open = false
		}
		b.WriteString(html.EscapeString(string(r)))
	}
	if open {
		b.WriteString("</em>")
	}
	return b.String()
}

// lightPinyin marks the words of a Han run, or any two to four runes of
// it, whose full pinyin or initials the shopper typed (lanya → 蓝牙).
func (ix *index) lightPinyin(sp span, marks map[string]bool, lit []bool) {
	syl := runePinyin(sp.text)
	if len(syl) != len([]rune(sp.text)) {
		return
	}
	hit := func(from, to int) bool {
		full, ini := joinPinyin(syl[from:to])
		return marks[full] || (len(ini) >= 2 && marks[ini])
	}
	light := func(from, n int) {
		for k := from; k < from+n && k < len(lit); k++ {
			lit[k] = true
		}
	}
	pos := 0
	for _, w := range ix.seg.words(sp.text) {
		n := len([]rune(w))
		if pos+n <= len(syl) && hit(pos, pos+n) {
			light(sp.start+pos, n)
		}
		pos += n
	}
	for size := 2; size <= 4; size++ {
		for i := 0; i+size <= len(syl); i++ {
			if hit(i, i+size) {
				light(sp.start+i, size)
			}
		}
	}
}

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
			if !sp.han {
				continue
			}
			pos := sp.start
			for _, w := range ix.seg.words(sp.text) {
				full, ini := pinyinOf(w)
				n := len([]rune(w))
				if pinyinMarks[full] || (len(ini) >= 2 && pinyinMarks[ini]) {
					for k := pos; k < pos+n && k < len(lit); k++ {
						lit[k] = true
					}
				}
				pos += n
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

package search

import "strings"

// didYouMeanBelow is the result count under which a search offers a
// corrected query.
const didYouMeanBelow = 3

// correct rewrites a normalised query into the catalog's words: a Latin
// word that is the pinyin or initials of a catalog word becomes that word
// (lianyiqun, lyq → 连衣裙), a misspelt one its nearest indexed word
// (iphnoe → iphone), and a Han word the index lacks a catalog word of the
// same pinyin (连衣群 → 连衣裙). Anything else stays as typed. Call with
// ix.mu held for reading.
func (ix *index) correct(q string) string {
	var out []string
	for _, sp := range spans([]rune(q)) {
		w := sp.text
		if sp.han {
			known := true
			for _, x := range ix.seg.words(w) {
				if _, ok := ix.postings[x]; !ok {
					known = false
					break
				}
			}
			if !known {
				if full, _ := pinyinOf(w); full != "" {
					if s := ix.byPinyin(full, false); s != "" {
						w = s
					}
				}
			}
			out = append(out, w)
			continue
		}
		if s := ix.byPinyin(w, true); s != "" {
			w = s
		} else if _, ok := ix.postings[w]; !ok {
			if fixed := ix.typos(w); len(fixed) > 0 {
				w = fixed[0]
				if s := ix.byPinyin(w, true); s != "" {
					w = s
				}
			}
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// byPinyin is the catalog word (category, brand or title word) finding
// the most products whose full pinyin, or when initials is set whose
// initials of two or more letters, equal p; "" for none.
func (ix *index) byPinyin(p string, initials bool) string {
	if p == "" {
		return ""
	}
	for _, s := range ix.suggestions {
		if s.full == p || initials && len(p) >= 2 && s.initials == p {
			return s.norm
		}
	}
	return ""
}

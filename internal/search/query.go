package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"storeops/internal/platform"
)

// A query compiles to clauses that must all match (AND). A clause is one
// thing the shopper typed (a word, a model number, a synonym) and matches
// through any of its alternatives (OR); an alternative is a set of term
// groups that must all be present, each group matched by any of its terms.
type clause struct {
	alts []alt
	// marks are the normalised strings to highlight for this clause.
	marks []string
}

type alt struct {
	groups [][]string
	factor float64
}

// Query limits: a shopper's query is a few words. Longer input is refused
// rather than analysed (a pasted page must not cost a CPU second).
const (
	maxQueryRunes = 100
	maxQueryBytes = 400
	maxClauses    = 12
	maxTypoTerms  = 4
)

// compile turns a normalised query into clauses against ix. Call with
// ix.mu held for reading.
func (ix *index) compile(q string) []clause {
	var out []clause
	rest := " " + q + " "
	// Synonyms first, longest first: a query holding 手机壳 matches every
	// word of its group, whatever the segmenter would make of it.
	for _, t := range ix.synonyms.terms {
		for {
			i := strings.Index(rest, t)
			if i < 0 || !wordBoundary(rest, i, len(t)) {
				break
			}
			rest = rest[:i] + " " + rest[i+len(t):]
			c := clause{}
			for _, m := range ix.synonyms.byTerm[t] {
				f := 0.9
				if m == t {
					f = 1
				}
				c.alts = append(c.alts, ix.phraseAlts(m, f)...)
				c.marks = append(c.marks, m)
			}
			out = append(out, c)
		}
	}
	for _, sp := range spans([]rune(rest)) {
		if sp.han {
			for _, w := range ix.seg.words(sp.text) {
				out = append(out, clause{alts: ix.phraseAlts(w, 1), marks: []string{w}})
			}
			continue
		}
		out = append(out, ix.latinClause(sp.text))
	}
	if len(out) > maxClauses {
		out = out[:maxClauses]
	}
	return out
}

// wordBoundary reports whether the match of n bytes at i in s stands on
// its own when it is Latin: "pro" must not match inside "iphonepro". Han
// matches anywhere, as Chinese has no spaces.
func wordBoundary(s string, i, n int) bool {
	first, _ := utf8.DecodeRuneInString(s[i:])
	if isHan(first) {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+n:])
	alnum := func(r rune) bool { return !isHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	return !alnum(before) && !alnum(after)
}

// phraseAlts are the ways a word or a short phrase matches: as the
// indexed word itself, or (Han) by all its bigrams, or (Latin) by its
// words.
func (ix *index) phraseAlts(p string, factor float64) []alt {
	var alts []alt
	if _, ok := ix.postings[p]; ok {
		alts = append(alts, alt{groups: [][]string{{p}}, factor: factor})
	}
	var groups [][]string
	for _, sp := range spans([]rune(p)) {
		if sp.han {
			for _, g := range bigrams(sp.text) {
				groups = append(groups, []string{g})
			}
			continue
		}
		groups = append(groups, ix.latinTerms(sp.text))
	}
	if len(groups) > 0 {
		alts = append(alts, alt{groups: groups, factor: factor * 0.8})
	}
	return alts
}

// latinClause matches a Latin word: itself; when the index lacks it, its
// letter and digit parts (xiaomi14 → xiaomi 14) or the nearest indexed
// words within the typo allowance (iphnoe → iphone).
func (ix *index) latinClause(w string) clause {
	c := clause{marks: []string{w}}
	if _, ok := ix.postings[w]; ok {
		c.alts = append(c.alts, alt{groups: [][]string{{w}}, factor: 1})
		return c
	}
	if parts := alnumParts(w); parts != nil {
		var groups [][]string
		for _, p := range parts {
			groups = append(groups, ix.latinTerms(p))
			c.marks = append(c.marks, p)
		}
		c.alts = append(c.alts, alt{groups: groups, factor: 0.9})
	}
	if fixed := ix.typos(w); len(fixed) > 0 {
		c.alts = append(c.alts, alt{groups: [][]string{fixed}, factor: 0.7})
		c.marks = append(c.marks, fixed...)
	}
	if len(c.alts) == 0 {
		// Nothing can match; the clause still empties the result.
		c.alts = append(c.alts, alt{groups: [][]string{{w}}, factor: 1})
	}
	return c
}

// latinTerms is a word or, when the index lacks it, its typo variants.
func (ix *index) latinTerms(w string) []string {
	if _, ok := ix.postings[w]; ok {
		return []string{w}
	}
	if fixed := ix.typos(w); len(fixed) > 0 {
		return fixed
	}
	return []string{w}
}

// typoAllowance is the edit distance tolerated for a word of n runes:
// none below four (too many short words are one edit apart), one up to
// seven, two beyond. Numbers get none: 14 and 15 are different phones.
func typoAllowance(w string) int {
	n := utf8.RuneCountInString(w)
	allDigits := true
	for _, r := range w {
		if !unicode.IsDigit(r) {
			allDigits = false
			break
		}
	}
	switch {
	case allDigits || n < 4:
		return 0
	case n < 8:
		return 1
	default:
		return 2
	}
}

// typos lists the indexed Latin words nearest to w within its allowance,
// most common first, at most maxTypoTerms.
func (ix *index) typos(w string) []string {
	limit := typoAllowance(w)
	if limit == 0 {
		return nil
	}
	n := utf8.RuneCountInString(w)
	digits := digitsOf(w)
	best := limit + 1
	var found []string
	for t := range ix.latin {
		tn := utf8.RuneCountInString(t)
		if tn < n-limit || tn > n+limit || digitsOf(t) != digits {
			continue
		}
		d := editDistance(w, t, limit)
		switch {
		case d < best:
			best, found = d, []string{t}
		case d == best:
			found = append(found, t)
		}
	}
	if best > limit {
		return nil
	}
	// Most common first, then alphabetical, so the choice is stable.
	slices.SortFunc(found, func(a, b string) int {
		if ix.latin[a] != ix.latin[b] {
			return ix.latin[b] - ix.latin[a]
		}
		return strings.Compare(a, b)
	})
	if len(found) > maxTypoTerms {
		found = found[:maxTypoTerms]
	}
	return found
}

// digitsOf is the digits of a word in order. A typo may change letters
// but never numbers: xiaomi15 is not a misspelt xiaomi14.
func digitsOf(w string) string {
	var b strings.Builder
	for _, r := range w {
		if unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours, so
// "iphnoe" is one edit from "iphone"), or limit+1 once it must exceed
// limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit+1)
}

// match evaluates clauses: the products matching every clause with their
// text score. Call with ix.mu held for reading.
func (ix *index) match(clauses []clause) map[platform.ID]float64 {
	var result map[platform.ID]float64
	for _, c := range clauses {
		cs := ix.clauseScores(c)
		if result == nil {
			result = cs
		} else {
			for id, s := range result {
				if v, ok := cs[id]; ok {
					result[id] = s + v
				} else {
					delete(result, id)
				}
			}
		}
		if len(result) == 0 {
			return result
		}
	}
	return result
}

// clauseScores is the best alternative's score per matching product.
func (ix *index) clauseScores(c clause) map[platform.ID]float64 {
	out := map[platform.ID]float64{}
	for _, a := range c.alts {
		var acc map[platform.ID]float64
		for _, g := range a.groups {
			gs := map[platform.ID]float64{}
			for _, t := range g {
				for id, s := range ix.termScores(t, a.factor) {
					gs[id] = max(gs[id], s)
				}
			}
			if acc == nil {
				acc = gs
				continue
			}
			for id, s := range acc {
				if v, ok := gs[id]; ok {
					acc[id] = s + v
				} else {
					delete(acc, id)
				}
			}
		}
		for id, s := range acc {
			out[id] = max(out[id], s)
		}
	}
	return out
}

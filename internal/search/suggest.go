package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"storeops/internal/platform"
)

// Suggestion is one autocomplete entry.
type Suggestion struct {
	Text string `json:"text"`
	// Kind says where it comes from: category, brand or word (a word of
	// product titles).
	Kind string `json:"kind"`
	// Count is how many on-sale products it finds.
	Count int `json:"count"`
}

// suggestEntry is a suggestion with the forms a prefix may match.
type suggestEntry struct {
	Suggestion
	norm, full, initials string
}

// Suggest limits.
const (
	maxSuggestRunes = 50
	suggestLimit    = 10
)

// buildSuggestions lists category names, brands and title words with how
// many products each finds. Call with mu held for writing.
func (ix *index) buildSuggestions(titleWords map[string]bool) {
	var out []suggestEntry
	add := func(text, kind string) {
		norm := normalizeString(text)
		n := len(ix.postings[norm])
		if n == 0 {
			return
		}
		full, ini := pinyinOf(norm)
		out = append(out, suggestEntry{Suggestion: Suggestion{Text: text, Kind: kind, Count: n}, norm: norm, full: full, initials: ini})
	}
	for _, c := range ix.cats {
		add(c.Name, "category")
	}
	for _, b := range ix.brands {
		add(b, "brand")
	}
	for w := range titleWords {
		if utf8.RuneCountInString(w) >= 2 {
			add(w, "word")
		}
	}
	slices.SortFunc(out, func(a, b suggestEntry) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Text, b.Text), cmp.Compare(a.Kind, b.Kind))
	})
	ix.suggestions = out
}

// Suggest completes a prefix: the suggestions whose text, full pinyin or
// initials start with it (连, lian and l all find 连衣裙), most products
// first. Errors: CodeInvalid for a prefix over 50 characters.
func (e *Engine) Suggest(ctx context.Context, prefix string) ([]Suggestion, error) {
	if len(prefix) > maxQueryBytes || utf8.RuneCountInString(prefix) > maxSuggestRunes || !utf8.ValidString(prefix) {
		return nil, platform.Invalid("q", "search.query_too_long", maxSuggestRunes)
	}
	p := normalizeString(prefix)
	out := []Suggestion{}
	if p == "" {
		return out, nil
	}
	ix, err := e.ready(ctx)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	latin := !hasHan(p)
	compact := strings.ReplaceAll(p, " ", "")
	seen := map[string]bool{}
	for _, s := range ix.suggestions {
		ok := strings.HasPrefix(s.norm, p) || latin && (strings.HasPrefix(s.full, compact) || strings.HasPrefix(s.initials, compact))
		if !ok || seen[s.Text] {
			continue
		}
		seen[s.Text] = true
		out = append(out, s.Suggestion)
		if len(out) == suggestLimit {
			break
		}
	}
	return out, nil
}

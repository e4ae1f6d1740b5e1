package search

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/width"
)

// shopDict is the segmenter's base dictionary: the words shoppers search
// for in a general merchandise shop (连衣裙, 手机壳…), one "word freq pos"
// a line. The index adds the shop's own category names, brands and
// attribute values on every build, so the dictionary follows the catalog
// without a download at run time.
//
//go:embed shop_dict.txt
var shopDict string

// normalize folds text the way both the index and the queries see it:
// full-width letters and digits to ASCII (ｉＰｈｏｎｅ → iphone), upper to
// lower case, and every rune that is neither a letter nor a digit to a
// space. It keeps one rune for one rune, so a position in the normalised
// text is the same position in the original (highlighting relies on it).
func normalize(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if f := width.LookupRune(r).Narrow(); f != 0 {
			r = f
		}
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			r = ' '
		}
		out = append(out, r)
	}
	return out
}

// normalizeString is normalize with runs of spaces collapsed and trimmed:
// the form a query is logged and a synonym stored in.
func normalizeString(s string) string {
	return strings.Join(strings.Fields(string(normalize(s))), " ")
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// span is a run of normalised runes of one script: Han, or Latin letters
// and digits (any other letters count as Latin: they are matched as whole
// words).
type span struct {
	text  string
	start int // rune offset
	han   bool
}

// spans splits normalised text into Han runs and word runs.
func spans(rs []rune) []span {
	var out []span
	for i := 0; i < len(rs); {
		if rs[i] == ' ' {
			i++
			continue
		}
		han := isHan(rs[i])
		j := i + 1
		for j < len(rs) && rs[j] != ' ' && isHan(rs[j]) == han {
			j++
		}
		out = append(out, span{text: string(rs[i:j]), start: i, han: han})
		i = j
	}
	return out
}

// alnumParts splits a Latin word where letters meet digits: xiaomi14 →
// xiaomi, 14. A word of one kind gives nil.
func alnumParts(w string) []string {
	var parts []string
	start := 0
	prevDigit := false
	for i, r := range w {
		d := unicode.IsDigit(r)
		if i > 0 && d != prevDigit {
			parts = append(parts, w[start:i])
			start = i
		}
		prevDigit = d
	}
	if len(parts) == 0 {
		return nil
	}
	return append(parts, w[start:])
}

// bigrams are the overlapping two-rune pieces of a Han run, the fallback
// that finds a word the segmenter cut differently; a single rune is its
// own piece.
func bigrams(s string) []string {
	rs := []rune(s)
	if len(rs) < 2 {
		return []string{s}
	}
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// segmenter wraps gse with the shop dictionary. gse's dictionary is not
// safe to change while it cuts, so a new segmenter is made for each index
// build and never changed after.
type segmenter struct {
	seg gse.Segmenter
	// collect, when set, gathers the Han words seen (a build's
	// autocomplete words); only the building goroutine sets it.
	collect map[string]bool
}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	// A rune without pinyin keeps its place as "", so syllables line up
	// with the runes of the run.
	a.Fallback = func(rune, pinyin.Args) []string { return []string{""} }
	return a
}()

// newSegmenter loads the embedded dictionary plus extra words (category
// names, brands, attribute values, synonyms).
func newSegmenter(extra []string) (*segmenter, error) {
	s := &segmenter{}
	s.seg.SkipLog = true
	s.seg.NotLoadHMM = true
	var b strings.Builder
	b.WriteString(shopDict)
	seen := map[string]bool{}
	for _, w := range extra {
		for _, sp := range spans(normalize(w)) {
			if !sp.han || utf8.RuneCountInString(sp.text) < 2 || seen[sp.text] {
				continue
			}
			seen[sp.text] = true
			fmt.Fprintf(&b, "\n%s 1000 n", sp.text)
		}
	}
	if err := s.seg.LoadDictStr(b.String()); err != nil {
		return nil, fmt.Errorf("search: load dictionary: %w", err)
	}
	return s, nil
}

// words cuts a Han run into words (precise mode: the words a shopper
// means, not every overlapping piece).
func (s *segmenter) words(han string) []string {
	var out []string
	for _, w := range s.seg.Cut(han, false) {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// pinyinOf gives a Han word's full pinyin without tones or spaces
// (连衣裙 → lianyiqun) and its initials (lyq); "" for no Han.
func pinyinOf(w string) (full, initials string) {
	return joinPinyin(runePinyin(w))
}

// runePinyin is the pinyin of each rune of a Han run (one call into the
// pinyin library for the whole run, which is what costs).
func runePinyin(han string) []string {
	return pinyin.LazyPinyin(han, pinyinArgs)
}

// joinPinyin joins syllables into full pinyin and initials.
func joinPinyin(syllables []string) (full, initials string) {
	var f, i strings.Builder
	for _, p := range syllables {
		if p == "" {
			continue
		}
		f.WriteString(p)
		i.WriteByte(p[0])
	}
	return f.String(), i.String()
}

// Field weights: a word in the title says more about a product than one in
// an attribute.
const (
	wTitle    = 3.0
	wBrand    = 2.5
	wCategory = 2.0
	wSubtitle = 1.0
	wAttr     = 1.0
	wPinyin   = 1.5
	wInitials = 1.0
	// wPiece is a bigram's or a single rune's weight: enough to find, less
	// than the word it is part of.
	wPiece = 0.5
)

// termBag collects a document's weighted terms.
type termBag map[string]float32

func (b termBag) add(t string, w float64) {
	if t != "" {
		b[t] += float32(w)
	}
}

// addText analyses one field of a product into the bag: words, bigrams
// and single runes of Han runs, Latin words with their letter/digit parts
// and the join of neighbouring words (iphone 15 → iphone15), and, when
// withPinyin, the pinyin of Han words. It returns the number of words,
// the field's length for BM25.
func (s *segmenter) addText(b termBag, text string, weight float64, withPinyin bool) int {
	n := 0
	prevLatin := ""
	for _, sp := range spans(normalize(text)) {
		if !sp.han {
			b.add(sp.text, weight)
			for _, p := range alnumParts(sp.text) {
				b.add(p, weight*0.8)
			}
			if prevLatin != "" {
				b.add(prevLatin+sp.text, weight*0.8)
			}
			prevLatin = sp.text
			n++
			continue
		}
		prevLatin = ""
		var syl []string
		if withPinyin {
			syl = runePinyin(sp.text)
		}
		pos := 0
		for _, w := range s.words(sp.text) {
			b.add(w, weight)
			if s.collect != nil && utf8.RuneCountInString(w) >= 2 {
				s.collect[w] = true
			}
			n++
			wn := utf8.RuneCountInString(w)
			if withPinyin && pos+wn <= len(syl) {
				full, ini := joinPinyin(syl[pos : pos+wn])
				b.add(full, wPinyin)
				if len(ini) >= 2 {
					b.add(ini, wInitials)
				}
			}
			pos += wn
		}
		for _, g := range bigrams(sp.text) {
			b.add(g, wPiece)
		}
		for _, r := range sp.text {
			b.add(string(r), wPiece/2)
		}
		if withPinyin && len(syl) == utf8.RuneCountInString(sp.text) {
			// Pinyin of every two and three runes too, so a word the
			// dictionary lacks (羊绒) is still found by its pinyin and
			// initials (yangrong, yr); and of the whole run, so
			// "suihualianyiqun" finds 碎花连衣裙.
			for size := 2; size <= 3; size++ {
				for i := 0; i+size <= len(syl); i++ {
					full, ini := joinPinyin(syl[i : i+size])
					b.add(full, wPiece)
					b.add(ini, wPiece/2)
				}
			}
			if len(syl) > 1 {
				full, ini := joinPinyin(syl)
				b.add(full, wPinyin)
				b.add(ini, wInitials)
			}
		}
	}
	return n
}

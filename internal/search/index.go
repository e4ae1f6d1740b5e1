package search

import (
	"math"
	"sync"
	"time"

	"storeops/internal/catalog"
	"storeops/internal/platform"
)

// doc is one on-sale product as the index keeps it.
type doc struct {
	ID         platform.ID
	Title      string
	Subtitle   string
	CategoryID platform.ID
	BrandID    platform.ID
	Brand      string
	PriceMin   platform.Money
	PriceMax   platform.Money
	ImageID    platform.ID
	Attrs      []catalog.Attribute
	UpdatedAt  time.Time

	// Sales are units sold and Views product page views over the boost
	// window; boost is the relevance multiplier they give.
	Sales int64
	Views int64
	boost float64

	// terms are the analysed terms, kept only while the product is put
	// into the index: removing it analyses it again (the same segmenter
	// and category tree give the same terms), which costs an update a
	// little CPU and saves the index most of its memory.
	terms  termBag
	length float64
}

// category is a node of the category tree as search needs it.
type category struct {
	ID     platform.ID
	Parent platform.ID
	Name   string
	NameEN string
}

// index is an in-memory inverted index over on-sale products. Readers
// take mu for reading; the consumer and rebuilds replace documents under
// the write lock. Postings map a term to the weighted term frequency per
// product, so replacing a product is a delete and an insert in maps.
type index struct {
	mu       sync.RWMutex
	seg      *segmenter
	docs     map[platform.ID]*doc
	postings map[string]map[platform.ID]float32
	// latin are the Latin terms (words, model numbers, pinyin), the
	// candidates of typo tolerance.
	latin    map[string]int
	totalLen float64

	cats     map[platform.ID]*category
	children map[platform.ID][]platform.ID
	brands   map[platform.ID]string

	synonyms *synonymSet
	// suggestions are the autocomplete entries, most products first.
	suggestions []suggestEntry
	// builtAt is when the build read the database; docsAtBuild and
	// maxUpdated describe what it read, so a check can tell whether the
	// database has moved on without the index.
	builtAt time.Time
}

func newIndex(seg *segmenter) *index {
	return &index{
		seg:      seg,
		docs:     map[platform.ID]*doc{},
		postings: map[string]map[platform.ID]float32{},
		latin:    map[string]int{},
		cats:     map[platform.ID]*category{},
		children: map[platform.ID][]platform.ID{},
		brands:   map[platform.ID]string{},
		synonyms: &synonymSet{},
	}
}

// setCategories replaces the category tree.
func (ix *index) setCategories(cats []category) {
	ix.cats = make(map[platform.ID]*category, len(cats))
	ix.children = map[platform.ID][]platform.ID{}
	for i := range cats {
		c := cats[i]
		ix.cats[c.ID] = &c
		ix.children[c.Parent] = append(ix.children[c.Parent], c.ID)
	}
}

// subtree lists a category and all its descendants; nil when unknown.
func (ix *index) subtree(id platform.ID) map[platform.ID]bool {
	if _, ok := ix.cats[id]; !ok {
		return nil
	}
	out := map[platform.ID]bool{}
	stack := []platform.ID{id}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if out[c] {
			continue
		}
		out[c] = true
		stack = append(stack, ix.children[c]...)
	}
	return out
}

// path is the category and its ancestors, root last.
func (ix *index) path(id platform.ID) []*category {
	var out []*category
	for c := ix.cats[id]; c != nil && len(out) < 32; c = ix.cats[c.Parent] {
		out = append(out, c)
	}
	return out
}

// analyze fills d's terms from its fields.
func (ix *index) analyze(d *doc) {
	d.terms = termBag{}
	n := ix.seg.addText(d.terms, d.Title, wTitle, true)
	n += ix.seg.addText(d.terms, d.Subtitle, wSubtitle, false)
	if d.Brand != "" {
		ix.seg.addText(d.terms, d.Brand, wBrand, true)
	}
	for _, c := range ix.path(d.CategoryID) {
		ix.seg.addText(d.terms, c.Name, wCategory, true)
		ix.seg.addText(d.terms, c.NameEN, wCategory/2, false)
	}
	for _, a := range d.Attrs {
		ix.seg.addText(d.terms, a.Value, wAttr, false)
	}
	d.length = float64(max(n, 1))
}

// put adds or replaces a product. Call with mu held for writing.
func (ix *index) put(d *doc) {
	ix.remove(d.ID)
	ix.analyze(d)
	d.boost = boostOf(d.Sales, d.Views)
	ix.docs[d.ID] = d
	ix.totalLen += d.length
	for t, w := range d.terms {
		p := ix.postings[t]
		if p == nil {
			p = map[platform.ID]float32{}
			ix.postings[t] = p
		}
		p[d.ID] = w
		if !hasHan(t) {
			ix.latin[t]++
		}
	}
	d.terms = nil
}

// remove drops a product; a product the index lacks is a no-op. Call
// with mu held for writing.
func (ix *index) remove(id platform.ID) {
	d, ok := ix.docs[id]
	if !ok {
		return
	}
	ix.analyze(d)
	defer func() { d.terms = nil }()
	for t := range d.terms {
		p := ix.postings[t]
		delete(p, id)
		if len(p) == 0 {
			delete(ix.postings, t)
		}
		if !hasHan(t) {
			if ix.latin[t]--; ix.latin[t] <= 0 {
				delete(ix.latin, t)
			}
		}
	}
	ix.totalLen -= d.length
	delete(ix.docs, id)
}

func hasHan(s string) bool {
	for _, r := range s {
		if isHan(r) {
			return true
		}
	}
	return false
}

// BM25 parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// termScores is the BM25 contribution of term t to every product holding
// it, scaled by factor (a typo or a synonym counts for less).
func (ix *index) termScores(t string, factor float64) map[platform.ID]float64 {
	p := ix.postings[t]
	if len(p) == 0 {
		return nil
	}
	n := float64(len(ix.docs))
	df := float64(len(p))
	idf := math.Log(1 + (n-df+0.5)/(df+0.5))
	avg := ix.totalLen / math.Max(n, 1)
	out := make(map[platform.ID]float64, len(p))
	for id, w := range p {
		d := ix.docs[id]
		if d == nil {
			continue
		}
		tf := float64(w)
		out[id] = factor * idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*d.length/avg))
	}
	return out
}

// setBoosts applies sales and views to relevance: units sold lift a
// product on a log scale (the tenth sale matters more than the
// thousandth), and conversion (sales per view, smoothed so a product
// with two views and one sale is not a champion) lifts it a little more.
func (ix *index) setBoosts(sales, views map[platform.ID]int64) {
	for id, d := range ix.docs {
		d.Sales, d.Views = sales[id], views[id]
		d.boost = boostOf(d.Sales, d.Views)
	}
}

func boostOf(sales, views int64) float64 {
	conv := float64(sales) / float64(views+20)
	return 1 + 0.15*math.Log1p(float64(sales)) + 0.5*math.Min(conv, 1)
}

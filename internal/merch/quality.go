package merch

import (
	"html"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"storeops/internal/catalog"
	"storeops/internal/platform"
)

// QualityInput is what the listing quality score looks at.
type QualityInput struct {
	Title string
	// Description is the sanitised rich text; tags do not count.
	Description string
	// Keywords are the category's names (its own, then its ancestors'),
	// Chinese and English: a title should carry one so search finds it.
	Keywords []string
	Images   int
	// Filled are the attribute names the product has a value for: its
	// own attributes and its SKUs' spec names.
	Filled []string
	// Template is the category's attribute template.
	Template []catalog.AttributeDef
	// Price is the lowest SKU price; Median the category's median
	// (0 when the category has too few priced products to tell).
	Price, Median platform.Money
}

// Fix is one concrete improvement and the points it would bring back.
type Fix struct {
	// Code is stable: title_short, title_long, title_keyword, no_images,
	// few_images, no_description, short_description, missing_attrs,
	// no_attrs, no_price, price_low, price_high.
	Code   string `json:"code"`
	Points int    `json:"points"`
	Args   []any  `json:"args,omitempty"`
}

// Text is the fix in lang.
func (f Fix) Text(lang platform.Lang) string { return platform.T(lang, "merch.fix."+f.Code, f.Args...) }

// Quality is a product's listing quality: 100 minus the points its fixes
// would bring back, fixes worth the most first.
type Quality struct {
	Score int   `json:"score"`
	Fixes []Fix `json:"fixes"`
}

// The score's weights: title 25 (length 15, category keyword 10), images
// 20, description 20, attributes 20, price 15.
const (
	titleMin, titleMax = 10, 60 // runes; Taobao and JD cut titles at 60
	imagesWanted       = 3
	descWanted         = 30 // runes of text
	// priceFactor: a price under a fifth of the category median, or over
	// five times it, is probably a typo (a missing zero, fen for yuan).
	priceFactor = 5
)

var tags = regexp.MustCompile(`<[^>]*>`)

// Score rates a listing. It is a pure function of its input, so the
// console, reports and tests agree.
func Score(in QualityInput) Quality {
	var fixes []Fix
	lose := func(code string, points int, args ...any) {
		if points > 0 {
			fixes = append(fixes, Fix{Code: code, Points: points, Args: args})
		}
	}
	title := strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(title); {
	case n < titleMin/2:
		lose("title_short", 15, n, titleMin)
	case n < titleMin:
		lose("title_short", 8, n, titleMin)
	case n > titleMax:
		lose("title_long", 8, n, titleMax)
	}
	if len(in.Keywords) > 0 {
		low := strings.ToLower(title)
		if !slices.ContainsFunc(in.Keywords, func(k string) bool { return k != "" && strings.Contains(low, strings.ToLower(k)) }) {
			lose("title_keyword", 10, in.Keywords[0])
		}
	}
	switch {
	case in.Images <= 0:
		lose("no_images", 20, imagesWanted)
	case in.Images < imagesWanted:
		lose("few_images", (imagesWanted-in.Images)*20/imagesWanted, in.Images, imagesWanted)
	}
	text := strings.TrimSpace(html.UnescapeString(tags.ReplaceAllString(in.Description, " ")))
	switch n := utf8.RuneCountInString(strings.Join(strings.Fields(text), "")); {
	case n == 0:
		lose("no_description", 20)
	case n < descWanted:
		lose("short_description", 10, n, descWanted)
	}
	if len(in.Template) > 0 {
		var missing []string
		for _, d := range in.Template {
			if !slices.Contains(in.Filled, d.Name) {
				missing = append(missing, d.Name)
			}
		}
		if len(missing) > 0 {
			lose("missing_attrs", (20*len(missing)+len(in.Template)-1)/len(in.Template), strings.Join(missing, "、"))
		}
	} else if len(in.Filled) == 0 {
		lose("no_attrs", 5)
	}
	switch {
	case in.Price <= 0:
		lose("no_price", 15)
	case in.Median > 0 && in.Price*priceFactor < in.Median:
		lose("price_low", 15, in.Price.String(), in.Median.String())
	case in.Median > 0 && in.Price > in.Median*priceFactor:
		lose("price_high", 15, in.Price.String(), in.Median.String())
	}
	sort.SliceStable(fixes, func(i, j int) bool { return fixes[i].Points > fixes[j].Points })
	q := Quality{Score: 100, Fixes: fixes}
	if q.Fixes == nil {
		q.Fixes = []Fix{}
	}
	for _, f := range fixes {
		q.Score -= f.Points
	}
	q.Score = max(q.Score, 0)
	return q
}

// Median is the median of the positive prices, or 0 for fewer than
// minSample of them (too few to call a price odd).
func Median(prices []platform.Money, minSample int) platform.Money {
	var ps []platform.Money
	for _, p := range prices {
		if p > 0 {
			ps = append(ps, p)
		}
	}
	if len(ps) < max(minSample, 1) {
		return 0
	}
	slices.Sort(ps)
	n := len(ps)
	if n%2 == 1 {
		return ps[n/2]
	}
	return (ps[n/2-1] + ps[n/2]) / 2
}

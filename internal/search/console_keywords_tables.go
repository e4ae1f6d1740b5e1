package search

import (
	"fmt"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// Table ids of the keyword report; each exports to XLSX with
// ?format=xlsx&table=ID.
const (
	tableTop    = "kw-top-table"
	tableZero   = "kw-zero-table"
	tableLowCTR = "kw-low-ctr-table"
	tableFixes  = "kw-fixes-table"
)

// keywordTables are the report's tables: the three query lists (shown
// and exported) and the suggestions (exported; the page shows them with
// their apply forms).
type keywordTables struct {
	Top, Zero, LowCTR, Fixes *web.Table
}

func (t keywordTables) all() []*web.Table { return []*web.Table{t.Top, t.Zero, t.LowCTR, t.Fixes} }

func newKeywordTables(rep KeywordReport, lang platform.Lang) keywordTables {
	stats := func(id, name, title string, rows []QueryStat) *web.Table {
		t := &web.Table{ID: id, Name: name, Title: title, Empty: "search.kw.none", Columns: []web.Column{
			{Key: "search.kw.query", Kind: web.ColText},
			{Key: "search.kw.col_searches", Kind: web.ColInt},
			{Key: "search.kw.col_results", Kind: web.ColText},
			{Key: "search.kw.col_ctr", Kind: web.ColPercent},
			{Key: "search.kw.col_purchases", Kind: web.ColInt},
		}}
		for _, s := range rows {
			bp := int64(0)
			if s.Searches > 0 {
				bp = int64(s.Clicked) * 10000 / int64(s.Searches)
			}
			t.Append(web.TextCell(s.Query), web.NumCell(int64(s.Searches)), web.TextCell(fmt.Sprintf("%.1f", s.AvgResults)),
				web.NumCell(bp), web.NumCell(int64(s.Purchases)))
		}
		return t
	}
	fixes := &web.Table{ID: tableFixes, Name: "keyword-fixes", Title: "search.kw.fixes", Empty: "search.kw.no_fixes", Columns: []web.Column{
		{Key: "search.kw.query", Kind: web.ColText},
		{Key: "search.kw.suggestion", Kind: web.ColText},
		{Key: "search.kw.col_products", Kind: web.ColText},
		{Key: "search.kw.evidence", Kind: web.ColInt},
	}}
	for _, f := range rep.Fixes {
		var text string
		switch f.Kind {
		case SuggestSynonym:
			text = platform.T(lang, "search.kw.fix_synonym", f.Query, f.Target)
		case SuggestTitle:
			text = platform.T(lang, "search.kw.fix_title", f.Query)
			if f.Applied() {
				text += " " + platform.T(lang, "search.kw.title_done")
			}
		default:
			text = platform.T(lang, "search.kw.fix_stock", f.Query)
		}
		titles := make([]string, len(f.Products))
		for i, p := range f.Products {
			titles[i] = p.Title
		}
		fixes.Append(web.TextCell(f.Query), web.TextCell(text), web.TextCell(strings.Join(titles, "\n")), web.NumCell(int64(f.Evidence)))
	}
	return keywordTables{
		Top:    stats(tableTop, "top-queries", "search.kw.top", rep.Top),
		Zero:   stats(tableZero, "zero-result-queries", "search.kw.zero", rep.Zero),
		LowCTR: stats(tableLowCTR, "low-ctr-queries", "search.kw.low_ctr", rep.LowCTR),
		Fixes:  fixes,
	}
}

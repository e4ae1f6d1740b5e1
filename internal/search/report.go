package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// The keyword report reads the search log: what shoppers search for most,
// what finds nothing, what finds products nobody clicks, and what the
// operator can do about each. Suggestions come from what shoppers did
// next: a shopper whose search failed and who then searched again and
// clicked showed which word the shop uses for what they meant.

// Report limits.
const (
	reportRows = 20
	// lowCTRMinSearches is how often a query must be searched before its
	// click-through counts as evidence.
	lowCTRMinSearches = 5
	// lowCTR is the click-through below which a query is reported.
	lowCTR = 0.15
	// reformulateWithin is how soon a second search counts as the same
	// shopper rephrasing the first.
	reformulateWithin = 10 * time.Minute
	// minEvidence is how many shoppers must have rephrased a query the
	// same way before a synonym is suggested.
	minEvidence = 2
)

// QueryStat is one query's activity over the report's window.
type QueryStat struct {
	Query     string
	Searches  int
	Clicked   int // searches with at least one click
	Purchases int
	// AvgResults is the mean number of products found.
	AvgResults float64
}

// CTR is the share of searches with a click.
func (q QueryStat) CTR() float64 {
	if q.Searches == 0 {
		return 0
	}
	return float64(q.Clicked) / float64(q.Searches)
}

// Suggestion kinds.
const (
	SuggestSynonym = "synonym" // add Query = Target as a synonym group
	SuggestTitle   = "title"   // add Query to the titles of Products
	SuggestStock   = "stock"   // stock the product type shoppers ask for
)

// Fix is a concrete change an operator can make for a query.
type Fix struct {
	Kind   string
	Query  string
	Target string
	// Evidence is how many searches support it (shoppers who rephrased
	// the query into Target, or searched it and found nothing).
	Evidence int
	// Products are the products shoppers chose after rephrasing, for a
	// title suggestion.
	Products []ProductRef
}

// ProductRef names a product in a suggestion.
type ProductRef struct {
	ID    platform.ID
	Title string
	// HasKeyword: the title already holds the suggestion's query (the
	// fix was applied to it, or someone wrote it in).
	HasKeyword bool
}

// Applied reports whether a title fix is done: every product's title
// holds the query.
func (f Fix) Applied() bool {
	if f.Kind != SuggestTitle || len(f.Products) == 0 {
		return false
	}
	for _, p := range f.Products {
		if !p.HasKeyword {
			return false
		}
	}
	return true
}

// KeywordReport is the console's keyword optimisation report.
type KeywordReport struct {
	From, To time.Time
	Searches int
	Top      []QueryStat
	Zero     []QueryStat
	LowCTR   []QueryStat
	Fixes    []Fix
}

// BuildReport reads the search log between from and to.
func BuildReport(ctx context.Context, db *store.DB, from, to time.Time) (KeywordReport, error) {
	rep := KeywordReport{From: from, To: to}
	err := db.Read(ctx, func(tx *store.Tx) error {
		stats, total, err := queryStats(ctx, tx, from, to)
		if err != nil {
			return err
		}
		rep.Searches = total
		rep.Top = firstN(stats, reportRows)
		var candidates []string
		for _, s := range stats {
			if s.AvgResults == 0 && len(rep.Zero) < reportRows {
				rep.Zero = append(rep.Zero, s)
				candidates = append(candidates, s.Query)
			}
		}
		for _, s := range stats {
			if s.AvgResults > 0 && s.Searches >= lowCTRMinSearches && s.CTR() < lowCTR && len(rep.LowCTR) < reportRows {
				rep.LowCTR = append(rep.LowCTR, s)
				candidates = append(candidates, s.Query)
			}
		}
		groups, err := listSynonyms(ctx, tx)
		if err != nil {
			return err
		}
		rep.Fixes, err = suggestFixes(ctx, tx, from, to, rep, candidates, newSynonymSet(groups))
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("search: keyword report: %w", err)
	}
	return rep, nil
}

func firstN(s []QueryStat, n int) []QueryStat {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// queryStats aggregates the window by normalised query, most searched
// first.
func queryStats(ctx context.Context, tx *store.Tx, from, to time.Time) ([]QueryStat, int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT norm_query, COUNT(*), SUM(CASE WHEN clicks > 0 THEN 1 ELSE 0 END),
		SUM(purchases), SUM(result_count)
		FROM search_log WHERE at >= $1 AND at < $2 AND norm_query <> '' GROUP BY norm_query`, store.Time(from), store.Time(to))
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []QueryStat
	total := 0
	for rows.Next() {
		var s QueryStat
		var results int64
		if err := rows.Scan(&s.Query, &s.Searches, &s.Clicked, &s.Purchases, &results); err != nil {
			return nil, 0, err
		}
		s.AvgResults = float64(results) / float64(max(s.Searches, 1))
		total += s.Searches
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b QueryStat) int {
		return cmp.Or(cmp.Compare(b.Searches, a.Searches), cmp.Compare(a.Query, b.Query))
	})
	return out, total, rows.Err()
}

// logged is one search of a visitor, for finding rephrasings.
type logged struct {
	id      platform.ID
	at      time.Time
	visitor string
	query   string
	clicks  int
}

// suggestFixes turns failing queries into fixes: the query a shopper
// rephrased it into and then clicked becomes a synonym (and, when the
// failing query found products, a keyword for the chosen products'
// titles); a query that found nothing and that nobody rephrased
// successfully becomes a note to stock the product type.
func suggestFixes(ctx context.Context, tx *store.Tx, from, to time.Time, rep KeywordReport, candidates []string, syn *synonymSet) ([]Fix, error) {
	if len(candidates) == 0 {
		return nil, nil
	}
	want := map[string]bool{}
	for _, q := range candidates {
		want[q] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, at, visitor_id, norm_query, clicks FROM search_log
		WHERE at >= $1 AND at < $2 AND visitor_id <> '' AND norm_query <> '' ORDER BY visitor_id, at, id`,
		store.Time(from), store.Time(to.Add(reformulateWithin)))
	if err != nil {
		return nil, err
	}
	type pair struct{ from, to string }
	counts := map[pair]int{}
	chosen := map[pair][]platform.ID{}
	var prev []logged
	flush := func() {
		for i, s := range prev {
			if !want[s.query] || s.clicks > 0 {
				continue
			}
			for _, n := range prev[i+1:] {
				if n.at.Sub(s.at) > reformulateWithin {
					break
				}
				if n.query != s.query && n.clicks > 0 {
					p := pair{s.query, n.query}
					counts[p]++
					chosen[p] = append(chosen[p], n.id)
					break
				}
			}
		}
	}
	for rows.Next() {
		var s logged
		if err := rows.Scan(&s.id, &s.at, &s.visitor, &s.query, &s.clicks); err != nil {
			rows.Close()
			return nil, err
		}
		if len(prev) > 0 && prev[0].visitor != s.visitor {
			flush()
			prev = prev[:0]
		}
		prev = append(prev, s)
	}
	flush()
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	best := map[string]pair{}
	for p, n := range counts {
		b, ok := best[p.from]
		if !ok || n > counts[b] || n == counts[b] && p.to < b.to {
			best[p.from] = p
		}
	}
	zero := map[string]QueryStat{}
	for _, s := range rep.Zero {
		zero[s.Query] = s
	}
	var fixes []Fix
	for _, q := range candidates {
		p, ok := best[q]
		if ok && counts[p] >= minEvidence {
			if !sameGroup(syn, p.from, p.to) {
				fixes = append(fixes, Fix{Kind: SuggestSynonym, Query: p.from, Target: p.to, Evidence: counts[p]})
			}
			if _, isZero := zero[q]; !isZero {
				prods, err := clickedProducts(ctx, tx, chosen[p])
				if err != nil {
					return nil, err
				}
				for i := range prods {
					prods[i].HasKeyword = catalog.TitleHasKeyword(prods[i].Title, q)
				}
				if len(prods) > 0 {
					fixes = append(fixes, Fix{Kind: SuggestTitle, Query: q, Target: p.to, Evidence: counts[p], Products: prods})
				}
			}
			continue
		}
		if s, isZero := zero[q]; isZero {
			fixes = append(fixes, Fix{Kind: SuggestStock, Query: q, Evidence: s.Searches})
		}
	}
	return fixes, nil
}

func sameGroup(s *synonymSet, a, b string) bool {
	for _, t := range s.byTerm[a] {
		if t == b {
			return true
		}
	}
	return false
}

// clickedProducts are the products most clicked from the given searches
// that are still in the catalog, at most five.
func clickedProducts(ctx context.Context, tx *store.Tx, searches []platform.ID) ([]ProductRef, error) {
	n := map[platform.ID]int{}
	var order []platform.ID
	for _, sid := range searches {
		rows, err := tx.QueryContext(ctx, `SELECT product_id FROM search_feedback WHERE search_id = $1`, sid)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id platform.ID
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			if n[id] == 0 {
				order = append(order, id)
			}
			n[id]++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(order, func(a, b platform.ID) int { return cmp.Compare(n[b], n[a]) })
	var out []ProductRef
	for _, id := range order {
		var title string
		err := tx.QueryRowContext(ctx, `SELECT title FROM products WHERE id = $1`, id).Scan(&title)
		if err != nil {
			continue // gone since: nothing to retitle
		}
		out = append(out, ProductRef{ID: id, Title: title})
		if len(out) == 5 {
			break
		}
	}
	return out, nil
}

// CTRText is the click-through as a whole percentage.
func (q QueryStat) CTRText() string { return fmt.Sprintf("%.0f%%", 100*q.CTR()) }

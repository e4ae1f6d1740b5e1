package search

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"storeops/internal/platform"
)

// sortValue is a hit's primary sort key; the id breaks ties.
func sortValue(h scored, s Sort) float64 {
	switch s {
	case SortSales:
		return float64(h.d.Sales)
	case SortPriceAsc, SortPriceDesc:
		return float64(h.d.PriceMin)
	case SortNewest:
		return 0
	}
	return h.score
}

// compareKeys orders two (key, id) pairs the way sort s lists them:
// negative when a comes first. Ids are sortable by creation, so newest
// is id descending.
func compareKeys(ak float64, aid platform.ID, bk float64, bid platform.ID, s Sort) int {
	if s == SortPriceAsc {
		return cmp.Or(cmp.Compare(ak, bk), cmp.Compare(aid, bid))
	}
	return cmp.Or(cmp.Compare(bk, ak), cmp.Compare(bid, aid))
}

// cursorAt is a decoded cursor: the last hit's key and id.
type cursorAt struct {
	key float64
	id  platform.ID
}

// compareToCursor is negative for a hit at or before the cursor and
// positive after it, so a binary search finds the next page's first hit.
func compareToCursor(h scored, c cursorAt, s Sort) int {
	if compareKeys(sortValue(h, s), h.d.ID, c.key, c.id, s) <= 0 {
		return -1
	}
	return 1
}

// cursorKey writes the sort's name and the hit's key, so a cursor from
// one sort is refused by another.
func cursorKey(s Sort, h scored) string {
	return string(s) + ":" + strconv.FormatFloat(sortValue(h, s), 'g', -1, 64)
}

// parseCursorKey reads cursorKey's form back. Errors: CodeBadCursor for
// another sort's cursor or a key that is not a number.
func parseCursorKey(s Sort, key string) (float64, error) {
	name, v, ok := strings.Cut(key, ":")
	if !ok || Sort(name) != s {
		return 0, platform.E(platform.CodeBadCursor)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, platform.E(platform.CodeBadCursor)
	}
	return f, nil
}

// topHits returns the first k hits in sort order: a sort when the hits
// are few, otherwise one pass keeping the best k in order.
func topHits(hits []scored, k int, s Sort) []scored {
	less := func(a, b scored) int { return compareKeys(sortValue(a, s), a.d.ID, sortValue(b, s), b.d.ID, s) }
	if k <= 0 {
		return nil
	}
	if len(hits) <= 4*k {
		out := slices.Clone(hits)
		slices.SortFunc(out, less)
		return out[:min(k, len(out))]
	}
	best := make([]scored, 0, k+1)
	for _, h := range hits {
		if len(best) == k && less(h, best[k-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(best, h, less)
		best = slices.Insert(best, i, h)
		if len(best) > k {
			best = best[:k]
		}
	}
	return best
}

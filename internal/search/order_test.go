package search

import (
	"math/rand/v2"
	"slices"
	"testing"

	"storeops/internal/platform"
)

// topHits keeps exactly the first k of a full sort, for every sort, with
// ties on the key broken by id.
func TestTopHitsMatchesAFullSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, s := range []Sort{SortRelevance, SortSales, SortPriceAsc, SortPriceDesc, SortNewest} {
		for _, n := range []int{0, 1, 5, 50, 500} {
			hits := make([]scored, n)
			for i := range hits {
				d := &doc{ID: platform.ID(r.IntN(1000) + 1), Sales: int64(r.IntN(5)), PriceMin: platform.Money(r.IntN(4) * 100)}
				hits[i] = scored{d: d, score: float64(r.IntN(3))}
			}
			full := slices.Clone(hits)
			slices.SortFunc(full, func(a, b scored) int {
				return compareKeys(sortValue(a, s), a.d.ID, sortValue(b, s), b.d.ID, s)
			})
			for _, k := range []int{1, 3, 21} {
				got := topHits(hits, k, s)
				want := full[:min(k, len(full))]
				if len(got) != len(want) {
					t.Fatalf("%s n=%d k=%d: %d hits, want %d", s, n, k, len(got), len(want))
				}
				for i := range got {
					if sortValue(got[i], s) != sortValue(want[i], s) || got[i].d.ID != want[i].d.ID {
						t.Fatalf("%s n=%d k=%d: hit %d differs", s, n, k, i)
					}
				}
			}
		}
	}
}

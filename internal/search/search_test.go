package search_test

import (
	"context"
	"strings"
	"testing"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
)

func TestChineseWordsAndPinyinFindTheDress(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		e := search.NewEngine(db, search.EngineConfig{})
		for _, q := range []string{"连衣裙", "lianyiqun", "lyq", "LianYiQun", "lian yi qun", "ｌｉａｎｙｉｑｕｎ", "碎花连衣裙", "衣裙", "suihua lianyiqun"} {
			ids := find(t, e, q)
			if !contains(ids, s.dress) {
				t.Errorf("%q found %v, want the dress %d", q, ids, s.dress)
			}
			if contains(ids, s.offSale) {
				t.Errorf("%q found the off-sale product", q)
			}
			if contains(ids, s.tee) {
				t.Errorf("%q found the T-shirt", q)
			}
		}
		res := run(t, e, search.Request{Query: "lianyiqun"})
		if len(res.Items) == 0 || !strings.Contains(res.Items[0].TitleHTML, "<em>连衣裙</em>") {
			t.Errorf("pinyin highlight: %+v", res.Items)
		}
		res = run(t, e, search.Request{Query: "连衣裙"})
		if len(res.Items) == 0 || !strings.Contains(res.Items[0].TitleHTML, "<em>连衣裙</em>") {
			t.Errorf("highlight: %+v", res.Items)
		}
	})
}

func TestTyposAndModelNumbers(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		e := search.NewEngine(db, search.EngineConfig{})
		cases := []struct {
			q    string
			want platform.ID
		}{
			{"iphnoe", s.iphone},    // swapped letters
			{"iphone15", s.iphone},  // model number run together
			{"iphone 15", s.iphone}, // and apart
			{"aple", s.iphone},      // a letter missing from the brand
			{"xiaomi14", s.mi14},    // brand and model run together
			{"xiaomi", s.mi14},      // the brand 小米 by its pinyin
			{"xaiomi 14", s.mi14},   // a typo in the pinyin of the brand
			{"ultra", s.mi14},
		}
		for _, c := range cases {
			ids := find(t, e, c.q)
			if !contains(ids, c.want) {
				t.Errorf("%q found %v, want %d", c.q, ids, c.want)
			}
		}
		// Numbers are not typo-tolerant: iphone 16 is not iphone 15.
		if ids := find(t, e, "iphone 16"); contains(ids, s.iphone) {
			t.Errorf("iphone 16 found the iPhone 15")
		}
	})
}

func TestSynonymsFromTheConsoleApplyAtQueryTime(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		e := search.NewEngine(db, search.EngineConfig{})
		runner := startRunner(t, db, e)
		_ = runner
		if ids := find(t, e, "手机壳"); contains(ids, s.caseP) {
			t.Fatalf("手机壳 found the 保护壳 before any synonym")
		}
		syn := search.NewSynonyms(db)
		g, err := syn.Add(context.Background(), auditActor(), "手机壳， 保护壳")
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, db, "synonym", func() bool { return contains(find(t, e, "手机壳"), s.caseP) })
		if _, err := syn.Add(context.Background(), auditActor(), "保护壳,手机壳"); platform.AsError(err).Code != platform.CodeConflict {
			t.Errorf("same group again: %v, want conflict", err)
		}
		if _, err := syn.Add(context.Background(), auditActor(), "手机壳"); platform.AsError(err).Code != platform.CodeInvalid {
			t.Errorf("one word: %v, want invalid", err)
		}
		if err := syn.Delete(context.Background(), auditActor(), g.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, db, "synonym removal", func() bool { return !contains(find(t, e, "手机壳"), s.caseP) })
		var n int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity_type = 'search_synonym'`).Scan(&n); err != nil || n != 2 {
			t.Errorf("audit rows %d (%v), want 2", n, err)
		}
	})
}

func TestFacetCountsEqualSQL(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		s := newShop(t, db)
		e := search.NewEngine(db, search.EngineConfig{})
		res := run(t, e, search.Request{Query: "服饰"})
		if res.Total != 4 {
			t.Fatalf("服饰 matched %d, want the 4 apparel products", res.Total)
		}
		rows, err := db.R.Query(`SELECT category_id, COUNT(*) FROM products
			WHERE status = 'on_sale' AND category_id IN ($1, $2) GROUP BY category_id`, s.dresses, s.tees)
		if err != nil {
			t.Fatal(err)
		}
		want := map[platform.ID]int{}
		for rows.Next() {
			var id platform.ID
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				t.Fatal(err)
			}
			want[id] = n
		}
		rows.Close()
		got := map[platform.ID]int{}
		for _, f := range res.Facets.Categories {
			got[f.ID] = f.Count
		}
		if len(got) != len(want) || got[s.dresses] != want[s.dresses] || got[s.tees] != want[s.tees] {
			t.Errorf("category facets %v, SQL %v", got, want)
		}
		var cotton int
		if err := db.R.QueryRow(`SELECT COUNT(*) FROM products p JOIN categories c ON c.id = p.category_id
			WHERE p.status = 'on_sale' AND c.parent_id = $1 AND p.attributes LIKE '%"面料":"纯棉"%'`, s.apparel).Scan(&cotton); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range res.Facets.Attributes {
			for _, v := range a.Values {
				if a.Name == "面料" && v.Value == "纯棉" {
					found = true
					if v.Count != cotton {
						t.Errorf("面料:纯棉 facet %d, SQL %d", v.Count, cotton)
					}
				}
			}
		}
		if !found {
			t.Errorf("no 面料:纯棉 facet in %+v", res.Facets.Attributes)
		}
		var banded int
		for _, b := range res.Facets.PriceBands {
			banded += b.Count
		}
		if banded != res.Total {
			t.Errorf("price bands count %d, total %d", banded, res.Total)
		}
		// Filters narrow the result and its facets alike.
		filtered := run(t, e, search.Request{Query: "服饰", BrandID: &s.ochirly,
			Attrs: []catalog.Attribute{{Name: "面料", Value: "纯棉"}}})
		if filtered.Total != 1 || filtered.Items[0].ID != s.dress2 {
			t.Errorf("brand and attribute filter: %+v", filtered.Items)
		}
		lo, hi := platform.Money(6000), platform.Money(20000)
		priced := run(t, e, search.Request{Query: "服饰", PriceMin: &lo, PriceMax: &hi})
		if priced.Total != 2 {
			t.Errorf("price filter kept %d, want 2", priced.Total)
		}
	})
}

func TestSortsAndCursorsWalkEveryHitOnce(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		newShop(t, db)
		e := search.NewEngine(db, search.EngineConfig{})
		for _, sort := range []search.Sort{search.SortRelevance, search.SortSales, search.SortPriceAsc, search.SortPriceDesc, search.SortNewest} {
			all := run(t, e, search.Request{Sort: sort})
			seen := map[platform.ID]bool{}
			var prev platform.Money = -1
			r := search.Request{Sort: sort, Page: platform.PageRequest{Limit: 2}}
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatalf("%s: cursor loops", sort)
				}
				res := run(t, e, r)
				for _, h := range res.Items {
					if seen[h.ID] {
						t.Errorf("%s: %d twice", sort, h.ID)
					}
					seen[h.ID] = true
					if sort == search.SortPriceAsc && h.PriceMin < prev {
						t.Errorf("price_asc out of order")
					}
					prev = h.PriceMin
				}
				if res.NextCursor == "" {
					break
				}
				c, err := platform.ParseCursor(res.NextCursor)
				if err != nil {
					t.Fatal(err)
				}
				r.Page.After = c
			}
			if len(seen) != all.Total || all.Total != 7 {
				t.Errorf("%s: walked %d of %d, want 7", sort, len(seen), all.Total)
			}
		}
	})
}

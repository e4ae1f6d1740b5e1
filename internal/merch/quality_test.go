package merch_test

import (
	"strings"
	"testing"

	"storeops/internal/catalog"
	"storeops/internal/merch"
	"storeops/internal/platform"
)

func TestScore(t *testing.T) {
	tpl := []catalog.AttributeDef{{Name: "材质"}, {Name: "产地"}, {Name: "颜色", Kind: catalog.KindSpec}, {Name: "尺码", Kind: catalog.KindSpec}}
	// good is a complete listing: every check passes.
	good := merch.QualityInput{
		Title:       "新疆长绒棉纯棉短袖T恤 男女同款 宽松圆领",
		Description: "<p>精选新疆长绒棉，<b>柔软亲肤</b>，透气吸汗；宽松版型，四季可穿，机洗不变形。</p>",
		Keywords:    []string{"T恤", "上衣", "服饰"},
		Images:      5,
		Filled:      []string{"材质", "产地", "颜色", "尺码"},
		Template:    tpl,
		Price:       5900, Median: 6900,
	}
	with := func(f func(in *merch.QualityInput)) merch.QualityInput { in := good; f(&in); return in }
	for _, tc := range []struct {
		name  string
		in    merch.QualityInput
		score int
		fixes []string // codes, worst first
		text  string   // the first fix in Chinese contains this
	}{
		{name: "complete", in: good, score: 100},
		{name: "very short title", in: with(func(in *merch.QualityInput) { in.Title = "T恤" }), score: 85, fixes: []string{"title_short"}, text: "标题仅 2 个字"},
		{name: "short title without the category word", in: with(func(in *merch.QualityInput) { in.Title = "夏季新款短袖上装" }), score: 82, fixes: []string{"title_keyword", "title_short"}, text: "「T恤」"},
		{name: "ancestor keyword counts, case-insensitive", in: with(func(in *merch.QualityInput) { in.Title = "夏季新款宽松百搭纯棉短袖 T恤" }), score: 100},
		{name: "title too long", in: with(func(in *merch.QualityInput) { in.Title = "T恤" + strings.Repeat("好", 60) }), score: 92, fixes: []string{"title_long"}},
		{name: "no images", in: with(func(in *merch.QualityInput) { in.Images = 0 }), score: 80, fixes: []string{"no_images"}, text: "至少上传 3 张"},
		{name: "one image", in: with(func(in *merch.QualityInput) { in.Images = 1 }), score: 87, fixes: []string{"few_images"}, text: "只有 1 张"},
		{name: "two images", in: with(func(in *merch.QualityInput) { in.Images = 2 }), score: 94, fixes: []string{"few_images"}},
		{name: "empty description, tags only", in: with(func(in *merch.QualityInput) { in.Description = "<p> <br> </p>&nbsp;" }), score: 80, fixes: []string{"no_description"}},
		{name: "short description", in: with(func(in *merch.QualityInput) { in.Description = "<p>柔软亲肤</p>" }), score: 90, fixes: []string{"short_description"}, text: "仅 4 个字"},
		{name: "one of four attributes missing", in: with(func(in *merch.QualityInput) { in.Filled = []string{"材质", "颜色", "尺码"} }), score: 95, fixes: []string{"missing_attrs"}, text: "产地"},
		{name: "all attributes missing", in: with(func(in *merch.QualityInput) { in.Filled = nil }), score: 80, fixes: []string{"missing_attrs"}, text: "材质、产地、颜色、尺码"},
		{name: "no template, no attributes", in: with(func(in *merch.QualityInput) { in.Template, in.Filled = nil, nil }), score: 95, fixes: []string{"no_attrs"}},
		{name: "no template, some attributes", in: with(func(in *merch.QualityInput) { in.Template = nil }), score: 100},
		{name: "no price", in: with(func(in *merch.QualityInput) { in.Price = 0 }), score: 85, fixes: []string{"no_price"}},
		{name: "price a tenth of the median", in: with(func(in *merch.QualityInput) { in.Price = 590 }), score: 85, fixes: []string{"price_low"}, text: "¥5.90 远低于类目中位价 ¥69.00"},
		{name: "price ten times the median", in: with(func(in *merch.QualityInput) { in.Price = 69000 }), score: 85, fixes: []string{"price_high"}},
		{name: "a fifth of the median is fine", in: with(func(in *merch.QualityInput) { in.Price = 1380 }), score: 100},
		{name: "unknown median", in: with(func(in *merch.QualityInput) { in.Price, in.Median = 1, 0 }), score: 100},
		{name: "everything wrong", in: merch.QualityInput{Title: "x", Keywords: []string{"T恤"}, Template: tpl}, score: 0,
			fixes: []string{"no_images", "no_description", "missing_attrs", "title_short", "no_price", "title_keyword"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := merch.Score(tc.in)
			var codes []string
			sum := 0
			for _, f := range q.Fixes {
				codes = append(codes, f.Code)
				sum += f.Points
				for _, lang := range []platform.Lang{platform.ZH, platform.EN} {
					if s := f.Text(lang); strings.HasPrefix(s, "merch.") || strings.Contains(s, "%!") {
						t.Errorf("fix text %q", s)
					}
				}
			}
			if q.Score != tc.score || strings.Join(codes, ",") != strings.Join(tc.fixes, ",") {
				t.Fatalf("score %d fixes %v, want %d %v", q.Score, codes, tc.score, tc.fixes)
			}
			if tc.score > 0 && q.Score != 100-sum {
				t.Fatalf("score %d is not 100 − %d", q.Score, sum)
			}
			if tc.text != "" && !strings.Contains(q.Fixes[0].Text(platform.ZH), tc.text) {
				t.Fatalf("first fix %q lacks %q", q.Fixes[0].Text(platform.ZH), tc.text)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []platform.Money
		min  int
		want platform.Money
	}{
		{[]platform.Money{300, 100, 200}, 3, 200},
		{[]platform.Money{400, 100, 200, 300}, 3, 250},
		{[]platform.Money{100, 0, 200}, 3, 0},
		{nil, 1, 0},
		{[]platform.Money{700}, 1, 700},
	} {
		if got := merch.Median(tc.in, tc.min); got != tc.want {
			t.Errorf("Median(%v, %d) = %d, want %d", tc.in, tc.min, got, tc.want)
		}
	}
}

func TestMain(m *testing.M) {
	platform.RegisterTexts(merch.Texts)
	m.Run()
}

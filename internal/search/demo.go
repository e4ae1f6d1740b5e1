package search

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// DemoStep writes months of shopper searches for the keyword report:
// catalog words, whole item names, brand and word, pinyin, initials and
// pinyin with a typo, category names, and searches for what the shop does
// not carry (some rephrased into the shop's word and clicked). Result
// counts and clicked products come from searching the real demo catalog,
// so the log agrees with what the storefront would have shown.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "search log", Order: 55, Run: runDemo}
}

// Demo id spaces of the log's tables, past the shared ones of demokit.
const (
	spaceSearchLog      demokit.Space = 48
	spaceSearchFeedback demokit.Space = 49
)

// Demo log size: searches a day at scale 1 over the last demoLogDays.
const (
	demoSearchesPerDay = 400
	demoLogDays        = 92
)

// demoMissing are searches the demo shop cannot answer; a rephrasing, when
// set, is the shop's own word a shopper tries next.
var demoMissing = []struct{ query, rephrase string }{
	{"猕猴桃", "奇异果"}, {"樱桃", "车厘子"}, {"洗发露", "洗发水"}, {"运动手表", "智能手表"}, {"被子", "蚕丝被"},
	{"手机壳", ""}, {"猫粮", ""}, {"瑜伽垫", ""}, {"电动牙刷", ""}, {"空气炸锅", ""}, {"iphone 16", ""}, {"保温杯", ""},
}

type demoSearch struct {
	at        time.Time
	query     string
	visitor   string
	clickRate float64
}

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, q := range []string{`DELETE FROM search_feedback`, `DELETE FROM search_log`, `DELETE FROM search_todos`} {
				if err := l.Exec(q); err != nil {
					return fmt.Errorf("search: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	shop := env.Shop
	engine := NewEngine(env.DB, EngineConfig{Log: env.Log})
	ix, err := engine.ready(ctx)
	if err != nil {
		return fmt.Errorf("search: demo: %w", err)
	}
	searches := planDemoSearches(shop, ix)
	shop.Progress.Start("search log", int64(len(searches)))
	type outcome struct {
		total int
		top   []platform.ID
	}
	seen := map[string]outcome{}
	err = env.DB.Load(ctx, func(l *store.Loader) error {
		logs := l.Into("search_log", "id", "at", "query", "norm_query", "result_count", "sort", "filters", "visitor_id", "clicks", "purchases")
		type fb struct {
			search, product int64
			kind            string
			at              time.Time
		}
		var feedback []fb
		for k, s := range searches {
			o, ok := seen[s.query]
			if !ok {
				res, err := engine.Search(ctx, Request{Query: s.query, Sort: SortRelevance, Page: platform.PageRequest{Limit: 5}})
				if err != nil {
					return err
				}
				o = outcome{total: res.Total}
				for _, h := range res.Items {
					o.top = append(o.top, h.ID)
				}
				seen[s.query] = o
			}
			id := shop.ID(spaceSearchLog, int64(k))
			r := shop.Rand("search-log", int64(k))
			clicks, purchases := 0, 0
			if len(o.top) > 0 && r.Float64() < s.clickRate {
				// Shoppers click near the top.
				i := 0
				for i+1 < len(o.top) && r.Float64() < 0.35 {
					i++
				}
				at := s.at.Add(time.Duration(5+r.IntN(60)) * time.Second)
				feedback = append(feedback, fb{id, int64(o.top[i]), FeedbackClick, at})
				clicks++
				if r.Float64() < 0.12 {
					feedback = append(feedback, fb{id, int64(o.top[i]), FeedbackPurchase, at.Add(time.Duration(2+r.IntN(20)) * time.Minute)})
					purchases++
				}
			}
			if err := logs.Add(id, store.Time(s.at), s.query, normalizeString(s.query), o.total, string(SortRelevance), "{}",
				s.visitor, clicks, purchases); err != nil {
				return err
			}
			shop.Progress.Add(1)
		}
		if err := logs.Flush(); err != nil { // feedback refers to it
			return err
		}
		rows := l.Into("search_feedback", "id", "search_id", "kind", "product_id", "at")
		for k, f := range feedback {
			if err := rows.Add(shop.ID(spaceSearchFeedback, int64(k)), f.search, f.kind, f.product, store.Time(f.at)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("search: demo: %w", err)
	}
	return nil
}

// planDemoSearches decides every search: when, by whom and what was
// typed, in time order.
func planDemoSearches(shop *demokit.Shop, ix *index) []demoSearch {
	type pick struct {
		title, brand, item, head, category string
	}
	var products []pick
	var weights []float64
	total := 0.0
	for _, p := range shop.Products {
		w := 0.0
		for _, si := range p.SKUs {
			w += shop.SKUs[si].Weight
		}
		if w <= 0 {
			continue // drafts
		}
		f := strings.Fields(p.Title)
		if len(f) < 2 {
			continue
		}
		brand, item := f[0], f[1]
		if strings.Contains(p.Title, "出版社") { // books: title first, publisher after
			brand, item = "", f[0]
		}
		head := item
		if words := ix.seg.words(string(normalize(item))); len(words) > 0 {
			for i := len(words) - 1; i >= 0; i-- {
				if utf8.RuneCountInString(words[i]) >= 2 && hasHan(words[i]) {
					head = words[i]
					break
				}
			}
		}
		products = append(products, pick{title: p.Title, brand: brand, item: item, head: head, category: shop.Categories[p.Category].Name})
		total += w
		weights = append(weights, total)
	}
	if len(products) == 0 {
		return nil
	}
	perDay := max(3, int(demoSearchesPerDay*shop.Scale+0.5))
	var out []demoSearch
	for day := range demoLogDays {
		date := shop.End.AddDate(0, 0, day-demoLogDays)
		r := shop.Rand("search-plan", int64(day))
		for n := 0; n < perDay; {
			visitor := randomVisitor(r)
			// Shoppers search between 8:00 and midnight.
			at := date.Add(8*time.Hour + time.Duration(r.Int64N(int64(16*time.Hour))))
			if r.Float64() < 0.12 {
				m := demoMissing[r.IntN(len(demoMissing))]
				out = append(out, demoSearch{at: at, query: m.query, visitor: visitor, clickRate: 0})
				n++
				if m.rephrase != "" && r.Float64() < 0.7 {
					out = append(out, demoSearch{at: at.Add(time.Duration(20+r.IntN(100)) * time.Second), query: m.rephrase, visitor: visitor, clickRate: 0.9})
					n++
				}
				continue
			}
			x := r.Float64() * total
			i := 0
			for i < len(weights)-1 && weights[i] < x {
				i++
			}
			p := products[i]
			q, rate := p.head, 0.6
			switch y := r.Float64(); {
			case y < 0.45:
			case y < 0.55:
				q = p.item
			case y < 0.63 && p.brand != "":
				q = p.brand + " " + p.head
				rate = 0.75
			case y < 0.71:
				q, _ = pinyinOf(p.head)
			case y < 0.76:
				_, q = pinyinOf(p.head)
				rate = 0.4
			case y < 0.80:
				full, _ := pinyinOf(p.head)
				q = swapTypo(full, r)
				rate = 0.45
			case y < 0.90:
				// A broad word: many results, few clicks.
				q, rate = p.category, 0.08
			default:
				q = p.head
			}
			if q == "" {
				q = p.head
			}
			out = append(out, demoSearch{at: at, query: q, visitor: visitor, clickRate: rate})
			n++
		}
	}
	// In time order, as a live log would be.
	slices.SortStableFunc(out, func(a, b demoSearch) int { return a.at.Compare(b.at) })
	return out
}

func randomVisitor(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.IntN(256))
	}
	return hex.EncodeToString(b[:])
}

// swapTypo swaps two neighbouring letters of a word of four or more.
func swapTypo(w string, r *rand.Rand) string {
	if len(w) < 4 {
		return w
	}
	b := []byte(w)
	i := 1 + r.IntN(len(b)-2)
	b[i], b[i+1] = b[i+1], b[i]
	return string(b)
}

package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/store"
)

// DemoStep builds the demo shop's catalog: eight top categories with
// their sub-categories, brands, products with SKUs and drawn images. It
// leaves the categories, products and SKUs in env.Shop for the later
// steps.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "catalog", Order: 10, Run: runDemo}
}

// demoImagesPerSub is how many distinct pictures each sub-category gets;
// its products share them (every product shows at least two).
const demoImagesPerSub = 3

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, q := range []string{`DELETE FROM product_images`, `DELETE FROM product_tags`, `DELETE FROM category_attributes`, `DELETE FROM skus`, `DELETE FROM products`, `DELETE FROM brands`,
				`DELETE FROM categories WHERE parent_id IS NOT NULL`, `DELETE FROM categories`} {
				if err := l.Exec(q); err != nil {
					return fmt.Errorf("catalog: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	shop := env.Shop
	cat := buildDemoCatalog(shop)
	shop.Progress.Start("catalog", int64(len(shop.Products)))
	images := drawDemoImages(shop)
	err := env.DB.Load(ctx, func(l *store.Loader) error {
		created := store.Time(shop.Start.AddDate(0, -3, 0))
		cats := l.Into("categories", "id", "parent_id", "slug", "name", "name_en", "position", "storage_class", "created_at", "updated_at")
		for ti, t := range demoCatalog {
			if err := cats.Add(shop.ID(demokit.SpaceCategory, int64(ti)), nil, t.slug, t.name, t.nameEN, ti, string(t.storage), created, created); err != nil {
				return err
			}
		}
		for si, c := range shop.Categories {
			sub := cat.subs[si]
			if err := cats.Add(c.ID, shop.ID(demokit.SpaceCategory, int64(c.Top)), demoCatalog[c.Top].slug+"-"+sub.slug, c.Name, sub.nameEN, si, c.Storage, created, created); err != nil {
				return err
			}
		}
		if err := cats.Flush(); err != nil { // products refer to them
			return err
		}
		brands := l.Into("brands", "id", "name", "name_en", "created_at")
		for i, b := range cat.brands {
			if err := brands.Add(shop.ID(demokit.SpaceBrand, int64(i)), b, "", created); err != nil {
				return err
			}
		}
		if err := brands.Flush(); err != nil {
			return err
		}
		prods := l.Into("products", "id", "category_id", "brand_id", "title", "subtitle", "description", "attributes", "status", "storage_class", "price_min", "price_max", "listed_at", "created_at", "updated_at")
		for pi, p := range shop.Products {
			d := cat.products[pi]
			var listed any
			if d.status != StatusDraft {
				listed = store.Time(p.Listed)
			}
			c := shop.Categories[p.Category]
			if err := prods.Add(p.ID, c.ID, shop.ID(demokit.SpaceBrand, int64(d.brand)), p.Title, d.subtitle, d.description, d.attributes,
				string(d.status), c.Storage, d.priceMin, d.priceMax, listed, store.Time(p.Listed), store.Time(p.Listed)); err != nil {
				return err
			}
		}
		if err := prods.Flush(); err != nil {
			return err
		}
		skus := l.Into("skus", "id", "product_id", "code", "spec", "spec_text", "price", "compare_at_price", "cost", "weight_g", "barcode", "status", "position", "created_at", "updated_at")
		imgs := l.Into("product_images", "id", "product_id", "position", "content_type", "width", "height", "sha256", "data", "created_at")
		var imgK int64
		for pi, p := range shop.Products {
			d := cat.products[pi]
			at := store.Time(p.Listed)
			for j, si := range p.SKUs {
				s := shop.SKUs[si]
				var compare any
				if d.compareAt > 0 {
					compare = s.Price * d.compareAt / 100
				}
				if err := skus.Add(s.ID, p.ID, fmt.Sprintf("SP%06d-%02d", pi+1, j+1), d.specs[j], s.SpecText, s.Price, compare, s.Cost,
					d.weightG, ean13(shop.Seed, int64(si)), "active", j, at, at); err != nil {
					return err
				}
			}
			set := images[p.Category]
			for j := range d.images {
				img := set[(pi+j)%len(set)]
				if err := imgs.Add(shop.ID(demokit.SpaceImage, imgK), p.ID, j, "image/jpeg", demokit.ImageSize, demokit.ImageSize, img.SHA256, img.Data, at); err != nil {
					return err
				}
				imgK++
			}
			shop.Progress.Add(1)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("catalog: demo: %w", err)
	}
	return nil
}

// demoCatalogRows is what the catalog step writes beyond the Shop's view.
type demoCatalogRows struct {
	subs     []demoSub
	brands   []string
	products []demoProductRow
}

type demoProductRow struct {
	brand                 int
	subtitle, description string
	attributes            string
	status                Status
	priceMin, priceMax    int64
	compareAt             int64 // percent of price, 0 for none
	weightG               int
	images                int
	specs                 []string // JSON per SKU
}

// buildDemoCatalog decides every category, product and SKU and records
// them in shop.
func buildDemoCatalog(shop *demokit.Shop) *demoCatalogRows {
	out := &demoCatalogRows{}
	brandIdx := map[string]int{}
	nSubs := 0
	for _, t := range demoCatalog {
		nSubs += len(t.subs)
	}
	// Products grow slower than orders: a bigger shop sells more of each.
	total := max(int(math.Round(520*math.Sqrt(shop.Scale))), 2*nSubs)
	for ti, t := range demoCatalog {
		for _, sub := range t.subs {
			si := len(shop.Categories)
			storage := sub.storage
			if storage == "" {
				storage = t.storage
			}
			share := t.share / float64(len(t.subs))
			shop.Categories = append(shop.Categories, demokit.Category{
				ID: shop.ID(demokit.SpaceCategory, int64(100+si)), Top: ti, Name: sub.name, Storage: string(storage), Weight: share,
			})
			out.subs = append(out.subs, sub)
			n := max(2, int(math.Round(share*float64(total))))
			r := shop.Rand("catalog", int64(si))
			for k := range n {
				buildDemoProduct(shop, out, brandIdx, r, t, sub, si, k, storage)
			}
		}
	}
	return out
}

func buildDemoProduct(shop *demokit.Shop, out *demoCatalogRows, brandIdx map[string]int, r *rand.Rand, t demoTop, sub demoSub, si, k int, storage StorageClass) {
	pi := len(shop.Products)
	brand := sub.brands[r.IntN(len(sub.brands))]
	bi, ok := brandIdx[brand]
	if !ok {
		bi = len(out.brands)
		brandIdx[brand] = bi
		out.brands = append(out.brands, brand)
	}
	item := sub.items[(k+r.IntN(2))%len(sub.items)]
	p1 := r.IntN(len(sub.points))
	p2 := (p1 + 1 + r.IntN(len(sub.points)-1)) % len(sub.points)
	var title string
	if sub.brandLast {
		title = fmt.Sprintf("%s %s %s %s", item, sub.points[p1], brand, sub.points[p2])
	} else {
		title = fmt.Sprintf("%s %s %s %s", brand, item, sub.points[p1], sub.points[p2])
	}
	attrs := map[string]string{"品牌": brand}
	for _, a := range sub.attrs {
		opt := a.options[r.IntN(len(a.options))]
		if a.name == "储存条件" {
			opt = a.options[0]
			if storage == Frozen {
				opt = a.options[1]
			}
		}
		attrs[a.name] = opt
	}
	attrJSON, _ := json.Marshal(attrs)
	// The base price sits in the band, skewed to its cheaper end, and ends
	// the way shops price: 59, 69.9, 129, 199.
	lo, hi := float64(sub.price[0]), float64(sub.price[1])
	base := lo + (hi-lo)*math.Pow(r.Float64(), 1.8)
	margin := t.margin[0] + (t.margin[1]-t.margin[0])*r.Float64()
	// Pick each spec dimension's offered values.
	type choice struct {
		values []string
		idx    []int
		step   float64
	}
	var dims []choice
	for _, sp := range sub.specs {
		n := sp.pick[0] + r.IntN(sp.pick[1]-sp.pick[0]+1)
		n = min(n, len(sp.values))
		start := r.IntN(len(sp.values) - n + 1)
		if sp.step == 1 && sp.name != "尺码" {
			start = r.IntN(len(sp.values)) // colours: any subset, wrapped
		}
		c := choice{step: sp.step}
		for j := range n {
			c.idx = append(c.idx, (start+j)%len(sp.values))
			c.values = append(c.values, sp.values[(start+j)%len(sp.values)])
		}
		dims = append(dims, c)
	}
	listed := shop.Start.AddDate(0, 0, -30-r.IntN(400))
	row := demoProductRow{brand: bi, attributes: string(attrJSON), weightG: sub.weightG, images: 2 + r.IntN(2)}
	row.subtitle = sub.points[(p2+1)%len(sub.points)] + "，" + t.name + "好物"
	row.description = fmt.Sprintf("%s %s。%s，%s。", brand, item, sub.points[p1], sub.points[p2])
	switch x := r.Float64(); {
	case k == 0 || x < 0.9:
		row.status = StatusOnSale
	case x < 0.96:
		row.status = StatusOffSale
	default:
		row.status = StatusDraft
	}
	if r.Float64() < 0.35 {
		row.compareAt = int64(120 + r.IntN(45))
	}
	prod := demokit.Product{ID: shop.ID(demokit.SpaceProduct, int64(pi)), Category: si, Title: title, Listed: listed}
	popularity := math.Pow(float64(k+1), -0.9) * shop.Categories[si].Weight
	if row.status == StatusDraft {
		popularity = 0
	}
	// Every combination of the dimensions is a SKU.
	combos := [][]int{{}}
	for di := range dims {
		var next [][]int
		for _, c := range combos {
			for j := range dims[di].idx {
				next = append(next, append(append([]int{}, c...), j))
			}
		}
		combos = next
	}
	row.priceMin, row.priceMax = math.MaxInt64, 0
	for _, combo := range combos {
		price := base
		spec := map[string]string{}
		var text []string
		for di, j := range combo {
			d := dims[di]
			price *= math.Pow(d.step, float64(j))
			spec[sub.specs[di].name] = d.values[j]
			text = append(text, d.values[j])
		}
		p := shopPrice(price)
		cost := int64(float64(p) * (1 - margin) * (0.95 + 0.1*r.Float64()))
		specJSON, _ := json.Marshal(spec)
		row.specs = append(row.specs, string(specJSON))
		w := popularity / float64(len(combos))
		if len(combo) > 0 && sub.specs[len(combo)-1].name == "尺码" {
			// M and L sell best.
			mid := float64(len(dims[len(combo)-1].idx)-1) / 2
			w *= 1.6 - 0.4*math.Abs(float64(combo[len(combo)-1])-mid)
		}
		si := len(shop.SKUs)
		shop.SKUs = append(shop.SKUs, demokit.SKU{
			ID: shop.ID(demokit.SpaceSKU, int64(si)), ProductID: prod.ID, Product: pi, CategoryID: shop.Categories[prod.Category].ID,
			Title: title, SpecText: strings.Join(text, " "), Price: p, Cost: cost, Weight: math.Max(w, 0),
		})
		prod.SKUs = append(prod.SKUs, si)
		row.priceMin, row.priceMax = min(row.priceMin, p), max(row.priceMax, p)
	}
	shop.Products = append(shop.Products, prod)
	out.products = append(out.products, row)
}

// shopPrice rounds yuan to how shops price: whole yuan ending in 9 above
// ¥100, .9 below.
func shopPrice(yuan float64) int64 {
	if yuan >= 100 {
		return (int64(yuan/10)*10 + 9) * 100
	}
	return int64(yuan)*100 + 90
}

// ean13 is a valid-looking Chinese (69x) EAN-13 barcode.
func ean13(seed, k int64) string {
	x := uint64(seed*1_000_003+k)*0x9E3779B97F4A7C15>>20 ^ uint64(k)
	digits := fmt.Sprintf("69%010d", x%10_000_000_000)
	sum := 0
	for i, c := range digits {
		d := int(c - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return digits + fmt.Sprint((10-sum%10)%10)
}

// drawDemoImages draws each sub-category's pictures, on all cores.
func drawDemoImages(shop *demokit.Shop) [][]demokit.Image {
	out := make([][]demokit.Image, len(shop.Categories))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for si, c := range shop.Categories {
		out[si] = make([]demokit.Image, demoImagesPerSub)
		for v := range demoImagesPerSub {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				out[si][v] = demokit.DrawImage(demokit.Palette(demoCatalog[c.Top].palette), shop.Rand("image", int64(si*16+v)))
			}()
		}
	}
	wg.Wait()
	return out
}

package search_test

import (
	"context"
	"testing"

	"storeops/internal/app/apptest"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/search"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// shop is a small catalog with the shapes search must handle: Chinese
// titles, Latin brands and model numbers, attributes, a product off sale.
type shop struct {
	db                            *store.DB
	apparel, dresses, tees, phone platform.ID
	apple, xiaomi, ochirly        platform.ID
	dress, dress2, tee, iphone    platform.ID
	mi14, caseP, offSale          platform.ID
}

func newShop(t testing.TB, db *store.DB) *shop {
	t.Helper()
	f := catalogtest.New(t, db)
	s := &shop{db: db}
	s.apparel = f.Category("服饰", "Apparel", 0)
	s.dresses = f.Category("女装", "Womenswear", s.apparel)
	s.tees = f.Category("男装", "Menswear", s.apparel)
	s.phone = f.Category("手机数码", "Phones", 0)
	s.apple = brand(t, db, "Apple")
	s.xiaomi = brand(t, db, "小米")
	s.ochirly = brand(t, db, "欧时力")
	product := func(cat, br platform.ID, title, attrs string, price platform.Money) platform.ID {
		id, _ := f.Create(catalogtest.Product{Category: cat, Title: title, Attributes: attrs,
			SKUs: []catalogtest.SKU{{Price: price, Stock: 5}}})
		setBrand(t, db, id, br)
		return id
	}
	s.dress = product(s.dresses, s.ochirly, "法式碎花连衣裙 2026新款", `{"面料":"雪纺","版型":"修身"}`, 29900)
	s.dress2 = product(s.dresses, s.ochirly, "V领针织连衣裙", `{"面料":"纯棉","版型":"宽松"}`, 19900)
	s.tee = product(s.tees, 0, "纯棉圆领短袖T恤", `{"面料":"纯棉"}`, 7900)
	product(s.tees, 0, "宽松T恤 男士上衣", `{"面料":"莫代尔"}`, 5900)
	s.iphone = product(s.phone, s.apple, "Apple iPhone 15 Pro 5G手机", `{"保修":"官方保修"}`, 799900)
	s.mi14 = product(s.phone, s.xiaomi, "Xiaomi 14 Ultra 徕卡影像手机", `{"保修":"全国联保一年"}`, 599900)
	s.caseP = product(s.phone, 0, "硅胶保护壳 防摔", `{}`, 3900)
	s.offSale, _ = f.Create(catalogtest.Product{Category: s.dresses, Title: "下架连衣裙", Status: "off_sale"})
	return s
}

func brand(t testing.TB, db *store.DB, name string) platform.ID {
	t.Helper()
	var id platform.ID
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		id = tx.NewID()
		_, err := tx.Exec(`INSERT INTO brands (id, name, created_at) VALUES ($1, $2, $3)`, id, name, tx.Now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func setBrand(t testing.TB, db *store.DB, product, brand platform.ID) {
	t.Helper()
	if brand == 0 {
		return
	}
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE products SET brand_id = $1 WHERE id = $2`, brand, product)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// each runs fn on a fresh database of every dialect with every module's
// tables.
func each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) { fn(t, apptest.Open(t, d, apptest.Options{})) })
	}
}

// find runs a query and returns the ids found in order.
func find(t *testing.T, e *search.Engine, q string) []platform.ID {
	t.Helper()
	res := run(t, e, search.Request{Query: q})
	ids := make([]platform.ID, len(res.Items))
	for i, h := range res.Items {
		ids[i] = h.ID
	}
	return ids
}

func run(t *testing.T, e *search.Engine, r search.Request) search.Result {
	t.Helper()
	if r.Page.Limit == 0 {
		r.Page.Limit = 50
	}
	if r.Sort == "" {
		r.Sort = search.SortRelevance
	}
	res, err := e.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("search %q: %v", r.Query, err)
	}
	return res
}

func contains(ids []platform.ID, id platform.ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

package cart_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/cart"
	"storeops/internal/catalog"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// fixture is a database with a small catalog: an ambient SKU with 10 in
// stock, a chilled SKU with 3, and an off-sale product.
type fixture struct {
	db                    *store.DB
	svc                   *cart.Service
	tee, fish, gone, more platform.ID
	teeProduct            platform.ID
}

func newFixture(t *testing.T, d store.Dialect) *fixture {
	t.Helper()
	db := apptest.Open(t, d, apptest.Options{})
	f := catalogtest.New(t, db)
	clothes := f.Category("服饰", "Clothing", 0)
	fresh := f.Category("生鲜", "Fresh", 0)
	if _, err := db.W.Exec(`UPDATE categories SET storage_class = 'chilled' WHERE id = $1`, fresh); err != nil {
		t.Fatal(err)
	}
	fx := &fixture{db: db, svc: cart.NewService(db, cart.Rules{})}
	var skus []platform.ID
	fx.teeProduct, skus = f.Create(catalogtest.Product{Category: clothes, Title: "纯棉短袖T恤", Images: 1,
		SKUs: []catalogtest.SKU{{SpecText: "白色 M", Price: 5900, Stock: 10}, {SpecText: "黑色 L", Price: 6900, Stock: 4}}})
	fx.tee, fx.more = skus[0], skus[1]
	_, skus = f.Create(catalogtest.Product{Category: fresh, Title: "智利三文鱼 500g", SKUs: []catalogtest.SKU{{Price: 12800, Stock: 3}}})
	fx.fish = skus[0]
	if _, err := db.W.Exec(`UPDATE products SET storage_class = 'chilled' WHERE id = (SELECT product_id FROM skus WHERE id = $1)`, fx.fish); err != nil {
		t.Fatal(err)
	}
	_, skus = f.Create(catalogtest.Product{Category: clothes, Title: "已下架的帽子", Status: catalog.StatusOffSale})
	fx.gone = skus[0]
	return fx
}

func guest(name string) cart.Owner {
	// 43 characters, like a real token.
	return cart.Owner{GuestToken: (name + "-guest-token-0000000000000000000000000000000000")[:43]}
}

func customer(t *testing.T, db *store.DB) cart.Owner {
	t.Helper()
	var id platform.ID
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		id = tx.NewID()
		_, err := tx.Exec(`INSERT INTO customers (id, email, password_hash, created_at, updated_at) VALUES ($1, $2, 'x', $3, $3)`,
			id, id.String()+"@example.com", tx.Now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return cart.Owner{CustomerID: id}
}

func wantCode(t *testing.T, err error, code platform.Code) {
	t.Helper()
	var e *platform.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got %v, want code %s", err, code)
	}
}

func line(t *testing.T, c *cart.Cart, sku platform.ID) cart.Line {
	t.Helper()
	for _, l := range c.Lines {
		if l.SKUID == sku {
			return l
		}
	}
	t.Fatalf("sku %s not in the cart %+v", sku, c.Lines)
	return cart.Line{}
}

func TestAddSetRemoveAndTotals(t *testing.T) {
	each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		fx := newFixture(t, d)
		g := guest("a")
		empty, err := fx.svc.View(ctx, g, "")
		if err != nil || len(empty.Lines) != 0 || empty.Total != 0 {
			t.Fatalf("a guest without a cart sees an empty one: %+v, %v", empty, err)
		}
		c, err := fx.svc.Add(ctx, g, fx.tee, 1, "310000")
		if err != nil {
			t.Fatal(err)
		}
		if c.Items != 5900 || c.Shipping.Fee != 800 || c.Total != 6700 || c.FreeShippingGap != 4000 {
			t.Errorf("one tee to 上海: items %d shipping %d total %d gap %d", c.Items, c.Shipping.Fee, c.Total, c.FreeShippingGap)
		}
		if l := line(t, c, fx.tee); l.Title != "纯棉短袖T恤" || l.SpecText != "白色 M" || l.ImageURL == "" || l.State != cart.LineOK || l.Available != 10 {
			t.Errorf("line: %+v", l)
		}
		// Adding again adds up; above the threshold shipping is free.
		if c, err = fx.svc.Add(ctx, g, fx.tee, 1, "310000"); err != nil {
			t.Fatal(err)
		}
		if l := line(t, c, fx.tee); l.Quantity != 2 || c.Items != 11800 || c.Shipping.Fee != 0 || c.Total != 11800 {
			t.Errorf("two tees: qty %d items %d shipping %d", l.Quantity, c.Items, c.Shipping.Fee)
		}
		// A chilled item switches the parcel to the cold-chain fee.
		if c, err = fx.svc.Add(ctx, g, fx.fish, 1, "540000"); err != nil {
			t.Fatal(err)
		}
		if c.Items != 24600 || c.Shipping.Rule != "free" {
			t.Errorf("tees and fish above ¥199: items %d rule %s fee %d", c.Items, c.Shipping.Rule, c.Shipping.Fee)
		}
		if c, err = fx.svc.Set(ctx, g, fx.tee, 0, nil, "540000"); err != nil {
			t.Fatal(err)
		}
		if len(c.Lines) != 1 || c.Shipping.Fee != 1800 || c.Shipping.Rule != "cold" {
			t.Errorf("fish alone: %d lines, shipping %+v", len(c.Lines), c.Shipping)
		}
		// More than in stock: the line is short and not counted.
		if c, err = fx.svc.Set(ctx, g, fx.fish, 5, nil, ""); err != nil {
			t.Fatal(err)
		}
		if l := line(t, c, fx.fish); l.State != cart.LineShort || l.Available != 3 || c.Items != 0 || c.Total != 0 {
			t.Errorf("5 of 3 fish: state %s available %d items %d", l.State, l.Available, c.Items)
		}
		// Unselected lines stay but are not counted.
		off := false
		if c, err = fx.svc.Set(ctx, g, fx.more, 2, &off, ""); err != nil {
			t.Fatal(err)
		}
		if l := line(t, c, fx.more); l.Selected || l.Quantity != 2 || c.Items != 0 {
			t.Errorf("unselected: %+v items %d", l, c.Items)
		}
		// Delisting the product makes its line unavailable.
		if _, err := fx.db.W.Exec(`UPDATE products SET status = 'off_sale' WHERE id = $1`, fx.teeProduct); err != nil {
			t.Fatal(err)
		}
		if c, err = fx.svc.View(ctx, g, ""); err != nil {
			t.Fatal(err)
		}
		if l := line(t, c, fx.more); l.State != cart.LineUnavailable {
			t.Errorf("delisted line state %s", l.State)
		}
		if _, err := fx.svc.Remove(ctx, g, fx.fish, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.Remove(ctx, g, fx.fish, ""); err != nil {
			t.Errorf("removing twice is not an error: %v", err)
		}
		if err := fx.svc.Clear(ctx, g); err != nil {
			t.Fatal(err)
		}
		if c, _ := fx.svc.View(ctx, g, ""); len(c.Lines) != 0 {
			t.Errorf("cleared cart has %d lines", len(c.Lines))
		}
	})
}

func TestBadInputChangesNothing(t *testing.T) {
	each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		fx := newFixture(t, d)
		g := guest("b")
		if _, err := fx.svc.Add(ctx, g, fx.tee, 2, ""); err != nil {
			t.Fatal(err)
		}
		_, err := fx.svc.Add(ctx, g, fx.tee, 0, "")
		wantCode(t, err, platform.CodeInvalid)
		_, err = fx.svc.Add(ctx, g, fx.tee, cart.MaxQuantity+1, "")
		wantCode(t, err, platform.CodeInvalid)
		_, err = fx.svc.Set(ctx, g, fx.tee, -1, nil, "")
		wantCode(t, err, platform.CodeInvalid)
		_, err = fx.svc.Add(ctx, g, fx.gone, 1, "")
		wantCode(t, err, cart.CodeUnavailable)
		_, err = fx.svc.Add(ctx, g, platform.ID(424242), 1, "")
		wantCode(t, err, platform.CodeNotFound)
		c, err := fx.svc.View(ctx, g, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Lines) != 1 || line(t, c, fx.tee).Quantity != 2 {
			t.Errorf("after refused changes: %+v", c.Lines)
		}
		// A line is capped at MaxQuantity however it is added.
		if _, err := fx.svc.Add(ctx, g, fx.tee, cart.MaxQuantity, ""); err != nil {
			t.Fatal(err)
		}
		c, _ = fx.svc.View(ctx, g, "")
		if q := line(t, c, fx.tee).Quantity; q != cart.MaxQuantity {
			t.Errorf("quantity %d, want the cap %d", q, cart.MaxQuantity)
		}
	})
}

func TestLineLimit(t *testing.T) {
	each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		db := apptest.Open(t, d, apptest.Options{})
		f := catalogtest.New(t, db)
		cat := f.Category("图书", "Books", 0)
		skus := make([]catalogtest.SKU, cart.MaxLines+1)
		for i := range skus {
			skus[i] = catalogtest.SKU{Price: 1000, Stock: 2}
		}
		_, ids := f.Create(catalogtest.Product{Category: cat, Title: "套装", SKUs: skus})
		svc := cart.NewService(db, cart.Rules{})
		g := guest("c")
		for _, id := range ids[:cart.MaxLines] {
			if _, err := svc.Add(ctx, g, id, 1, ""); err != nil {
				t.Fatal(err)
			}
		}
		_, err := svc.Add(ctx, g, ids[cart.MaxLines], 1, "")
		wantCode(t, err, cart.CodeFull)
		c, _ := svc.View(ctx, g, "")
		if len(c.Lines) != cart.MaxLines {
			t.Errorf("%d lines after the refused add", len(c.Lines))
		}
		// Changing a line that is there still works when full.
		if _, err := svc.Add(ctx, g, ids[0], 1, ""); err != nil {
			t.Errorf("adding to an existing line of a full cart: %v", err)
		}
	})
}

func TestMergeOnSignIn(t *testing.T) {
	each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		fx := newFixture(t, d)
		g, c := guest("d"), customer(t, fx.db)
		if _, err := fx.svc.Add(ctx, c, fx.tee, 1, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.Add(ctx, g, fx.tee, 2, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.svc.Add(ctx, g, fx.fish, 1, ""); err != nil {
			t.Fatal(err)
		}
		if err := fx.svc.Merge(ctx, c.CustomerID, g.GuestToken); err != nil {
			t.Fatal(err)
		}
		got, _ := fx.svc.View(ctx, c, "")
		if len(got.Lines) != 2 || line(t, got, fx.tee).Quantity != 3 || line(t, got, fx.fish).Quantity != 1 {
			t.Errorf("merged cart: %+v", got.Lines)
		}
		if n := storetest.Count(t, fx.db, `SELECT COUNT(*) FROM carts WHERE guest_hash IS NOT NULL`); n != 0 {
			t.Errorf("%d guest carts left after the merge", n)
		}
		// A second merge with the same (now unknown) token does nothing.
		if err := fx.svc.Merge(ctx, c.CustomerID, g.GuestToken); err != nil {
			t.Fatal(err)
		}
		if again, _ := fx.svc.View(ctx, c, ""); line(t, again, fx.tee).Quantity != 3 {
			t.Errorf("second merge changed the cart")
		}
	})
}

func TestConcurrentFirstAddsMakeOneCart(t *testing.T) {
	each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		fx := newFixture(t, d)
		g := guest("e")
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				_, err := fx.svc.Add(ctx, g, fx.tee, 1, "")
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := storetest.Count(t, fx.db, `SELECT COUNT(*) FROM carts`); n != 1 {
			t.Errorf("%d carts, want 1", n)
		}
		c, _ := fx.svc.View(ctx, g, "")
		if q := line(t, c, fx.tee).Quantity; q != 8 {
			t.Errorf("quantity %d after 8 concurrent adds of 1", q)
		}
	})
}

func TestPurgeGuests(t *testing.T) {
	each(t, func(t *testing.T, d store.Dialect) {
		ctx := context.Background()
		fx := newFixture(t, d)
		g, c := guest("f"), customer(t, fx.db)
		for _, o := range []cart.Owner{g, c} {
			if _, err := fx.svc.Add(ctx, o, fx.tee, 1, ""); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := cart.PurgeGuests(ctx, fx.db, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("purged %d fresh carts (%v)", n, err)
		}
		n, err := cart.PurgeGuests(ctx, fx.db, time.Now().Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("purged %d, want the guest cart only (%v)", n, err)
		}
		if left := storetest.Count(t, fx.db, `SELECT COUNT(*) FROM cart_items`); left != 1 {
			t.Errorf("%d cart items left, want the customer's 1", left)
		}
	})
}

// each runs fn on every database kind the tests have.
func each(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}

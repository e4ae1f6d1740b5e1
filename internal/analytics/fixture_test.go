package analytics_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// seed fills db with a small random shop: a category tree, products and
// orders spread over fourteen months before now, many of them near the
// shop-zone midnight so a wrong day bucket shows. Deterministic per seed.
func seed(t testing.TB, db *store.DB, now time.Time, seed uint64, orders int) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 7))
	err := db.Write(ctx, func(tx *store.Tx) error {
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}
		cats := []int64{}
		roots := []string{"生鲜", "粮油"}
		for i, name := range roots {
			root := int64(tx.NewID())
			if err := exec(`INSERT INTO categories (id, parent_id, slug, name, name_en, created_at, updated_at) VALUES ($1, NULL, $2, $3, $4, $5, $5)`,
				root, fmt.Sprintf("root-%d", i), name, fmt.Sprintf("Root %d", i), tx.Now); err != nil {
				return err
			}
			for j := range 2 {
				id := int64(tx.NewID())
				if err := exec(`INSERT INTO categories (id, parent_id, slug, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
					id, root, fmt.Sprintf("c-%d-%d", i, j), fmt.Sprintf("%s子类%d", name, j), tx.Now); err != nil {
					return err
				}
				cats = append(cats, id)
			}
		}
		type product struct{ id, cat, price, cost int64 }
		var products []product
		for i := range 8 {
			p := product{id: int64(tx.NewID()), cat: cats[i%len(cats)], price: int64(990 + rng.IntN(20000)), cost: 0}
			p.cost = p.price * int64(40+rng.IntN(30)) / 100
			if err := exec(`INSERT INTO products (id, category_id, title, status, created_at, updated_at) VALUES ($1, $2, $3, 'on_sale', $4, $4)`,
				p.id, p.cat, fmt.Sprintf("商品%02d", i), tx.Now); err != nil {
				return err
			}
			products = append(products, p)
		}
		start := now.AddDate(0, -14, 0)
		span := now.Sub(start)
		for n := range orders {
			placed := start.Add(time.Duration(rng.Int64N(int64(span))))
			if rng.IntN(4) == 0 { // near a shop-zone midnight (16:00 UTC)
				d := placed.UTC()
				placed = time.Date(d.Year(), d.Month(), d.Day(), 16, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(120)-60) * time.Second)
			}
			if placed.After(now) {
				placed = now.Add(-time.Minute)
			}
			placed = store.Time(placed)
			status := order.Statuses[rng.IntN(len(order.Statuses))]
			id := int64(tx.NewID())
			var items, cost int64
			lines := 1 + rng.IntN(3)
			type line struct {
				p          product
				qty, total int64
			}
			var ls []line
			for range lines {
				p := products[rng.IntN(len(products))]
				q := int64(1 + rng.IntN(3))
				ls = append(ls, line{p, q, p.price * q})
				items += p.price * q
				cost += p.cost * q
			}
			ship := int64(rng.IntN(2)) * 800
			total := items + ship
			var refunded int64
			if rng.IntN(6) == 0 {
				refunded = total / int64(1+rng.IntN(3))
			}
			if err := exec(`INSERT INTO orders (id, order_no, customer_id, status, items_total, shipping_fee, total, cost_total, refunded_total, item_count, placed_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11)`,
				id, fmt.Sprintf("T%08d", n), int64(1000+rng.IntN(60)), string(status), items, ship, total, cost, refunded, lines, placed); err != nil {
				return err
			}
			for _, l := range ls {
				if err := exec(`INSERT INTO order_lines (id, order_id, product_id, sku_id, category_id, title, quantity, unit_price, line_total, unit_cost)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
					int64(tx.NewID()), id, l.p.id, l.p.id, l.p.cat, "snapshot", l.qty, l.p.price, l.total, l.p.cost); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// fixedNow is the instant the tests run at: 2026-11-25 15:30 in the shop.
var fixedNow = time.Date(2026, 11, 25, 15, 30, 0, 0, platform.ShopZone)

package merch

import (
	"context"
	"fmt"
	"sort"
	"time"

	"storeops/internal/catalog"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// rateDays is the window the recent sales rate (for days of cover) is
// measured over, at least the slow-mover window itself.
const rateDays = 90

// SlowMover is an on-sale product with stock that sold nothing in the
// report's window.
type SlowMover struct {
	ID       platform.ID `json:"id"`
	Title    string      `json:"title"`
	Category string      `json:"category"`
	Tags     []string    `json:"tags"`
	Stock    int64       `json:"stock"`
	// TiedUp is the stock on hand at cost price.
	TiedUp platform.Money `json:"tied_up_cost"`
	// SoldRecent is the units sold over RateDays; DaysOfCover is how long
	// the stock lasts at that rate, nil when nothing sold (forever).
	SoldRecent  int64 `json:"sold_recent"`
	RateDays    int   `json:"rate_days"`
	DaysOfCover *int  `json:"days_of_cover"`
	// LastSale is the last paid order with the product within RateDays,
	// nil when there was none.
	LastSale *time.Time `json:"last_sale,omitempty"`
}

// SlowMovers lists on-sale products with stock on hand and no units paid
// for in the last days days (7–365, default 30), most cost tied up first.
// Sales count paid orders that were not cancelled.
func SlowMovers(ctx context.Context, db *store.DB, days int) ([]SlowMover, error) {
	if days == 0 {
		days = 30
	}
	if days < 7 || days > 365 {
		return nil, platform.Invalid("days", "merch.field.days", 7, 365)
	}
	now := db.Now()
	since := now.AddDate(0, 0, -days)
	window := max(rateDays, days)
	rateSince := now.AddDate(0, 0, -window)
	q := db.R
	tree, err := catalog.LoadTree(ctx, q)
	if err != nil {
		return nil, err
	}
	type acc struct {
		SlowMover
		cat     platform.ID
		soldWin int64
	}
	byID := map[platform.ID]*acc{}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.title, p.category_id, SUM(l.on_hand), SUM(l.on_hand * s.cost)
		FROM products p JOIN skus s ON s.product_id = p.id JOIN stock_levels l ON l.sku_id = s.id
		WHERE p.status = 'on_sale' GROUP BY p.id, p.title, p.category_id`)
	if err != nil {
		return nil, fmt.Errorf("merch: slow movers: %w", err)
	}
	for rows.Next() {
		a := &acc{}
		if err := rows.Scan(&a.ID, &a.Title, &a.cat, &a.Stock, &a.TiedUp); err != nil {
			rows.Close()
			return nil, fmt.Errorf("merch: slow movers: %w", err)
		}
		if a.Stock > 0 {
			byID[a.ID] = a
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT ol.product_id, ol.quantity, o.paid_at FROM order_lines ol JOIN orders o ON o.id = ol.order_id
		WHERE o.paid_at >= $1 AND o.status <> 'cancelled'`, rateSince)
	if err != nil {
		return nil, fmt.Errorf("merch: slow mover sales: %w", err)
	}
	for rows.Next() {
		var id platform.ID
		var qty int64
		var at time.Time
		if err := rows.Scan(&id, &qty, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("merch: slow mover sales: %w", err)
		}
		a := byID[id]
		if a == nil {
			continue
		}
		a.SoldRecent += qty
		if !at.Before(since) {
			a.soldWin += qty
		}
		if a.LastSale == nil || at.After(*a.LastSale) {
			t := at
			a.LastSale = &t
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	tags, err := productTags(ctx, q)
	if err != nil {
		return nil, err
	}
	out := []SlowMover{}
	for _, a := range byID {
		if a.soldWin > 0 {
			continue
		}
		a.RateDays = window
		if a.SoldRecent > 0 {
			d := int(a.Stock * int64(window) / a.SoldRecent)
			a.DaysOfCover = &d
		}
		if n, ok := tree.Find(a.cat); ok {
			a.Category = n.Name
		}
		a.Tags = tags[a.ID]
		if a.Tags == nil {
			a.Tags = []string{}
		}
		out = append(out, a.SlowMover)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].TiedUp != out[j].TiedUp {
			return out[i].TiedUp > out[j].TiedUp
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// productTags reads every product's tags.
func productTags(ctx context.Context, q store.Querier) (map[platform.ID][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT product_id, tag FROM product_tags ORDER BY product_id, tag`)
	if err != nil {
		return nil, fmt.Errorf("merch: tags: %w", err)
	}
	defer rows.Close()
	out := map[platform.ID][]string{}
	for rows.Next() {
		var id platform.ID
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return nil, fmt.Errorf("merch: tags: %w", err)
		}
		out[id] = append(out[id], tag)
	}
	return out, rows.Err()
}

package order_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// eachDB runs fn on a fresh, fully migrated database of every dialect
// under test.
func eachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) { fn(t, apptest.Open(t, d, apptest.Options{})) })
	}
}

// orderSpec describes an order to seed; zero fields take defaults.
type orderSpec struct {
	Status   order.Status
	Channel  string
	Method   string
	Province string
	PlacedAt time.Time
	// DeliveredAgo is how long before now the order was delivered (for
	// delivered, completed and after-sale orders); default one day.
	DeliveredAgo time.Duration
}

// seeded is an order made by seedOrder.
type seeded struct {
	ID platform.ID
	No string
}

// seedOrder writes an order in the given state, as checkout and the
// steps before would have left it: two lines, one payment, the time
// columns of the statuses it passed and a numbered order.
func seedOrder(t testing.TB, db *store.DB, s orderSpec) seeded {
	t.Helper()
	ctx := context.Background()
	if s.Status == "" {
		s.Status = order.Paid
	}
	if s.Channel == "" {
		s.Channel = "direct"
	}
	if s.Method == "" {
		s.Method = "online"
	}
	if s.Province == "" {
		s.Province = "330000"
	}
	if s.DeliveredAgo == 0 {
		s.DeliveredAgo = 24 * time.Hour
	}
	var out seeded
	err := db.Write(ctx, func(tx *store.Tx) error {
		placed := s.PlacedAt
		if placed.IsZero() {
			placed = tx.Now.Add(-20 * 24 * time.Hour)
		}
		placed = store.Time(placed)
		no, err := order.NewOrderNo(ctx, tx, placed)
		if err != nil {
			return err
		}
		out = seeded{ID: tx.NewID(), No: no}
		var paid, delivered, cancelled any
		if s.Status != order.PendingPayment && s.Status != order.Cancelled {
			paid = placed.Add(time.Minute)
		}
		switch s.Status {
		case order.Delivered, order.Completed, order.AfterSale:
			delivered = tx.Now.Add(-s.DeliveredAgo)
		case order.Cancelled:
			cancelled = placed.Add(time.Hour)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, channel, items_total, discount_total,
			shipping_fee, total, cost_total, item_count, province_code, province, city, placed_at, paid_at, delivered_at, cancelled_at, created_at, updated_at)
			VALUES ($1, $2, 7, $3, $4, 19800, 1000, 800, 19600, 9000, 3, $5, '浙江省', '杭州市', $6, $7, $8, $9, $6, $6)`,
			out.ID, no, s.Status, s.Channel, s.Province, placed, paid, delivered, cancelled); err != nil {
			return err
		}
		for i, q := range []int{1, 2} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO order_lines (id, order_id, product_id, sku_id, category_id, title, spec_text,
				quantity, unit_price, discount, line_total, unit_cost) VALUES ($1, $2, $3, $4, 1, $5, '默认', $6, 6600, 0, $7, 3000)`,
				tx.NewID(), out.ID, 100+i, 200+i, []string{"龙井茶", "青瓷杯"}[i], q, 6600*q); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO payments (id, order_id, method, provider, amount, status, created_at) VALUES ($1, $2, $3, 'alipay', 19600, 'captured', $4)`,
			tx.NewID(), out.ID, s.Method, placed)
		return err
	})
	if err != nil {
		t.Fatalf("seed order: %v", err)
	}
	return out
}

// statusOf reads an order's status.
func statusOf(t testing.TB, db *store.DB, id platform.ID) order.Status {
	t.Helper()
	var s order.Status
	if err := db.R.QueryRow(`SELECT status FROM orders WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// count runs a COUNT(*) query.
func count(t testing.TB, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

var staffActor = order.Staff(42, "测试员")

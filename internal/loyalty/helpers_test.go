package loyalty_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/loyalty"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// t0 is the tests' starting instant: 10 January 2026, noon in Shanghai.
var t0 = time.Date(2026, 1, 10, 4, 0, 0, 0, time.UTC)

// newCustomer inserts an active customer with a birthday ("" none).
func newCustomer(t testing.TB, db *store.DB, name, birthday string) platform.ID {
	t.Helper()
	var id platform.ID
	err := db.Write(context.Background(), func(tx *store.Tx) error {
		id = tx.NewID()
		_, err := tx.ExecContext(context.Background(), `INSERT INTO customers (id, email, name, password_hash, status, birthday, created_at, updated_at)
			VALUES ($1, $2, $3, 'x', 'active', $4, $5, $5)`, id, name+"@example.com", name, birthday, tx.Now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// newOrder inserts an order of customerID in status st with total fen,
// completed at completed when st is completed.
func newOrder(t testing.TB, db *store.DB, customerID platform.ID, st order.Status, total int64, completed time.Time) platform.ID {
	t.Helper()
	ctx := context.Background()
	var id platform.ID
	err := db.Write(ctx, func(tx *store.Tx) error {
		placed := store.Time(tx.Now.Add(-48 * time.Hour))
		no, err := order.NewOrderNo(ctx, tx, placed)
		if err != nil {
			return err
		}
		id = tx.NewID()
		var done any
		if st == order.Completed {
			done = store.Time(completed)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, refunded_total, item_count,
			placed_at, paid_at, delivered_at, completed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, 0, 1, $6, $6, $6, $7, $6, $6)`,
			id, no, customerID, st, total, placed, done)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// transition moves an order, as the system.
func transition(t testing.TB, db *store.DB, id platform.ID, to order.Status) {
	t.Helper()
	ctx := context.Background()
	if err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := order.Transition(ctx, tx, id, to, order.System, "test")
		return err
	}); err != nil {
		t.Fatalf("order %d → %s: %v", id, to, err)
	}
}

// checkLedger fails the test unless every balance equals its ledger and
// lots, and no entry ever left a balance below zero.
func checkLedger(t testing.TB, a *app.App) {
	t.Helper()
	bad, err := loyalty.CheckLedger(context.Background(), a.DB.R)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("customer %d: balance %d, ledger %d, lots %d", b.CustomerID, b.Balance, b.Ledger, b.Lots)
	}
	if n := count(t, a, `SELECT COUNT(*) FROM loyalty_entries WHERE balance_after < 0`); n != 0 {
		t.Errorf("%d entries left a negative balance", n)
	}
	if n := count(t, a, `SELECT COUNT(*) FROM loyalty_lots WHERE remaining < 0`); n != 0 {
		t.Errorf("%d lots below zero", n)
	}
}

func count(t testing.TB, a *app.App, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := a.DB.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func balance(t testing.TB, a *app.App, customerID platform.ID) int64 {
	t.Helper()
	return count(t, a, `SELECT COALESCE((SELECT balance FROM loyalty_accounts WHERE customer_id = $1), 0)`, customerID)
}

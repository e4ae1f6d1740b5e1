package main

import (
	"context"
	"maps"
	"testing"
	"time"

	"storeops/internal/inventory"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// checkAcked proves every acknowledged order survived the crash whole, and
// that its key still answers with it.
func checkAcked(t *testing.T, db *store.DB, c *shopClient, attempts []*attempt) {
	t.Helper()
	for _, a := range attempts {
		if a.Outcome != acked {
			continue
		}
		checkOrder(t, db, a)
		again := &attempt{Buyer: a.Buyer, Body: a.Body}
		c.place(again)
		if again.Outcome != acked || again.Placed.OrderID != a.Placed.OrderID {
			t.Errorf("buyer %s: retrying acknowledged order %s gave %v %d %s %s", a.Buyer.Key, a.Placed.OrderID,
				again.Outcome, again.Status, again.Code, again.Placed.OrderID)
		}
	}
}

// checkOrder proves a's order exists as the buyer was told: their order,
// the number they saw, their cart's lines, waiting for one pending payment.
func checkOrder(t *testing.T, db *store.DB, a *attempt) {
	t.Helper()
	ctx := context.Background()
	p := a.Placed
	var no, status string
	var cust platform.ID
	var total platform.Money
	err := db.R.QueryRowContext(ctx, `SELECT order_no, customer_id, status, total FROM orders WHERE id = $1`, p.OrderID).
		Scan(&no, &cust, &status, &total)
	if err != nil {
		t.Errorf("buyer %s: acknowledged order %s (%s): %v", a.Buyer.Key, p.OrderID, p.OrderNo, err)
		return
	}
	if no != p.OrderNo || cust != a.Buyer.Customer || status != "pending_payment" || total != p.Total {
		t.Errorf("buyer %s: order %s is %s/%s/%s/%d, was told %s/%s/pending_payment/%d", a.Buyer.Key, p.OrderID,
			no, cust, status, total, p.OrderNo, a.Buyer.Customer, p.Total)
	}
	lines := sumBySKU(t, db, `SELECT sku_id, SUM(quantity) FROM order_lines WHERE order_id = $1 GROUP BY sku_id`, p.OrderID)
	if !maps.Equal(lines, qtys(a.Buyer.Lines)) {
		t.Errorf("buyer %s: order %s lines %v, cart was %v", a.Buyer.Key, p.OrderID, lines, a.Buyer.Lines)
	}
	var n int
	var paid platform.Money
	var pstatus string
	if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(amount), 0), COALESCE(MIN(status), '') FROM payments WHERE order_id = $1`,
		p.OrderID).Scan(&n, &paid, &pstatus); err != nil {
		t.Fatal(err)
	}
	if n != 1 || paid != total || pstatus != "pending" {
		t.Errorf("buyer %s: order %s has %d payments of %d (%s), want one pending of %d", a.Buyer.Key, p.OrderID, n, paid, pstatus, total)
	}
}

// retryUnknown resends every request whose answer the crash swallowed,
// with its key and body. The answer must be the one order of that key or
// a clean refusal. Where the stored-response middleware guards the route,
// a claim the dead process left pending answers 409 idempotency_in_flight
// until idempotency.PendingTimeout; the test ages such claims (as those
// minutes would) and retries, so each request ends with a definite answer.
func retryUnknown(t *testing.T, db *store.DB, c *shopClient, attempts []*attempt) {
	t.Helper()
	ctx := context.Background()
	var inFlight, orders, refusals int
	for _, a := range attempts {
		if a.Outcome != unknown {
			continue
		}
		r := &attempt{Buyer: a.Buyer, Body: a.Body}
		c.place(r)
		if r.Outcome == refused && r.Code == string(platform.CodeIdempotencyInFlight) {
			inFlight++
			err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET locked_until = $1 WHERE state = 'pending' AND idem_key = $2`,
					tx.Now.Add(-time.Second), a.Buyer.Key)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			r = &attempt{Buyer: a.Buyer, Body: a.Body}
			c.place(r)
		}
		switch r.Outcome {
		case acked:
			orders++
			a.Outcome, a.Placed = acked, r.Placed
			checkOrder(t, db, a)
		case refused:
			refusals++
			a.Outcome, a.Code = refused, r.Code
			// Only running out of stock is a clean refusal here: an empty
			// cart, say, means an order took the lines without its key.
			if !soldOut(r.Code) {
				t.Errorf("buyer %s: retry after the crash refused with %d %s", a.Buyer.Key, r.Status, r.Code)
			}
		default:
			t.Errorf("buyer %s: retry after the crash: %v %d %v", a.Buyer.Key, r.Outcome, r.Status, r.Err)
		}
	}
	t.Logf("unknown outcomes retried: %d orders, %d refusals (%d claims left pending by the dead process)", orders, refusals, inFlight)
}

// checkOrdersAreKeyed proves there is exactly one order per buyer told
// 201 (first time or on retry), none for anyone else, each recorded
// against its key and announced on the outbox.
func checkOrdersAreKeyed(t *testing.T, db *store.DB, attempts []*attempt) {
	t.Helper()
	ctx := context.Background()
	want := map[platform.ID]*attempt{}
	for _, a := range attempts {
		if a.Outcome == acked {
			want[a.Placed.OrderID] = a
		}
	}
	rows, err := db.R.QueryContext(ctx, `SELECT o.id, o.customer_id, COALESCE(r.idem_key, ''),
			(SELECT COUNT(*) FROM outbox_events e WHERE e.topic = 'order.placed' AND e.key = CAST(o.id AS TEXT))
		FROM orders o LEFT JOIN checkout_requests r ON r.order_id = o.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[platform.ID]int{}
	perCustomer := map[platform.ID]int{}
	for rows.Next() {
		var id, cust platform.ID
		var key string
		var events int
		if err := rows.Scan(&id, &cust, &key, &events); err != nil {
			t.Fatal(err)
		}
		seen[id]++
		perCustomer[cust]++
		a, ok := want[id]
		switch {
		case !ok:
			t.Errorf("order %s of customer %s (key %q) was never acknowledged to anyone", id, cust, key)
		case key != a.Buyer.Key:
			t.Errorf("order %s is recorded under key %q, not %q", id, key, a.Buyer.Key)
		}
		if events != 1 {
			t.Errorf("order %s has %d order.placed events, want 1", id, events)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for cust, n := range perCustomer {
		if n > 1 {
			t.Errorf("customer %s has %d orders from one key", cust, n)
		}
	}
	for id, a := range want {
		if seen[id] != 1 {
			t.Errorf("buyer %s: acknowledged order %s appears %d times", a.Buyer.Key, id, seen[id])
		}
	}
}

// checkStock proves the ledger explains every unit on hand (nothing was
// sold, so on-hand is what was received), and that reserved stock is
// exactly the pending orders' held reservations, line by line.
func checkStock(t *testing.T, db *store.DB, shop *crashShop) {
	t.Helper()
	ctx := context.Background()
	if bad, err := inventory.CheckLedger(ctx, db.R); err != nil || len(bad) > 0 {
		t.Errorf("ledger and on-hand disagree: %v %v", bad, err)
	}
	rows, err := db.R.QueryContext(ctx, `SELECT l.sku_id, l.warehouse_id, l.on_hand, l.reserved,
			(SELECT COALESCE(SUM(r.qty), 0) FROM stock_reservations r WHERE r.sku_id = l.sku_id AND r.warehouse_id = l.warehouse_id AND r.status = 'held')
		FROM stock_levels l`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var sku, wh platform.ID
		var onHand, reserved, held int64
		if err := rows.Scan(&sku, &wh, &onHand, &reserved, &held); err != nil {
			t.Fatal(err)
		}
		if want := shop.Received[sku.String()+"@"+wh.String()]; onHand != want {
			t.Errorf("SKU %s in %s: %d on hand, %d received", sku, wh, onHand, want)
		}
		if reserved != held || reserved > onHand || reserved < 0 {
			t.Errorf("SKU %s in %s: %d reserved, %d held by reservations, %d on hand", sku, wh, reserved, held, onHand)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	holds := map[string]map[int64]int64{}
	hr, err := db.R.QueryContext(ctx, `SELECT ref_type, ref_id, sku_id, SUM(qty) FROM stock_reservations WHERE status = 'held' GROUP BY ref_type, ref_id, sku_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer hr.Close()
	for hr.Next() {
		var typ, ref string
		var sku, qty int64
		if err := hr.Scan(&typ, &ref, &sku, &qty); err != nil {
			t.Fatal(err)
		}
		if typ != "order" {
			t.Errorf("a %s:%s reservation in a shop where only orders reserve", typ, ref)
		}
		if holds[ref] == nil {
			holds[ref] = map[int64]int64{}
		}
		holds[ref][sku] += qty
	}
	if err := hr.Err(); err != nil {
		t.Fatal(err)
	}
	or, err := db.R.QueryContext(ctx, `SELECT id FROM orders WHERE status = 'pending_payment'`)
	if err != nil {
		t.Fatal(err)
	}
	var pending []platform.ID
	for or.Next() {
		var id platform.ID
		if err := or.Scan(&id); err != nil {
			t.Fatal(err)
		}
		pending = append(pending, id)
	}
	or.Close()
	for _, id := range pending {
		ref := inventory.OrderRef(id).ID
		lines := sumBySKU(t, db, `SELECT sku_id, SUM(quantity) FROM order_lines WHERE order_id = $1 GROUP BY sku_id`, id)
		if !maps.Equal(holds[ref], lines) {
			t.Errorf("order %s: holds %v, lines %v", id, holds[ref], lines)
		}
		delete(holds, ref)
	}
	for ref, h := range holds {
		t.Errorf("reservation order:%s holds %v without a pending order", ref, h)
	}
}

// checkCarts proves a buyer's cart lines went with their order, and a
// buyer without an order kept the cart they had.
func checkCarts(t *testing.T, db *store.DB, attempts []*attempt) {
	t.Helper()
	for _, a := range attempts {
		got := sumBySKU(t, db, `SELECT i.sku_id, SUM(i.quantity) FROM cart_items i JOIN carts c ON c.id = i.cart_id
			WHERE c.customer_id = $1 GROUP BY i.sku_id`, a.Buyer.Customer)
		want := qtys(a.Buyer.Lines)
		if a.Outcome == acked {
			want = map[int64]int64{}
		}
		if !maps.Equal(got, want) {
			t.Errorf("buyer %s (%v): cart %v, want %v", a.Buyer.Key, a.Outcome, got, want)
		}
	}
}

// checkJobsResume proves the restarted node works background jobs again:
// the job queue's leadership, still held by the killed process, lapses
// and the new leader runs the periodic jobs that run on start.
func checkJobsResume(t *testing.T, db *store.DB, afterID int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for storetest.Count(t, db, `SELECT COUNT(*) FROM river_job WHERE id > $1 AND state = 'completed'`, afterID) == 0 {
		if time.Now().After(deadline) {
			t.Errorf("no background job completed within a minute of the restart")
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// sumBySKU runs a query of (sku_id, quantity) rows into a map.
func sumBySKU(t *testing.T, db *store.DB, query string, args ...any) map[int64]int64 {
	t.Helper()
	rows, err := db.R.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var sku, qty int64
		if err := rows.Scan(&sku, &qty); err != nil {
			t.Fatal(err)
		}
		out[sku] += qty
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func qtys(lines map[platform.ID]int) map[int64]int64 {
	out := map[int64]int64{}
	for sku, q := range lines {
		out[int64(sku)] = int64(q)
	}
	return out
}

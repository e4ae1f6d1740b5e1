package promotion_test

import (
	"context"
	"fmt"
	"testing"

	"storeops/internal/audit"
	"storeops/internal/catalog"
	"storeops/internal/customer"
	"storeops/internal/inventory"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/promotion"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

var sets = []store.Migrations{outbox.Migrations(), audit.Migrations(), catalog.Migrations(), inventory.Migrations(), customer.Migrations(), promotion.Migrations()}

// each runs fn on every dialect under test with the tables promotions
// need.
func each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	storetest.Each(t, storetest.Config{Sets: sets}, fn)
}

var marketer = audit.Actor{Kind: audit.KindStaff, StaffID: 9, Name: "运营小李", Email: "li@test.local"}

// world is a small shop: the service, customers made on demand.
type world struct {
	t   testing.TB
	db  *store.DB
	svc *promotion.Service
	n   int
}

func newWorld(t testing.TB, db *store.DB) *world {
	return &world{t: t, db: db, svc: promotion.NewService(db)}
}

func (w *world) write(fn func(tx *store.Tx) error) {
	w.t.Helper()
	if err := w.db.Write(context.Background(), fn); err != nil {
		w.t.Fatal(err)
	}
}

// customer adds a customer and returns its id.
func (w *world) customer() platform.ID {
	w.t.Helper()
	w.n++
	var id platform.ID
	w.write(func(tx *store.Tx) error {
		id = tx.NewID()
		_, err := tx.Exec(`INSERT INTO customers (id, email, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, 'x', $4, $4)`,
			id, fmt.Sprintf("c%d@test.local", w.n), fmt.Sprintf("顾客%d", w.n), tx.Now)
		return err
	})
	return id
}

// activeBatch creates and activates a batch.
func (w *world) activeBatch(b pricing.Batch) promotion.BatchRecord {
	w.t.Helper()
	ctx := context.Background()
	if b.Name == "" {
		b.Name = "测试券"
	}
	if b.Kind == "" {
		b.Kind, b.Amount = pricing.CouponAmount, 500
	}
	rec, err := w.svc.CreateBatch(ctx, marketer, b)
	if err != nil {
		w.t.Fatal(err)
	}
	if rec, err = w.svc.SetBatchStatus(ctx, marketer, rec.ID, promotion.Active); err != nil {
		w.t.Fatal(err)
	}
	return rec
}

// publicCode publishes a code of the batch.
func (w *world) publicCode(batch platform.ID, code string) promotion.CodeRecord {
	w.t.Helper()
	c, err := w.svc.AddPublicCode(context.Background(), marketer, batch, promotion.PublicCode{Code: code})
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// redeem loads code for the customer and redeems it against a new order
// id, as checkout does, in one transaction.
func (w *world) redeem(code string, customerID platform.ID) (platform.ID, error) {
	var orderID platform.ID
	err := w.db.Write(context.Background(), func(tx *store.Tx) error {
		orderID = tx.NewID()
		cs, err := promotion.LoadCoupons(context.Background(), tx, []string{code}, customerID)
		if err != nil {
			return err
		}
		applied := make([]pricing.CouponResult, len(cs))
		for i, c := range cs {
			applied[i] = pricing.CouponResult{CouponID: c.ID, Code: c.Code, BatchID: c.Batch.ID, Applied: true, Amount: 500}
		}
		return promotion.Redeem(context.Background(), tx, orderID, customerID, applied)
	})
	return orderID, err
}

// release gives back an order's coupons.
func (w *world) release(orderID platform.ID) {
	w.t.Helper()
	w.write(func(tx *store.Tx) error { return promotion.ReleaseForOrder(context.Background(), tx, orderID) })
}

// balanced checks the invariants: each batch's used equals its live
// redemptions, each customer's uses likewise, and a single-use code is
// redeemed exactly while it has a live redemption.
func (w *world) balanced() {
	w.t.Helper()
	checks := map[string]string{
		"batch used":    `SELECT COUNT(*) FROM coupon_batches b WHERE used <> (SELECT COUNT(*) FROM coupon_redemptions r WHERE r.batch_id = b.id AND r.released_at IS NULL)`,
		"customer uses": `SELECT COUNT(*) FROM coupon_customer_uses u WHERE used <> (SELECT COUNT(*) FROM coupon_redemptions r WHERE r.batch_id = u.batch_id AND r.customer_id = u.customer_id AND r.released_at IS NULL)`,
		"code status": `SELECT COUNT(*) FROM coupon_codes c WHERE NOT c.public AND (c.status = 'redeemed') <>
			EXISTS (SELECT 1 FROM coupon_redemptions r WHERE r.code_id = c.id AND r.released_at IS NULL)`,
	}
	for name, q := range checks {
		if n := storetest.Count(w.t, w.db, q); n != 0 {
			w.t.Errorf("%s: %d rows out of balance", name, n)
		}
	}
}

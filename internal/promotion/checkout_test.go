package promotion_test

import (
	"context"
	"testing"

	"storeops/internal/catalog/catalogtest"
	"storeops/internal/checkout"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/promotion"
	"storeops/internal/store"
)

// The service is what checkout takes as its promotions.
var _ checkout.Promotions = (*promotion.Service)(nil)

// TestCheckoutFlow walks checkout's calls in one transaction: the active
// rules and the loaded coupons price a cart, and Redeem records what the
// engine applied, at the amount it applied.
func TestCheckoutFlow(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		f := catalogtest.New(t, db)
		cat := f.Category("服饰", "Apparel", 0)
		_, skus := f.Create(catalogtest.Product{Category: cat, Title: "卫衣", SKUs: []catalogtest.SKU{{Price: 15000, Stock: 9}}})
		r, err := w.svc.CreateRule(ctx, marketer, pricing.Rule{Name: "第二件半价", Kind: pricing.MultiBuy, EveryN: 2, Percent: 50,
			Scope: pricing.Scope{CategoryIDs: []platform.ID{cat}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetRuleStatus(ctx, marketer, r.ID, promotion.Active); err != nil {
			t.Fatal(err)
		}
		b := w.activeBatch(pricing.Batch{Name: "满200减20", Kind: pricing.CouponAmount, Amount: 2000, MinSpend: 20000, PerCustomer: 1})
		w.publicCode(b.ID, "MAN200")
		w.publicCode(b.ID, "MAN200B")
		c := w.customer()
		var orderID platform.ID
		var priced *pricing.PricedOrder
		err = db.Write(ctx, func(tx *store.Tx) error {
			orderID = tx.NewID()
			in := pricing.Input{At: tx.Now, Customer: pricing.Customer{ID: c},
				Lines: []pricing.Line{{SKUID: skus[0], CategoryPath: []platform.ID{cat}, UnitPrice: 15000, Quantity: 2}}}
			var err error
			if in.Rules, err = w.svc.ActiveRules(ctx, tx, tx.Now); err != nil {
				return err
			}
			if in.Coupons, err = w.svc.LoadCoupons(ctx, tx, []string{"man200"}, c); err != nil {
				return err
			}
			if priced, err = pricing.Price(in); err != nil {
				return err
			}
			return w.svc.Redeem(ctx, tx, orderID, c, priced.Coupons)
		})
		if err != nil {
			t.Fatal(err)
		}
		// 2 × ¥150 = ¥300, the second half price: ¥225, then ¥20 off.
		if priced.Totals.Payable != 20500 || len(priced.Coupons) != 1 || !priced.Coupons[0].Applied {
			t.Fatalf("priced %+v", priced.Totals)
		}
		var amount int64
		if err := db.R.QueryRow(`SELECT amount FROM coupon_redemptions WHERE order_id = $1`, orderID).Scan(&amount); err != nil || amount != 2000 {
			t.Errorf("redemption amount %d (%v), want 2000", amount, err)
		}
		// The limit is per batch: the customer's other code of it is
		// rejected by the engine on the next order.
		db.Read(ctx, func(tx *store.Tx) error {
			cs, err := w.svc.LoadCoupons(ctx, tx, []string{"MAN200B"}, c)
			if err != nil || cs[0].CustomerUses != 1 {
				t.Errorf("uses after the order: %+v %v", cs, err)
			}
			return nil
		})
		// Cancelling the unpaid order gives the coupon back.
		if err := db.Write(ctx, func(tx *store.Tx) error { return w.svc.ReleaseForOrder(ctx, tx, orderID) }); err != nil {
			t.Fatal(err)
		}
		w.balanced()
		if rec, _ := w.svc.Batch(ctx, b.ID); rec.Used != 0 {
			t.Errorf("used after cancel = %d", rec.Used)
		}
	})
}

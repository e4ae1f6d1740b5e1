package loyalty_test

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/loyalty"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Goroutines earn (orders completing), redeem (checkouts), restore
// (cancellations) and expire (the daily sweep, while the clock crosses the
// first grant's expiry) on a few customers at once. Afterwards every
// balance equals its ledger and its lots, no balance ever went negative,
// each order redeemed at most once, and what the redemptions reported
// taking is exactly what the ledger took.
func TestLedgerConservationUnderConcurrency(t *testing.T) {
	clock := platform.NewFixedClock(t0)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		clock.Set(t0)
		s := loyalty.NewService(a.DB, loyalty.Rules{})
		const customers, grant = 3, 3000
		var ids []platform.ID
		orders := map[platform.ID][]platform.ID{}
		for i := range customers {
			c := newCustomer(t, a.DB, "c"+string(rune('a'+i)), "")
			ids = append(ids, c)
			if _, err := s.Adjust(ctx, audit.System, c, loyalty.AdjustInput{Points: grant, Reason: "开业赠送"}); err != nil {
				t.Fatal(err)
			}
		}
		// An hour before the grants expire: earns from now on last a year.
		clock.Set(t0.AddDate(1, 0, 0).Add(-time.Hour))
		for _, c := range ids {
			for range 12 {
				orders[c] = append(orders[c], newOrder(t, a.DB, c, order.Delivered, 10_000+int64(rand.IntN(20_000)), time.Time{}))
			}
		}

		var (
			taken atomic.Int64 // what successful redemptions took
			ops   atomic.Int64
			wg    sync.WaitGroup
		)
		// Each customer's checkouts: ids shared by the workers, so some
		// race to redeem for the same order.
		redeemOrders := map[platform.ID][]platform.ID{}
		for k, c := range ids {
			for i := range 15 {
				redeemOrders[c] = append(redeemOrders[c], platform.ID(9_000_000+100*k+i))
			}
		}
		const workers, perWorker = 6, 30
		for w := range workers {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), 7))
				for i := range perWorker {
					if ops.Add(1) == workers*perWorker/2 {
						clock.Set(t0.AddDate(1, 0, 0).Add(time.Hour)) // the first grants are now due
					}
					c := ids[r.IntN(len(ids))]
					switch r.IntN(4) {
					case 0: // an order completes: earn
						o := orders[c][(w*perWorker+i)%len(orders[c])]
						err := a.DB.Write(ctx, func(tx *store.Tx) error {
							var st string
							if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = $1`, o).Scan(&st); err != nil {
								return err
							}
							if order.Status(st) != order.Delivered {
								return nil
							}
							_, err := order.Transition(ctx, tx, o, order.Completed, order.System, "确认收货")
							return err
						})
						// Two workers may complete one order at once: the
						// loser is told the order changed or is already
						// completed (409).
						if code := platform.ErrorCode(err); err != nil && code != order.CodeStatusChanged && code != order.CodeIllegalTransition {
							t.Errorf("complete: %v", err)
						}
					case 1, 2: // a checkout redeems; orders are shared, so some race for the same one
						o := redeemOrders[c][r.IntN(len(redeemOrders[c]))]
						pts := int64(100 * (1 + r.IntN(15)))
						var got int64
						err := a.DB.Write(ctx, func(tx *store.Tx) error {
							var err error
							got, err = loyalty.RedeemForOrder(ctx, tx, o, c, pts)
							return err
						})
						switch {
						case err == nil:
							taken.Add(got)
						case platform.ErrorCode(err) != loyalty.CodeNotEnoughPoints:
							t.Errorf("redeem: %v", err)
						}
					case 3:
						if r.IntN(3) == 0 {
							if _, err := loyalty.ExpireDue(ctx, a.DB, a.DB.Now()); err != nil {
								t.Errorf("expire: %v", err)
							}
							continue
						}
						o := redeemOrders[c][r.IntN(len(redeemOrders[c]))]
						if err := a.DB.Write(ctx, func(tx *store.Tx) error {
							_, err := loyalty.RestoreForOrder(ctx, tx, o)
							return err
						}); err != nil {
							t.Errorf("restore: %v", err)
						}
					}
				}
			}(w)
		}
		wg.Wait()
		if _, err := loyalty.ExpireDue(ctx, a.DB, a.DB.Now()); err != nil {
			t.Fatal(err)
		}
		checkLedger(t, a)
		if got := count(t, a, `SELECT COALESCE(SUM(-points), 0) FROM loyalty_entries WHERE kind = 'redeem'`); got != taken.Load() {
			t.Errorf("the ledger took %d points for redemptions, the redemptions took %d", got, taken.Load())
		}
		// Each order redeemed and restored at most once.
		if n := count(t, a, `SELECT COUNT(*) FROM (SELECT order_id FROM loyalty_entries WHERE kind IN ('redeem', 'restore')
			GROUP BY order_id, kind HAVING COUNT(*) > 1) d`); n != 0 {
			t.Errorf("%d orders redeemed or restored twice", n)
		}
		// A restore gives back exactly what its redemption took.
		if n := count(t, a, `SELECT COUNT(*) FROM loyalty_entries s JOIN loyalty_entries d ON d.order_id = s.order_id AND d.kind = 'redeem'
			WHERE s.kind = 'restore' AND s.points <> -d.points`); n != 0 {
			t.Errorf("%d restores differ from their redemption", n)
		}
		// Nothing due is left unexpired, and the first grants' remainders
		// expired (the sweep ran after the clock passed them).
		if n := count(t, a, `SELECT COUNT(*) FROM loyalty_lots WHERE remaining > 0 AND expires_at <= $1`, store.Time(a.DB.Now())); n != 0 {
			t.Errorf("%d due lots still hold points", n)
		}
		if n := count(t, a, `SELECT COUNT(*) FROM loyalty_entries WHERE kind = 'earn'`); n == 0 {
			t.Error("no order earned points")
		}
		if n := count(t, a, `SELECT COUNT(*) FROM loyalty_entries WHERE kind = 'redeem'`); n == 0 {
			t.Error("no redemption succeeded")
		}
		// Every debit's lot uses add up to the debit.
		if n := count(t, a, `SELECT COUNT(*) FROM loyalty_entries e WHERE e.points < 0
			AND -e.points <> COALESCE((SELECT SUM(u.points) FROM loyalty_lot_uses u WHERE u.debit_id = e.id), 0)`); n != 0 {
			t.Errorf("%d debits whose lot uses differ from their points", n)
		}
	})
}

// Points are spent and expire first in, first out: a redemption takes the
// oldest lot first, so when it expires only its unspent rest goes.
func TestExpiryFirstInFirstOut(t *testing.T) {
	clock := platform.NewFixedClock(t0)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		clock.Set(t0)
		s := loyalty.NewService(a.DB, loyalty.Rules{})
		c := newCustomer(t, a.DB, "fifo", "")
		adjust := func(p int64) {
			t.Helper()
			if _, err := s.Adjust(ctx, audit.System, c, loyalty.AdjustInput{Points: p, Reason: "测试"}); err != nil {
				t.Fatal(err)
			}
		}
		redeem := func(o platform.ID, p int64) error {
			return a.DB.Write(ctx, func(tx *store.Tx) error { _, err := loyalty.RedeemForOrder(ctx, tx, o, c, p); return err })
		}
		adjust(1000)
		clock.Set(t0.AddDate(0, 6, 0))
		adjust(1000)
		clock.Set(t0.AddDate(0, 7, 0))
		if err := redeem(1, 1500); err != nil {
			t.Fatal(err)
		}
		if err := redeem(2, 600); platform.ErrorCode(err) != loyalty.CodeNotEnoughPoints {
			t.Fatalf("redeeming 600 of 500: %v", err)
		}
		clock.Set(t0.AddDate(1, 0, 1))
		if n, err := loyalty.ExpireDue(ctx, a.DB, a.DB.Now()); err != nil || n != 0 {
			t.Fatalf("the first lot was spent: expired %d, %v", n, err)
		}
		// The cancelled order gives its 1,500 back to the lots they came
		// from: 1,000 to the first (already past its expiry), 500 to the second.
		if err := a.DB.Write(ctx, func(tx *store.Tx) error { _, err := loyalty.RestoreForOrder(ctx, tx, 1); return err }); err != nil {
			t.Fatal(err)
		}
		if n, err := loyalty.ExpireDue(ctx, a.DB, a.DB.Now()); err != nil || n != 1000 {
			t.Fatalf("after the restore the first lot's 1000 expire: %d, %v", n, err)
		}
		if got := balance(t, a, c); got != 1000 {
			t.Fatalf("balance %d, want 1000", got)
		}
		// A fortnight before the second lot expires, the account warns.
		clock.Set(t0.AddDate(1, 5, 15))
		acct, err := s.Account(ctx, c)
		if err != nil || acct.Balance != 1000 || acct.Expiring != 1000 || acct.ExpiringAt == nil ||
			!acct.ExpiringAt.Equal(store.Time(t0.AddDate(1, 6, 0))) {
			t.Fatalf("account before expiry: %+v %v", acct, err)
		}
		clock.Set(t0.AddDate(1, 6, 1))
		// A redemption expires the due lot first, so the 1,000 still on
		// the books cannot be spent.
		if err := redeem(3, 100); platform.ErrorCode(err) != loyalty.CodeNotEnoughPoints {
			t.Fatalf("redeeming after everything expired: %v", err)
		}
		if n, err := loyalty.ExpireDue(ctx, a.DB, a.DB.Now()); err != nil || n != 1000 {
			t.Fatalf("the second lot's 1000 expire: %d, %v", n, err)
		}
		if got := balance(t, a, c); got != 0 {
			t.Fatalf("balance %d after expiry, want 0", got)
		}
		checkLedger(t, a)
		if n := count(t, a, `SELECT COALESCE(SUM(-points), 0) FROM loyalty_entries WHERE customer_id = $1 AND kind = 'expire'`, c); n != 2000 {
			t.Errorf("expired %d in all, want 2000", n)
		}
	})
}

package loyalty_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/loyalty"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

func tierOf(t testing.TB, a *app.App, c platform.ID) string {
	t.Helper()
	var code string
	if err := a.DB.R.QueryRow(`SELECT tier_code FROM loyalty_accounts WHERE customer_id = $1`, c).Scan(&code); err != nil {
		return ""
	}
	return code
}

// Tiers follow the rolling 12-month spend at the boundaries: exactly the
// threshold reaches a tier, a fen less does not; spend falling out of the
// window or refunded moves the customer down; every change is in the
// history, a tier-up reward is granted once, and a second run on the
// same day changes nothing.
func TestTierChanges(t *testing.T) {
	clock := platform.NewFixedClock(t0)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		clock.Set(t0)
		s := loyalty.NewService(a.DB, loyalty.Rules{})
		exact := newCustomer(t, a.DB, "exact", "")
		below := newCustomer(t, a.DB, "below", "")
		gold := newCustomer(t, a.DB, "gold", "")
		// Silver is ¥1,000 (100000 fen), gold ¥5,000, in the seeded tiers.
		newOrder(t, a.DB, exact, order.Completed, 60_000, t0.AddDate(0, -11, 0))
		newOrder(t, a.DB, exact, order.Completed, 40_000, t0.Add(-time.Hour))
		newOrder(t, a.DB, below, order.Completed, 99_999, t0.Add(-time.Hour))
		newOrder(t, a.DB, below, order.Completed, 50_000, t0.AddDate(-1, 0, -1)) // outside the window
		goldOrder := newOrder(t, a.DB, gold, order.Completed, 500_000, t0.AddDate(0, -1, 0))

		res, err := loyalty.EvaluateTiers(ctx, a.DB, a.DB.Now())
		if err != nil {
			t.Fatal(err)
		}
		if res.Up != 2 || res.Down != 0 {
			t.Errorf("first run: %+v, want 2 up", res)
		}
		for c, want := range map[platform.ID]string{exact: "silver", below: "", gold: "gold"} {
			if got := tierOf(t, a, c); got != want {
				t.Errorf("customer %d: tier %q, want %q", c, got, want)
			}
		}
		if got := balance(t, a, gold); got != 500 {
			t.Errorf("gold's tier-up reward: balance %d, want 500", got)
		}
		if got := balance(t, a, exact); got != 200 {
			t.Errorf("silver's tier-up reward: balance %d, want 200", got)
		}
		// Again on the same data: nothing.
		if res, err := loyalty.EvaluateTiers(ctx, a.DB, a.DB.Now()); err != nil || res != (loyalty.TierResult{}) {
			t.Errorf("second run: %+v %v", res, err)
		}

		// A refund takes gold below its threshold; eleven months on, the
		// exact customer's older order has left the window.
		if _, err := a.DB.W.Exec(`UPDATE orders SET refunded_total = 1 WHERE id = $1`, goldOrder); err != nil {
			t.Fatal(err)
		}
		clock.Set(t0.AddDate(0, 1, 0))
		res, err = loyalty.EvaluateTiers(ctx, a.DB, a.DB.Now())
		if err != nil {
			t.Fatal(err)
		}
		if res.Up != 0 || res.Down != 2 {
			t.Errorf("after the refund and a month: %+v, want 2 down", res)
		}
		if got := tierOf(t, a, gold); got != "silver" {
			t.Errorf("gold after the refund: %q, want silver", got)
		}
		if got := tierOf(t, a, exact); got != "regular" {
			t.Errorf("exact a month on: %q, want regular", got)
		}
		hist, err := loyalty.History(ctx, a.DB.R, gold)
		if err != nil || len(hist) != 2 || hist[0].From != "gold" || hist[0].To != "silver" || hist[1].From != "regular" || hist[1].To != "gold" ||
			hist[0].Spend != 499_999 {
			t.Errorf("gold's history: %+v %v", hist, err)
		}
		// Moving down and back up does not pay the reward twice the same day.
		if _, err := a.DB.W.Exec(`UPDATE orders SET refunded_total = 0 WHERE id = $1`, goldOrder); err != nil {
			t.Fatal(err)
		}
		if _, err := loyalty.EvaluateTiers(ctx, a.DB, a.DB.Now()); err != nil {
			t.Fatal(err)
		}
		if got := count(t, a, `SELECT COUNT(*) FROM loyalty_entries WHERE customer_id = $1 AND kind = 'tier_up' AND points = 500`, gold); got != 2 {
			t.Errorf("gold's rewards: %d, want 2 (two days)", got)
		}
		checkLedger(t, a)

		// The daily job does its parts once per shop day.
		if err := s.Daily(ctx, a.DB.Now()); err != nil {
			t.Fatal(err)
		}
		n := count(t, a, `SELECT COUNT(*) FROM loyalty_tier_history`)
		if _, err := a.DB.W.Exec(`UPDATE orders SET refunded_total = 400001 WHERE id = $1`, goldOrder); err != nil {
			t.Fatal(err)
		}
		if err := s.Daily(ctx, a.DB.Now()); err != nil {
			t.Fatal(err)
		}
		if got := count(t, a, `SELECT COUNT(*) FROM loyalty_tier_history`); got != n {
			t.Errorf("the daily job ran twice on one day: %d history rows, then %d", n, got)
		}
		clock.Set(a.DB.Now().Add(24 * time.Hour))
		if err := s.Daily(ctx, a.DB.Now()); err != nil {
			t.Fatal(err)
		}
		if got := tierOf(t, a, gold); got != "regular" {
			t.Errorf("gold the next day: %q, want regular", got)
		}
	})
}

// An order earns on completion at the tier's multiplier, once; a refund
// takes back its share; a cancelled order gives back the points it was
// paid with; birthdays pay the tier's gift once a year.
func TestEarnReverseRestoreBirthday(t *testing.T) {
	clock := platform.NewFixedClock(t0)
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		clock.Set(t0)
		// Born on the 10th of January: today in Shanghai.
		c := newCustomer(t, a.DB, "earner", "1990-01-10")
		o := newOrder(t, a.DB, c, order.Delivered, 123_456, time.Time{})
		transition(t, a.DB, o, order.Completed)
		if got := balance(t, a, c); got != 1234 {
			t.Fatalf("earned %d on ¥1234.56, want 1234", got)
		}
		// Completing again after an after-sale case earns nothing more.
		transition(t, a.DB, o, order.AfterSale)
		transition(t, a.DB, o, order.Completed)
		if got := balance(t, a, c); got != 1234 {
			t.Fatalf("earned twice: %d", got)
		}
		// A quarter refunded: a quarter of the points go back (rounded to
		// the customer's favour), once per refund.
		if _, err := a.DB.W.Exec(`UPDATE orders SET refunded_total = 30864 WHERE id = $1`, o); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := a.DB.Write(ctx, func(tx *store.Tx) error { _, err := loyalty.ReverseForRefund(ctx, tx, o, 77); return err }); err != nil {
				t.Fatal(err)
			}
		}
		if got := balance(t, a, c); got != 1234-308 {
			t.Fatalf("after a quarter refunded: %d, want %d", got, 1234-308)
		}
		// A gold customer earns 1.5×.
		if _, err := a.DB.W.Exec(`UPDATE loyalty_accounts SET tier_code = 'gold' WHERE customer_id = $1`, c); err != nil {
			t.Fatal(err)
		}
		o2 := newOrder(t, a.DB, c, order.Delivered, 10_000, time.Time{})
		transition(t, a.DB, o2, order.Completed)
		if got := balance(t, a, c); got != 926+150 {
			t.Fatalf("gold earn: balance %d, want %d", got, 926+150)
		}
		// Paid with points, then cancelled: the points come back.
		o3 := newOrder(t, a.DB, c, order.Paid, 10_000, time.Time{})
		if err := a.DB.Write(ctx, func(tx *store.Tx) error { _, err := loyalty.RedeemForOrder(ctx, tx, o3, c, 1000); return err }); err != nil {
			t.Fatal(err)
		}
		transition(t, a.DB, o3, order.Cancelled)
		if got := balance(t, a, c); got != 1076 {
			t.Fatalf("after the cancelled order: %d, want 1076", got)
		}
		// Gold's birthday gift, once this year.
		for range 2 {
			if _, err := loyalty.BirthdayRewards(ctx, a.DB, a.DB.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if got := balance(t, a, c); got != 1076+800 {
			t.Fatalf("after the birthday: %d, want %d", got, 1076+800)
		}
		checkLedger(t, a)
	})
}

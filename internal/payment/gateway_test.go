package payment

import (
	"context"
	"testing"
	"time"

	"storeops/internal/payment/sandbox"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// delivered counts the gateway's notifications of kind that the shop has
// acknowledged, and returns their attempts so far.
func delivered(t *testing.T, g *gateway, kind string) (n int, attempts int) {
	t.Helper()
	err := g.db.R.QueryRow(`SELECT COUNT(delivered_at), COALESCE(SUM(attempts), 0) FROM sandbox_notifications WHERE kind = $1`, kind).Scan(&n, &attempts)
	if err != nil {
		t.Fatal(err)
	}
	return n, attempts
}

// The whole online flow over real HTTP: start, hosted pay page, signed
// asynchronous notification, capture with the order's paid step; then a
// partial refund whose result comes back asynchronously.
func TestSandboxPayAndRefund(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		g := newGateway(t, db.Dialect, sandbox.Chaos{})
		s := newShop(t, db, g.url)
		o := mustOrder(t, db, "pending_payment", []int64{6000, 4000}, 0)
		st, err := s.svc.Start(ctx, StartInput{OrderID: o.ID, Provider: "sandbox", NotifyURL: s.notify, ReturnURL: s.url + "/account/orders"})
		if err != nil {
			t.Fatal(err)
		}
		// Pressing "pay" twice in the shop opens one trade.
		again, err := s.svc.Start(ctx, StartInput{OrderID: o.ID, Provider: "sandbox", NotifyURL: s.notify})
		if err != nil || again.Payment.ID != st.Payment.ID || again.RedirectURL != st.RedirectURL {
			t.Fatalf("second start: %+v %v", again, err)
		}
		if n := count(t, g.db, `SELECT COUNT(*) FROM sandbox_trades`); n != 1 {
			t.Fatalf("%d trades, want 1", n)
		}
		press(t, st.RedirectURL, "pay")
		waitFor(t, "capture", func() bool { return paymentStatus(t, db, st.Payment.ID) == Captured })
		if orderStatus(t, db, o.ID) != "paid" {
			t.Fatalf("order %s", orderStatus(t, db, o.ID))
		}
		ref, err := s.svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "half", Amount: 5000})
		if err != nil {
			t.Fatal(err)
		}
		if ref.Status != RefundApproved {
			t.Fatalf("online refund completed synchronously: %s", ref.Status)
		}
		waitFor(t, "refund", func() bool { r, _ := s.svc.GetRefund(ctx, ref.ID); return r.Status == RefundRefunded })
		lines, total := lineRefunds(t, db, o)
		if total != 5000 || lines[0] != 3000 || lines[1] != 2000 {
			t.Fatalf("refunded %d over %v", total, lines)
		}
		// The gateway refuses a refund past the trade too.
		_, err = s.svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "more", Amount: 5001})
		wantCode(t, err, CodeRefundExceeds)
	})
}

// The shop is down when the shopper pays: the gateway retries on its job
// queue until the shop answers, and the payment is captured once.
func TestNotificationsRetryUntilShopIsUp(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		g := newGateway(t, db.Dialect, sandbox.Chaos{})
		s := newShop(t, db, g.url)
		o := mustOrder(t, db, "pending_payment", []int64{2500}, 0)
		st, err := s.svc.Start(ctx, StartInput{OrderID: o.ID, Provider: "sandbox", NotifyURL: s.notify})
		if err != nil {
			t.Fatal(err)
		}
		s.down.Store(true)
		press(t, st.RedirectURL, "pay")
		waitFor(t, "two failed deliveries", func() bool { _, a := delivered(t, g, sandbox.KindPaid); return a >= 2 })
		if paymentStatus(t, db, st.Payment.ID) != Pending {
			t.Fatal("captured while the shop was down")
		}
		s.down.Store(false)
		waitFor(t, "capture", func() bool { return paymentStatus(t, db, st.Payment.ID) == Captured })
		waitFor(t, "acknowledgement", func() bool { n, _ := delivered(t, g, sandbox.KindPaid); return n == 1 })
		if n := count(t, db, `SELECT COUNT(*) FROM order_transitions WHERE order_id = $1`, o.ID); n != 1 {
			t.Errorf("%d transitions, want 1", n)
		}
	})
}

// A gateway that sends every notification twice, and holds the capture's
// back so that the refund's arrives first (the shopper came back and the
// shop asked the gateway before the notification): the shop captures
// once, refunds once, and acknowledges everything.
func TestDuplicatedAndReorderedNotifications(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		g := newGateway(t, db.Dialect, sandbox.Chaos{Duplicate: 1, Hold: map[string]time.Duration{sandbox.KindPaid: 3 * time.Second}})
		s := newShop(t, db, g.url)
		o := mustOrder(t, db, "pending_payment", []int64{8000}, 1000)
		st, err := s.svc.Start(ctx, StartInput{OrderID: o.ID, Provider: "sandbox", NotifyURL: s.notify})
		if err != nil {
			t.Fatal(err)
		}
		press(t, st.RedirectURL, "pay")
		p, err := s.svc.Sync(ctx, st.Payment.ID)
		if err != nil || p.Status != Captured {
			t.Fatalf("sync: %+v %v", p, err)
		}
		if n, _ := delivered(t, g, sandbox.KindPaid); n != 0 {
			t.Fatal("the capture notification was not held back")
		}
		ref, err := s.svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "all", Amount: 9000})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, "refund", func() bool { r, _ := s.svc.GetRefund(ctx, ref.ID); return r.Status == RefundRefunded })
		waitFor(t, "the held capture notification", func() bool { n, _ := delivered(t, g, sandbox.KindPaid); return n == 1 })
		waitFor(t, "both copies", func() bool {
			return count(t, g.db, `SELECT COUNT(*) FROM sandbox_notifications WHERE delivered_at IS NULL`) == 0
		})
		if p := paymentStatus(t, db, st.Payment.ID); p != Captured {
			t.Fatalf("payment %s after the late capture", p)
		}
		_, total := lineRefunds(t, db, o)
		if total != 9000 {
			t.Errorf("refunded %d, want 9000", total)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox_events WHERE topic = 'payment.captured'`); n != 1 {
			t.Errorf("%d captures, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox_events WHERE topic = 'payment.refunded'`); n != 1 {
			t.Errorf("%d refunds, want 1", n)
		}
		var outcome string
		if err := db.R.QueryRow(`SELECT outcome FROM payment_notifications WHERE kind = 'captured' AND notify_id NOT LIKE 'query:%'`).Scan(&outcome); err != nil || outcome != outcomeUnchanged {
			t.Errorf("late capture outcome %q (%v)", outcome, err)
		}
	})
}

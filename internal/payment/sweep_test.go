package payment

import (
	"context"
	"testing"
	"time"

	"storeops/internal/payment/sandbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// A refund recorded while the gateway was unreachable is not lost: the
// sweep sends it again; a payment whose notification never got through
// is captured by the sweep's query.
func TestSweepResendsAndSyncs(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		g := newGateway(t, db.Dialect, sandbox.Chaos{})
		s := newShop(t, db, g.url)
		prov, err := s.svc.Provider("sandbox")
		if err != nil {
			t.Fatal(err)
		}
		sp := prov.(*SandboxProvider)

		// The shop is down when the shopper pays; the sweep asks.
		o := mustOrder(t, db, "pending_payment", []int64{4000}, 0)
		st, err := s.svc.Start(ctx, StartInput{OrderID: o.ID, Provider: "sandbox", NotifyURL: s.notify})
		if err != nil {
			t.Fatal(err)
		}
		s.down.Store(true)
		press(t, st.RedirectURL, "pay")
		backdate(t, db, "payments", st.Payment.ID)
		if err := s.svc.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if got := paymentStatus(t, db, st.Payment.ID); got != Captured {
			t.Fatalf("after the sweep: %s", got)
		}
		s.down.Store(false)

		// The gateway is unreachable when staff refund.
		good := sp.GatewayURL
		sp.GatewayURL = "http://127.0.0.1:1/sandbox-pay"
		r, err := s.svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "late", Amount: 1500})
		wantCode(t, err, CodeProviderUnavailable)
		if r.ID == 0 || r.Status != RefundApproved {
			t.Fatalf("refund not recorded: %+v", r)
		}
		sp.GatewayURL = good
		backdate(t, db, "refunds", r.ID)
		if err := s.svc.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the resent refund", func() bool { got, _ := s.svc.GetRefund(ctx, r.ID); return got.Status == RefundRefunded })
		if n := count(t, g.db, `SELECT COUNT(*) FROM sandbox_refunds`); n != 1 {
			t.Errorf("%d gateway refunds, want 1", n)
		}
	})
}

// backdate moves a row's creation eleven minutes back, past the sweep's
// grace periods.
func backdate(t *testing.T, db *store.DB, table string, id platform.ID) {
	t.Helper()
	if err := db.Write(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), `UPDATE `+table+` SET created_at = $1 WHERE id = $2`, tx.Now.Add(-11*time.Minute), id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

package payment

import (
	"context"
	"testing"

	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// With the order domain's state machine: a capture is the order's paid
// transition, cancelling an unpaid order closes its payment, cancelling a
// paid one refunds it in full, and the order's refund action refunds.
func TestOrderMachineWiring(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := New(Config{DB: db, Orders: OrderMachine{}})
		svc.wireOrders()
		cancel := func(id platform.ID) {
			t.Helper()
			err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := order.Transition(ctx, tx, id, order.Cancelled, order.Staff(7, "客服小王"), "买家申请取消")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}

		paid := mustOrder(t, db, "pending_payment", []int64{6000, 3000}, 1000)
		p := mustPayment(t, db, paid, BankTransfer, "bank_transfer")
		if _, err := svc.Confirm(ctx, staffActor, p.ID, Confirmation{Amount: p.Amount, Reference: "B-1"}); err != nil {
			t.Fatal(err)
		}
		if got := orderStatus(t, db, paid.ID); got != "paid" {
			t.Fatalf("order %s after the capture", got)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM order_transitions WHERE order_id = $1 AND to_status = 'paid'`, paid.ID); n != 1 {
			t.Fatalf("%d paid transitions", n)
		}
		// The order's own refund action goes through payments.
		if err := order.NewService(db).Refund(ctx, order.RefundRequest{OrderID: paid.ID, Amount: 500, Reason: "差价", By: staffActor}); err != nil {
			t.Fatal(err)
		}
		cancel(paid.ID)
		lines, total := lineRefunds(t, db, paid)
		if total != int64(paid.Total) || lines[0] != 6000 || lines[1] != 3000 {
			t.Fatalf("after cancel: refunded %d over %v of %d", total, lines, paid.Total)
		}

		unpaid := mustOrder(t, db, "pending_payment", []int64{2000}, 0)
		up := mustPayment(t, db, unpaid, Online, "sandbox")
		cancel(unpaid.ID)
		if got := paymentStatus(t, db, up.ID); got != Cancelled {
			t.Fatalf("payment of a cancelled order: %s", got)
		}
	})
}

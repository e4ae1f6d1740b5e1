package payment

import (
	"context"
	"math/rand/v2"
	"testing"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// paidOffline makes an order paid by bank transfer (refunds complete at
// once), confirmed by staff.
func paidOffline(t *testing.T, db *store.DB, svc *Service, lines []int64, shipping int64) testOrder {
	t.Helper()
	o := mustOrder(t, db, "pending_payment", lines, shipping)
	p := mustPayment(t, db, o, BankTransfer, "bank_transfer")
	if _, err := svc.Confirm(context.Background(), staffActor, p.ID, Confirmation{Amount: p.Amount, Reference: "REF" + p.ID.String()}); err != nil {
		t.Fatal(err)
	}
	return o
}

// lineRefunds reads each line's refunded amount and the order's total.
func lineRefunds(t *testing.T, db *store.DB, o testOrder) ([]int64, int64) {
	t.Helper()
	var out []int64
	for _, id := range o.Lines {
		var v int64
		if err := db.R.QueryRow(`SELECT refunded FROM order_lines WHERE id = $1`, id).Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	var total int64
	if err := db.R.QueryRow(`SELECT refunded_total FROM orders WHERE id = $1`, o.ID).Scan(&total); err != nil {
		t.Fatal(err)
	}
	return out, total
}

func TestPartialRefundsAllocateExactly(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := New(Config{DB: db})
		o := paidOffline(t, db, svc, []int64{3333, 3333, 3334}, 800) // total 10800

		r1, err := svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "r1", Amount: 1000, Reason: "价格调整"})
		if err != nil {
			t.Fatal(err)
		}
		if r1.Status != RefundRefunded || len(r1.Lines) != 3 {
			t.Fatalf("refund 1: %+v", r1)
		}
		want := []platform.Money{333, 333, 334}
		for i, l := range r1.Lines {
			if l.OrderLineID != o.Lines[i] || l.Amount != want[i] {
				t.Errorf("line %d: %+v, want %d", i, l, want[i])
			}
		}
		// The same key again: the same refund, no second one.
		again, err := svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "r1", Amount: 1000})
		if err != nil || again.ID != r1.ID {
			t.Fatalf("retry: %+v %v", again, err)
		}
		_, err = svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "r1", Amount: 999})
		wantCode(t, err, CodeRefundKeyReused)

		// One line only.
		r2, err := svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "r2", Amount: 3000, LineIDs: []platform.ID{o.Lines[2]}})
		if err != nil {
			t.Fatal(err)
		}
		if len(r2.Lines) != 1 || r2.Lines[0].Amount != 3000 || r2.Shipping != 0 {
			t.Fatalf("one line: %+v", r2)
		}
		_, err = svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "r3", Amount: 1, LineIDs: []platform.ID{o.Lines[2]}})
		wantCode(t, err, CodeRefundExceeds)

		// The rest, shipping included, and not one fen more.
		_, err = svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "r4", Amount: 6801})
		wantCode(t, err, CodeRefundExceeds)
		r4, err := svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "r4", Amount: 6800})
		if err != nil {
			t.Fatal(err)
		}
		if r4.Shipping != 800 {
			t.Errorf("shipping %d, want 800", r4.Shipping)
		}
		lines, total := lineRefunds(t, db, o)
		for i, v := range lines {
			if want := []int64{3333, 3333, 3334}[i]; v != want {
				t.Errorf("line %d refunded %d, want %d", i, v, want)
			}
		}
		if total != 10800 {
			t.Errorf("order refunded %d, want 10800", total)
		}
		_, err = svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "r5", Amount: 1})
		wantCode(t, err, CodeRefundExceeds)
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'payment.refund'`); n != 3 {
			t.Errorf("%d refund audit entries, want 3", n)
		}
	})
}

// Random partial refunds: the lines always add up to the refunds, no line
// is refunded past its total, and the refunds never pass the capture.
func TestRandomRefundsAlwaysAddUp(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := New(Config{DB: db})
		r := rand.New(rand.NewPCG(7, 11))
		for round := range 5 {
			n := 1 + r.IntN(5)
			totals := make([]int64, n)
			for i := range totals {
				totals[i] = 1 + r.Int64N(20000)
			}
			ship := r.Int64N(2) * 1000
			o := paidOffline(t, db, svc, totals, ship)
			var refunded int64
			for k := 0; ; k++ {
				amount := 1 + r.Int64N(int64(o.Total)/2+1)
				_, err := svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: string(rune('a'+round)) + string(rune('a'+k)), Amount: platform.Money(amount)})
				if platform.ErrorCode(err) == CodeRefundExceeds {
					if refunded+amount <= int64(o.Total) {
						t.Fatalf("refused %d with %d of %d refunded", amount, refunded, o.Total)
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				refunded += amount
			}
			lines, total := lineRefunds(t, db, o)
			var sum int64
			for i, v := range lines {
				if v < 0 || v > totals[i] {
					t.Fatalf("line %d refunded %d of %d", i, v, totals[i])
				}
				sum += v
			}
			var shipping int64
			if err := db.R.QueryRow(`SELECT COALESCE(SUM(shipping_amount), 0) FROM refunds WHERE order_id = $1`, o.ID).Scan(&shipping); err != nil {
				t.Fatal(err)
			}
			if total != refunded || sum+shipping != refunded || total > int64(o.Total) || shipping > ship {
				t.Fatalf("round %d: order %d, lines %d + shipping %d, refunds %d, paid %d", round, total, sum, shipping, refunded, o.Total)
			}
		}
	})
}

func TestBankTransferConfirmation(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := New(Config{DB: db})
		o := mustOrder(t, db, "pending_payment", []int64{12000}, 0)
		p := mustPayment(t, db, o, BankTransfer, "bank_transfer")
		_, err := svc.Confirm(ctx, staffActor, p.ID, Confirmation{Amount: 12000})
		wantCode(t, err, platform.CodeInvalid)
		_, err = svc.Confirm(ctx, staffActor, p.ID, Confirmation{Amount: 11999, Reference: "ICBC-1"})
		wantCode(t, err, CodeAmountMismatch)
		got, err := svc.Confirm(ctx, staffActor, p.ID, Confirmation{Amount: 12000, Reference: " ICBC-1 "})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != Captured || got.ExternalRef != "ICBC-1" || orderStatus(t, db, o.ID) != "paid" {
			t.Fatalf("confirmed: %+v, order %s", got, orderStatus(t, db, o.ID))
		}
		// Again: a no-op; another order with the same reference: refused.
		if _, err := svc.Confirm(ctx, staffActor, p.ID, Confirmation{Amount: 12000, Reference: "ICBC-1"}); err != nil {
			t.Fatalf("confirming again: %v", err)
		}
		o2 := mustOrder(t, db, "pending_payment", []int64{12000}, 0)
		p2 := mustPayment(t, db, o2, BankTransfer, "bank_transfer")
		_, err = svc.Confirm(ctx, staffActor, p2.ID, Confirmation{Amount: 12000, Reference: "ICBC-1"})
		wantCode(t, err, CodeReferenceUsed)
		// An online payment is not confirmed by hand.
		p3 := mustPayment(t, db, mustOrder(t, db, "pending_payment", []int64{100}, 0), Online, "sandbox")
		_, err = svc.Confirm(ctx, staffActor, p3.ID, Confirmation{Amount: 100, Reference: "x"})
		wantCode(t, err, CodeWrongMethod)
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'payment.confirm' AND entity_id = $1`, p.ID.String()); n != 1 {
			t.Errorf("%d audit entries, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM order_transitions WHERE order_id = $1`, o.ID); n != 1 {
			t.Errorf("%d transitions, want 1", n)
		}
	})
}

// Cash on delivery is captured when the carrier has collected it: the
// delivered order keeps its status and gains its paid time.
func TestCashOnDelivery(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := New(Config{DB: db})
		o := mustOrder(t, db, "delivered", []int64{4500}, 800)
		st, err := svc.Start(ctx, StartInput{OrderID: o.ID, Provider: "cod"})
		wantCode(t, err, CodeNotPayable) // COD payments are made at checkout, not started later
		_ = st
		p := mustPayment(t, db, o, COD, "sf_express")
		got, err := svc.Confirm(ctx, staffActor, p.ID, Confirmation{Amount: 5300})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != Captured || orderStatus(t, db, o.ID) != "delivered" {
			t.Fatalf("cod: %+v, order %s", got, orderStatus(t, db, o.ID))
		}
		if n := count(t, db, `SELECT COUNT(*) FROM orders WHERE id = $1 AND paid_at IS NOT NULL`, o.ID); n != 1 {
			t.Error("cod order has no paid time")
		}
	})
}

package returns_test

import (
	"context"
	"sync"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/payment"
	"storeops/internal/platform"
	"storeops/internal/returns"
)

// Concurrent requests for the units of one line never claim more than
// were bought, and concurrent refunds of one request move the money
// once.
func TestConcurrentRequestsAndRefunds(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("racer")
		b := s.buy(c, addr, map[platform.ID]int{s.m: 3}, true)
		var customer platform.ID
		if err := a.DB.R.QueryRow(`SELECT customer_id FROM orders WHERE id = $1`, b.id).Scan(&customer); err != nil {
			t.Fatal(err)
		}
		svc := returns.NewService(a.DB)
		ctx := context.Background()
		in := returns.RequestInput{Kind: returns.KindReturn, Reason: returns.ReasonUnwanted,
			Lines: []returns.LineInput{{OrderLineID: b.lines[s.m], Qty: 1}}}
		var wg sync.WaitGroup
		var mu sync.Mutex
		made, refused := 0, 0
		var ids []platform.ID
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := svc.Request(ctx, customer, b.id, in)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					made++
					ids = append(ids, r.ID)
				case platform.ErrorCode(err) == returns.CodeQtyExceeds:
					refused++
				default:
					t.Errorf("request: %v", err)
				}
			}()
		}
		wg.Wait()
		if made != 3 || refused != 5 {
			t.Fatalf("%d made, %d refused; want 3 and 5", made, refused)
		}

		by := audit.Actor{Kind: audit.KindStaff, StaffID: 7, Name: "客服小王"}
		if _, err := svc.Approve(ctx, by, ids[0]); err != nil {
			t.Fatal(err)
		}
		recv := returns.ReceiveInput{WarehouseID: s.warehouse, Lines: []returns.InspectInput{{OrderLineID: b.lines[s.m], AcceptedQty: 1, Condition: returns.Resaleable}}}
		if _, err := svc.Receive(ctx, by, ids[0], recv); err != nil {
			t.Fatal(err)
		}
		ok, conflict := 0, 0
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := svc.Refund(ctx, by, ids[0])
				mu.Lock()
				defer mu.Unlock()
				switch code := platform.ErrorCode(err); {
				case err == nil:
					ok++
				case code == returns.CodeStatus || code == payment.CodeRefundKeyReused:
					conflict++
				default:
					t.Errorf("refund: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok != 1 || conflict != 3 {
			t.Errorf("%d refunds went through, %d refused; want 1 and 3", ok, conflict)
		}
		if n := s.count(`SELECT COUNT(*) FROM refunds WHERE order_id = $1`, b.id); n != 1 {
			t.Errorf("%d refunds, want 1", n)
		}
		if n := s.count(`SELECT refunded_total FROM orders WHERE id = $1`, b.id); n != 5900 {
			t.Errorf("refunded %d, want 5900", n)
		}
		s.balanced()
	})
}

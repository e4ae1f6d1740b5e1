package invoice_test

import (
	"context"
	"sync"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/invoice"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// A request racing its order's cancellation never leaves a waiting
// request on a cancelled order: either the request sees the cancellation
// (409) or the cancellation's hook cancels the request.
func TestRequestRacingCancellation(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		buyer := apptest.SignUp(t, apptest.Serve(t, a), "buyer")
		s := invoice.NewService(a.DB)
		for range 20 {
			o, _ := seedOrder(t, a.DB, buyer.ID, order.Paid)
			var wg sync.WaitGroup
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, err := s.Request(ctx, buyer.ID, o, invoice.Input{TitleType: invoice.Personal, Title: "张三"})
				if err != nil && platform.ErrorCode(err) != invoice.CodeOrderNotEligible {
					t.Errorf("request: %v", err)
				}
			}()
			go func() {
				defer wg.Done()
				err := a.DB.Write(ctx, func(tx *store.Tx) error {
					_, err := order.Transition(ctx, tx, o, order.Cancelled, order.System, "超时未发货")
					return err
				})
				if err != nil {
					t.Errorf("cancel: %v", err)
				}
			}()
			wg.Wait()
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM invoice_requests i JOIN orders o ON o.id = i.order_id
			WHERE o.status = 'cancelled' AND i.status = 'requested'`); n != 0 {
			t.Errorf("%d waiting requests on cancelled orders", n)
		}
	})
}

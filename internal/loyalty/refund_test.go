package loyalty_test

import (
	"context"
	"encoding/json"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/loyalty"
	"storeops/internal/order"
	"storeops/internal/outbox"
)

// The refund consumer takes back a refunded order's share of points,
// once however often the event is delivered, and skips payloads it does
// not understand.
func TestRefundConsumer(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		c := newCustomer(t, a.DB, "refunded", "")
		o := newOrder(t, a.DB, c, order.Delivered, 20_000, t0)
		transition(t, a.DB, o, order.Completed)
		if got := balance(t, a, c); got != 200 {
			t.Fatalf("earned %d, want 200", got)
		}
		if _, err := a.DB.W.Exec(`UPDATE orders SET refunded_total = 5000 WHERE id = $1`, o); err != nil {
			t.Fatal(err)
		}
		payload, _ := json.Marshal(map[string]any{"refund_id": "31", "order_id": o.String(), "amount": 5000})
		ev := outbox.Event{Topic: "payment.refunded", Key: o.String(), Payload: payload}
		junk := outbox.Event{Topic: "payment.refunded", Payload: json.RawMessage(`{"refund_id":1}`)}
		h := loyalty.RefundConsumer(a.DB).Handle
		for range 2 {
			if err := h(ctx, []outbox.Event{junk, ev}); err != nil {
				t.Fatal(err)
			}
		}
		if got := balance(t, a, c); got != 150 {
			t.Fatalf("after a quarter refunded: %d, want 150", got)
		}
		checkLedger(t, a)
	})
}

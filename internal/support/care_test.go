package support_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
	"storeops/internal/support"
)

// The care rules fire once per thing: a first delivery queues a message,
// a second delivery does not; a 1-star review opens an after-sale to-do,
// a 4-star one nothing, and the same event delivered twice one to-do;
// the sweep opens one to-do per delayed shipment and per idle VIP
// however often it runs; a disabled rule does nothing.
func TestCareRules(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		base := apptest.Serve(t, a)
		s := support.NewService(a.DB)
		buyer, vip := apptest.SignUp(t, base, "carebuyer"), apptest.SignUp(t, base, "vip")
		first, _ := seedOrder(t, a.DB, buyer.ID, order.Delivered)
		second, _ := seedOrder(t, a.DB, buyer.ID, order.Shipped)
		if _, err := a.DB.W.Exec(`UPDATE orders SET delivered_at = $1 WHERE id = $2`, clock.Now(), first); err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.W.Exec(`UPDATE orders SET shipped_at = $1 WHERE id = $2`, clock.Now().Add(-5*24*time.Hour), second); err != nil {
			t.Fatal(err)
		}
		big, _ := seedOrder(t, a.DB, vip.ID, order.Completed)
		if _, err := a.DB.W.Exec(`UPDATE orders SET total = 300000, placed_at = $1 WHERE id = $2`, clock.Now().Add(-90*24*time.Hour), big); err != nil {
			t.Fatal(err)
		}
		handle := s.CareConsumer().Handle
		ev := func(topic string, v any) outbox.Event {
			b, _ := json.Marshal(v)
			return outbox.Event{Topic: topic, Key: "k", Payload: b}
		}
		delivered := ev(order.TopicStatusChanged, order.Change{OrderID: first, To: order.Delivered})
		negative := ev(support.TopicReviewPosted, map[string]any{"id": "77", "customer_id": buyer.ID.String(), "order_id": first.String(), "rating": 1})
		positive := ev(support.TopicReviewPosted, map[string]any{"id": "78", "customer_id": buyer.ID.String(), "rating": 4})
		junk := outbox.Event{Topic: support.TopicReviewPosted, Key: "j", Payload: json.RawMessage(`{"rating":"bad"}`)}
		for i := 0; i < 2; i++ {
			if err := handle(ctx, []outbox.Event{delivered, negative, positive, junk}); err != nil {
				t.Fatal(err)
			}
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_outgoing WHERE care_key = $1`, "first_delivered:"+buyer.ID.String()); n != 1 {
			t.Errorf("%d first-delivery messages", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets WHERE channel = 'care' AND type = 'after_sale' AND priority = 'high' AND customer_id = $1`, buyer.ID); n != 1 {
			t.Errorf("%d negative-review to-dos", n)
		}
		// A second order delivered is not the first.
		if _, err := a.DB.W.Exec(`UPDATE orders SET delivered_at = $1 WHERE id = $2`, clock.Now(), second); err != nil {
			t.Fatal(err)
		}
		if err := handle(ctx, []outbox.Event{ev(order.TopicStatusChanged, order.Change{OrderID: second, To: order.Delivered})}); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_outgoing WHERE care_key LIKE 'first_delivered:%'`); n != 1 {
			t.Errorf("%d first-delivery messages after the second delivery", n)
		}
		if _, err := a.DB.W.Exec(`UPDATE orders SET delivered_at = NULL WHERE id = $1`, second); err != nil {
			t.Fatal(err)
		}

		for i := 0; i < 2; i++ {
			n, err := s.SweepCare(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := []int{2, 0}[i]; n != want {
				t.Errorf("sweep %d fired %d, want %d", i, n, want)
			}
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets WHERE care_key = $1 AND order_id = $2`, "shipment_delayed:"+second.String(), second); n != 1 {
			t.Errorf("%d delayed-shipment to-dos", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets WHERE care_key LIKE 'vip_idle:%' AND customer_id = $1`, vip.ID); n != 1 {
			t.Errorf("%d idle-VIP to-dos", n)
		}
		var body string
		if err := a.DB.R.QueryRow(`SELECT m.body FROM support_messages m JOIN support_tickets t ON t.id = m.ticket_id WHERE t.care_key = $1`, "shipment_delayed:"+second.String()).Scan(&body); err != nil || body == "" {
			t.Errorf("to-do text %q %v", body, err)
		}

		by, _ := agent(t, a, "lead")
		if err := s.SaveCareRule(ctx, by, support.CareRule{Kind: support.CareShipmentDelayed, Enabled: false, Action: "ticket", Days: 3, Template: "x"}); err != nil {
			t.Fatal(err)
		}
		third, _ := seedOrder(t, a.DB, vip.ID, order.Shipped)
		if _, err := a.DB.W.Exec(`UPDATE orders SET shipped_at = $1 WHERE id = $2`, clock.Now().Add(-9*24*time.Hour), third); err != nil {
			t.Fatal(err)
		}
		if n, err := s.SweepCare(ctx); err != nil || n != 0 {
			t.Errorf("disabled rule fired %d (%v)", n, err)
		}
	})
}

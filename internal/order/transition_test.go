package order_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// stamp is the time column each status sets.
var stamp = map[order.Status]string{
	order.Paid: "paid_at", order.Shipped: "shipped_at", order.Delivered: "delivered_at",
	order.Completed: "completed_at", order.Cancelled: "cancelled_at",
}

// Every pair of statuses, legal or not: a legal one moves the order,
// stamps its time, records the step with actor and reason and publishes
// the event; an illegal one is a 409 naming both statuses and changes
// nothing.
func TestEveryTransitionPair(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		legal := 0
		for _, from := range order.Statuses {
			for _, to := range order.Statuses {
				o := seedOrder(t, db, orderSpec{Status: from})
				var ch order.Change
				err := db.Write(ctx, func(tx *store.Tx) error {
					var err error
					ch, err = order.Transition(ctx, tx, o.ID, to, staffActor, "测试 "+string(from)+"→"+string(to), order.WithData("k", "v"))
					return err
				})
				if !order.Legal(from, to) {
					e := platform.AsError(err)
					if e.Code != order.CodeIllegalTransition || e.Code.Status() != http.StatusConflict {
						t.Errorf("%s→%s: %v, want %s (409)", from, to, err, order.CodeIllegalTransition)
						continue
					}
					zh, en := e.Message(platform.ZH), e.Message(platform.EN)
					if !strings.Contains(zh, platform.T(platform.ZH, from.Label())) || !strings.Contains(zh, platform.T(platform.ZH, to.Label())) ||
						!strings.Contains(en, platform.T(platform.EN, from.Label())) || !strings.Contains(en, platform.T(platform.EN, to.Label())) {
						t.Errorf("%s→%s: messages %q / %q do not name both statuses", from, to, zh, en)
					}
					if got := statusOf(t, db, o.ID); got != from {
						t.Errorf("%s→%s refused but status is %s", from, to, got)
					}
					if n := count(t, db, `SELECT COUNT(*) FROM order_transitions WHERE order_id = $1`, o.ID); n != 0 {
						t.Errorf("%s→%s refused but %d steps recorded", from, to, n)
					}
					continue
				}
				legal++
				if err != nil {
					t.Errorf("%s→%s: %v", from, to, err)
					continue
				}
				if ch.From != from || ch.To != to || ch.OrderNo != o.No || ch.Data["k"] != "v" {
					t.Errorf("%s→%s: change %+v", from, to, ch)
				}
				if got := statusOf(t, db, o.ID); got != to {
					t.Errorf("%s→%s: status %s", from, to, got)
				}
				if col := stamp[to]; col != "" {
					if n := count(t, db, `SELECT COUNT(*) FROM orders WHERE id = $1 AND `+col+` = updated_at`, o.ID); n != 1 {
						t.Errorf("%s→%s: %s not stamped", from, to, col)
					}
				}
				var actor, reason string
				var actorID int64
				if err := db.R.QueryRow(`SELECT actor, actor_id, reason FROM order_transitions WHERE order_id = $1 AND from_status = $2 AND to_status = $3`,
					o.ID, from, to).Scan(&actor, &actorID, &reason); err != nil {
					t.Errorf("%s→%s: step not recorded: %v", from, to, err)
				} else if actor != "staff" || actorID != 42 || !strings.HasPrefix(reason, "测试") {
					t.Errorf("%s→%s: step by %s/%d for %q", from, to, actor, actorID, reason)
				}
				var payload string
				if err := db.R.QueryRow(`SELECT payload FROM outbox_events WHERE topic = $1 AND key = $2`, order.TopicStatusChanged, o.ID.String()).Scan(&payload); err != nil {
					t.Errorf("%s→%s: no event: %v", from, to, err)
					continue
				}
				var ev struct {
					OrderID  platform.ID `json:"order_id"`
					PlacedAt time.Time   `json:"placed_at"`
				}
				var raw map[string]any
				_ = json.Unmarshal([]byte(payload), &raw)
				_ = json.Unmarshal([]byte(payload), &ev)
				if ev.OrderID != o.ID || raw["from"] != string(from) || raw["to"] != string(to) || ev.PlacedAt.IsZero() {
					t.Errorf("%s→%s: event %s", from, to, payload)
				}
			}
		}
		if legal != 12 {
			t.Errorf("%d legal pairs, the documented table has 12", legal)
		}
	})
}

// After-sale opens only within the window from delivery.
func TestAfterSaleWindow(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, from := range []order.Status{order.Delivered, order.Completed} {
			late := seedOrder(t, db, orderSpec{Status: from, DeliveredAgo: order.AfterSaleWindow + time.Hour})
			err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := order.Transition(ctx, tx, late.ID, order.AfterSale, order.Customer(7), "申请售后")
				return err
			})
			if platform.ErrorCode(err) != order.CodeAfterSaleClosed || order.CodeAfterSaleClosed.Status() != http.StatusConflict {
				t.Errorf("%s past the window: %v", from, err)
			}
			inTime := seedOrder(t, db, orderSpec{Status: from, DeliveredAgo: order.AfterSaleWindow - time.Hour})
			err = db.Write(ctx, func(tx *store.Tx) error {
				_, err := order.Transition(ctx, tx, inTime.ID, order.AfterSale, order.Customer(7), "申请售后")
				return err
			})
			if err != nil {
				t.Errorf("%s within the window: %v", from, err)
			}
		}
	})
}

// Bad calls are client errors, never a panic or a 500.
func TestTransitionBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		o := seedOrder(t, db, orderSpec{Status: order.Paid})
		for _, c := range []struct {
			name   string
			id     platform.ID
			to     order.Status
			actor  order.Actor
			reason string
			want   platform.Code
		}{
			{"unknown status", o.ID, "lost", staffActor, "x", platform.CodeInvalid},
			{"no reason", o.ID, order.Cancelled, staffActor, "  ", platform.CodeInvalid},
			{"long reason", o.ID, order.Cancelled, staffActor, strings.Repeat("长", 501), platform.CodeInvalid},
			{"staff without id", o.ID, order.Cancelled, order.Actor{Kind: order.ActorStaff}, "x", platform.CodeInvalid},
			{"unknown actor", o.ID, order.Cancelled, order.Actor{Kind: "robot"}, "x", platform.CodeInvalid},
			{"no such order", 12345, order.Cancelled, staffActor, "x", platform.CodeNotFound},
		} {
			err := db.Write(ctx, func(tx *store.Tx) error {
				_, err := order.Transition(ctx, tx, c.id, c.to, c.actor, c.reason)
				return err
			})
			if got := platform.ErrorCode(err); got != c.want {
				t.Errorf("%s: %v, want %s", c.name, err, c.want)
			}
		}
		if got := statusOf(t, db, o.ID); got != order.Paid {
			t.Errorf("status after bad calls: %s", got)
		}
	})
}

// Concurrent transitions of one allocated order, half shipping it and half
// cancelling it (each excludes the other): exactly one wins, every other
// gets a 409, and one step is recorded.
func TestConcurrentTransitionsOneWins(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for round := range 5 {
			o := seedOrder(t, db, orderSpec{Status: order.Allocated})
			const n = 8
			errs := make([]error, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					to := order.Cancelled
					if i%2 == 1 {
						to = order.Shipped
					}
					<-start
					errs[i] = db.Write(ctx, func(tx *store.Tx) error {
						_, err := order.Transition(ctx, tx, o.ID, to, staffActor, "并发")
						return err
					})
				}()
			}
			close(start)
			wg.Wait()
			wins := 0
			for _, err := range errs {
				switch {
				case err == nil:
					wins++
				case platform.AsError(err).Code.Status() != http.StatusConflict:
					t.Errorf("round %d: loser got %v, want a 409", round, err)
				}
			}
			if wins != 1 {
				t.Errorf("round %d: %d winners, want exactly 1", round, wins)
			}
			if got := count(t, db, `SELECT COUNT(*) FROM order_transitions WHERE order_id = $1`, o.ID); got != 1 {
				t.Errorf("round %d: %d steps recorded, want 1", round, got)
			}
		}
	})
}

// Hooks run inside the transition's transaction: they see the change, and
// a hook's error rolls the whole transition back.
func TestHooks(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		var seen []order.Change
		order.OnTransition("test.record", func(ctx context.Context, tx *store.Tx, ch order.Change) error {
			// The hook writes in the same transaction: the order already
			// has its new status.
			var s order.Status
			if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = $1`, ch.OrderID).Scan(&s); err != nil || s != ch.To {
				return errors.New("hook does not see the new status")
			}
			mu.Lock()
			seen = append(seen, ch)
			mu.Unlock()
			return nil
		})
		veto := errors.New("stock ledger refuses")
		order.OnTransition("test.veto", func(ctx context.Context, tx *store.Tx, ch order.Change) error {
			if ch.To == order.Cancelled {
				return veto
			}
			return nil
		})
		defer order.RemoveHook("test.record")
		defer order.RemoveHook("test.veto")

		o := seedOrder(t, db, orderSpec{Status: order.Paid})
		err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := order.Transition(ctx, tx, o.ID, order.Allocated, order.Actor{Kind: order.ActorWarehouse}, "配货")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Write(ctx, func(tx *store.Tx) error {
			_, err := order.Transition(ctx, tx, o.ID, order.Cancelled, staffActor, "取消")
			return err
		})
		if !errors.Is(err, veto) {
			t.Fatalf("vetoed cancel: %v", err)
		}
		if got := statusOf(t, db, o.ID); got != order.Allocated {
			t.Errorf("after a vetoed cancel: %s", got)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM order_transitions WHERE order_id = $1`, o.ID); n != 1 {
			t.Errorf("%d steps, want 1 (the vetoed one rolled back)", n)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(seen) != 2 || seen[0].To != order.Allocated || seen[0].Actor.Kind != order.ActorWarehouse {
			t.Errorf("hook saw %+v", seen)
		}
	})
}

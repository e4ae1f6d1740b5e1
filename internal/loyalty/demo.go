package loyalty

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// DemoStep gives the demo shop's customers the points and tiers their
// order history implies: points earned on every completed order (1 per
// yuan net of refunds), some redeemed on later orders that carry a
// discount (never more than that discount was worth), lots expired first
// in, first out twelve months after they were earned, and each
// customer's tier from their spend in the twelve months before the
// as-of day, reached with a tier-up reward. The daily job run on the new
// shop then finds nothing to change. It runs after the orders and
// payments (Order 40, 45).
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "loyalty", Order: 47, Run: runDemo}
}

// The demo's id spaces, far above demokit's own so they never meet.
const (
	demoSpaceEntry   demokit.Space = 48
	demoSpaceHistory demokit.Space = 49
)

type demoOrder struct {
	id, customer      platform.ID
	net, discount     int64
	placed, completed time.Time
}

type demoEvent struct {
	at     time.Time
	kind   Kind
	points int64 // credit amount, or the most a redemption may take
	order  platform.ID
	reason string
}

type demoLot struct {
	id        int64
	expires   time.Time
	remaining int64
}

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, t := range []string{"loyalty_lot_uses", "loyalty_lots", "loyalty_entries", "loyalty_tier_history", "loyalty_accounts", "loyalty_job_days"} {
				if err := l.Exec(`DELETE FROM ` + t); err != nil {
					return fmt.Errorf("loyalty: demo clear %s: %w", t, err)
				}
			}
			return nil
		})
	}
	tiers, err := Tiers(ctx, env.DB.R)
	if err != nil || len(tiers) == 0 {
		return err
	}
	rows, err := env.DB.R.QueryContext(ctx, `SELECT id, customer_id, total - refunded_total, discount_total, placed_at, completed_at FROM orders
		WHERE status IN ('completed', 'after_sale') AND completed_at IS NOT NULL ORDER BY customer_id, completed_at, id`)
	if err != nil {
		return fmt.Errorf("loyalty: demo orders: %w", err)
	}
	byCustomer := map[platform.ID][]demoOrder{}
	var customers []platform.ID
	for rows.Next() {
		var o demoOrder
		var completed sql.NullTime
		if err := rows.Scan(&o.id, &o.customer, &o.net, &o.discount, &o.placed, &completed); err != nil {
			rows.Close()
			return fmt.Errorf("loyalty: demo orders: %w", err)
		}
		o.completed = completed.Time.UTC()
		o.placed = o.placed.UTC()
		if _, ok := byCustomer[o.customer]; !ok {
			customers = append(customers, o.customer)
		}
		byCustomer[o.customer] = append(byCustomer[o.customer], o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("loyalty: demo orders: %w", err)
	}
	end := store.Time(env.Shop.End)
	rules := DefaultRules.withDefaults()
	env.Shop.Progress.Start("loyalty", int64(len(customers)))
	var entryK, histK int64
	return env.DB.Load(ctx, func(l *store.Loader) error {
		accounts := l.Into("loyalty_accounts", "customer_id", "balance", "tier_code", "tier_since", "spend", "updated_at")
		entries := l.Into("loyalty_entries", "id", "customer_id", "kind", "points", "balance_after", "ref", "order_id", "basis", "reason", "actor", "expires_at", "created_at")
		lots := l.Into("loyalty_lots", "entry_id", "customer_id", "expires_at", "remaining")
		history := l.Into("loyalty_tier_history", "id", "customer_id", "from_code", "to_code", "spend", "reason", "created_at")
		for _, c := range customers {
			orders := byCustomer[c]
			r := env.Shop.Rand("loyalty", int64(c))
			// The tier: spend in the year before the as-of day, reached
			// when the running sum crossed the threshold.
			var spend int64
			var crossed time.Time
			tier := tiers[0]
			for _, o := range orders {
				if o.completed.After(end.AddDate(-1, 0, 0)) && !o.completed.After(end) {
					spend += o.net
					if t := tierFor(tiers, platform.Money(spend)); t.MinSpend > tier.MinSpend {
						tier, crossed = t, o.completed.Add(time.Hour)
					}
				}
			}
			var events []demoEvent
			for _, o := range orders {
				if o.completed.After(end) {
					continue
				}
				events = append(events, demoEvent{at: o.completed, kind: KindEarn, points: rules.earnFor(platform.Money(o.net), 100), order: o.id,
					reason: fmt.Sprint(o.net)})
				if o.discount > 0 && r.IntN(3) == 0 {
					events = append(events, demoEvent{at: o.placed, kind: KindRedeem, points: o.discount * rules.PerUnit / int64(rules.UnitValue), order: o.id})
				}
			}
			if tier.Code != tiers[0].Code && !crossed.After(end) {
				events = append(events, demoEvent{at: crossed, kind: KindTierUp, points: tier.TierUpPoints, reason: tier.NameZH})
			} else {
				crossed = time.Time{}
			}
			sort.SliceStable(events, func(i, j int) bool { return events[i].at.Before(events[j].at) })
			var bal int64
			var open []demoLot
			add := func(at time.Time, kind Kind, signed int64, order platform.ID, basis int64, reason string, expires any) (int64, error) {
				id := env.Shop.ID(demoSpaceEntry, entryK)
				entryK++
				bal += signed
				var ord any
				ref := string(kind) + ":" + platform.ID(id).String()
				if order != 0 {
					ord = int64(order)
					if kind == KindEarn || kind == KindRedeem {
						ref = idRef(string(kind), order)
					}
				}
				return id, entries.Add(id, int64(c), string(kind), signed, bal, ref, ord, basis, reason, "system", expires, store.Time(at))
			}
			// expireTo expires the lots due by t, each at its expiry.
			expireTo := func(t time.Time) error {
				for len(open) > 0 && !open[0].expires.After(t) {
					lot := open[0]
					open = open[1:]
					if lot.remaining > 0 {
						if _, err := add(lot.expires, KindExpire, -lot.remaining, 0, 0, "", nil); err != nil {
							return err
						}
					}
					if err := lots.Add(lot.id, int64(c), lot.expires, 0); err != nil {
						return err
					}
				}
				return nil
			}
			for _, ev := range events {
				if err := expireTo(ev.at); err != nil {
					return err
				}
				switch ev.kind {
				case KindRedeem:
					take := min(ev.points, bal) / rules.PerUnit * rules.PerUnit
					if take <= 0 {
						continue
					}
					if _, err := add(ev.at, KindRedeem, -take, ev.order, 0, "", nil); err != nil {
						return err
					}
					for i := 0; take > 0; i++ {
						n := min(take, open[i].remaining)
						open[i].remaining -= n
						take -= n
					}
				default:
					if ev.points <= 0 {
						continue
					}
					var basis int64
					if ev.kind == KindEarn {
						fmt.Sscan(ev.reason, &basis)
						ev.reason = ""
					}
					exp := expiresAt(ev.at)
					id, err := add(ev.at, ev.kind, ev.points, ev.order, basis, ev.reason, exp)
					if err != nil {
						return err
					}
					open = append(open, demoLot{id: id, expires: exp, remaining: ev.points})
				}
			}
			if err := expireTo(end); err != nil {
				return err
			}
			for _, lot := range open {
				if err := lots.Add(lot.id, int64(c), lot.expires, lot.remaining); err != nil {
					return err
				}
			}
			since := store.Time(orders[0].completed)
			if !crossed.IsZero() {
				since = store.Time(crossed)
				if err := history.Add(env.Shop.ID(demoSpaceHistory, histK), int64(c), tiers[0].Code, tier.Code, spend, "daily", since); err != nil {
					return err
				}
				histK++
			}
			if err := accounts.Add(int64(c), bal, tier.Code, since, spend, end); err != nil {
				return err
			}
			env.Shop.Progress.Add(1)
		}
		for _, b := range []*store.Batch{accounts, entries, lots, history} {
			if err := b.Flush(); err != nil {
				return fmt.Errorf("loyalty: demo: %w", err)
			}
		}
		return nil
	})
}

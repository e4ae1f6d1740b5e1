package loyalty

import (
	"context"
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// batch bounds the customers one write transaction of a daily job
// touches, so the single writer is never held for long.
const batch = 200

// dayOf is the shop day of t.
func dayOf(t time.Time) string { return t.In(platform.ShopZone).Format(time.DateOnly) }

// once runs fn unless job already ran on now's shop day, and records the
// day when fn succeeds. A failed run is retried whole; each step is
// idempotent on its own, so a partial run repeated does no harm.
func once(ctx context.Context, db *store.DB, job string, now time.Time, fn func() error) (bool, error) {
	day := dayOf(now)
	var done bool
	if err := db.R.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM loyalty_job_days WHERE job = $1 AND day = $2)`, job, day).Scan(&done); err != nil {
		return false, fmt.Errorf("loyalty: job day: %w", err)
	}
	if done {
		return false, nil
	}
	if err := fn(); err != nil {
		return false, err
	}
	err := db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO loyalty_job_days (job, day, done) VALUES ($1, $2, $3) ON CONFLICT (job, day) DO NOTHING`, job, day, tx.Now)
		return err
	})
	return err == nil, err
}

// Daily runs the day's jobs at now: expire due points, re-evaluate tiers
// (with tier-up rewards), then birthday rewards; each at most once per
// shop day.
func (s *Service) Daily(ctx context.Context, now time.Time) error {
	if _, err := once(ctx, s.db, "expire", now, func() error { _, err := ExpireDue(ctx, s.db, now); return err }); err != nil {
		return err
	}
	if _, err := once(ctx, s.db, "tiers", now, func() error { _, err := EvaluateTiers(ctx, s.db, now); return err }); err != nil {
		return err
	}
	_, err := once(ctx, s.db, "birthday", now, func() error { _, err := BirthdayRewards(ctx, s.db, now); return err })
	return err
}

// ExpireDue expires every lot due at now, first in first out, and returns
// the points expired. The ledger gets one expire entry per customer.
func ExpireDue(ctx context.Context, db *store.DB, now time.Time) (int64, error) {
	var total int64
	for {
		rows, err := db.R.QueryContext(ctx, `SELECT DISTINCT customer_id FROM loyalty_lots WHERE remaining > 0 AND expires_at <= $1
			ORDER BY customer_id LIMIT $2`, store.Time(now), batch)
		if err != nil {
			return total, fmt.Errorf("loyalty: due lots: %w", err)
		}
		ids, err := scanIDs(rows)
		if err != nil || len(ids) == 0 {
			return total, err
		}
		var n int64
		err = db.Write(ctx, func(tx *store.Tx) error {
			n = 0
			for _, id := range ids {
				before, err := lockAccount(ctx, tx, id)
				if err != nil {
					return err
				}
				after, err := expireLocked(ctx, tx, id)
				if err != nil {
					return err
				}
				n += before - after
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if len(ids) < batch {
			return total, nil
		}
	}
}

// TierResult counts a tier evaluation's changes.
type TierResult struct {
	Up, Down int
}

type tierChange struct {
	customer platform.ID
	from     string
	to       Tier
	spend    platform.Money
	up       bool
}

// EvaluateTiers sets every customer's tier from their spend on orders
// completed in the twelve months up to now (net of refunds), records each
// change in the history and grants the tier-up reward of a higher tier.
// Running it again on the same data changes nothing.
func EvaluateTiers(ctx context.Context, db *store.DB, now time.Time) (TierResult, error) {
	var res TierResult
	now = store.Time(now)
	tiers, err := Tiers(ctx, db.R)
	if err != nil || len(tiers) == 0 {
		return res, err
	}
	rank := map[string]int{}
	for i, t := range tiers {
		rank[t.Code] = i
	}
	spend := map[platform.ID]platform.Money{}
	rows, err := db.R.QueryContext(ctx, `SELECT customer_id, SUM(total - refunded_total) FROM orders
		WHERE completed_at > $1 AND completed_at <= $2 AND status IN ('completed', 'after_sale') GROUP BY customer_id`,
		store.Time(now.AddDate(-1, 0, 0)), now)
	if err != nil {
		return res, fmt.Errorf("loyalty: spend: %w", err)
	}
	for rows.Next() {
		var id platform.ID
		var v platform.Money
		if err := rows.Scan(&id, &v); err != nil {
			rows.Close()
			return res, err
		}
		spend[id] = max(v, 0)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	current := map[platform.ID]string{}
	oldSpend := map[platform.ID]platform.Money{}
	rows, err = db.R.QueryContext(ctx, `SELECT customer_id, tier_code, spend FROM loyalty_accounts`)
	if err != nil {
		return res, fmt.Errorf("loyalty: accounts: %w", err)
	}
	for rows.Next() {
		var id platform.ID
		var code string
		var v platform.Money
		if err := rows.Scan(&id, &code, &v); err != nil {
			rows.Close()
			return res, err
		}
		current[id], oldSpend[id] = code, v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	var changes []tierChange
	var spendOnly []platform.ID
	for id := range spend {
		if _, ok := current[id]; !ok {
			// No account yet: one is made only if the tier changes.
			current[id] = tiers[0].Code
			oldSpend[id] = spend[id]
		}
	}
	for id, code := range current {
		target := tierFor(tiers, spend[id])
		if target.Code != code {
			from, known := rank[code]
			changes = append(changes, tierChange{customer: id, from: code, to: target, spend: spend[id], up: !known || rank[target.Code] > from})
		} else if oldSpend[id] != spend[id] {
			spendOnly = append(spendOnly, id)
		}
	}
	day := dayOf(now)
	for start := 0; start < len(changes); start += batch {
		part := changes[start:min(start+batch, len(changes))]
		up, down := 0, 0
		err := db.Write(ctx, func(tx *store.Tx) error {
			up, down = 0, 0
			for _, c := range part {
				if _, err := lockAccount(ctx, tx, c.customer); err != nil {
					return err
				}
				res, err := tx.ExecContext(ctx, `UPDATE loyalty_accounts SET tier_code = $1, tier_since = $2, spend = $3, updated_at = $2
					WHERE customer_id = $4 AND tier_code = $5`, c.to.Code, tx.Now, c.spend, c.customer, c.from)
				if err != nil {
					return fmt.Errorf("loyalty: tier of %d: %w", c.customer, err)
				}
				if n, _ := res.RowsAffected(); n == 0 {
					continue // changed since it was read: the next run sees it
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_tier_history (id, customer_id, from_code, to_code, spend, reason, created_at)
					VALUES ($1, $2, $3, $4, $5, 'daily', $6)`, tx.NewID(), c.customer, c.from, c.to.Code, c.spend, tx.Now); err != nil {
					return fmt.Errorf("loyalty: tier history of %d: %w", c.customer, err)
				}
				if !c.up {
					down++
					continue
				}
				up++
				if _, err := credit(ctx, tx, move{Customer: c.customer, Kind: KindTierUp, Points: c.to.TierUpPoints,
					Ref: "tier_up:" + c.customer.String() + ":" + c.to.Code + ":" + day, Reason: c.to.NameZH, Actor: "system"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		res.Up += up
		res.Down += down
	}
	for start := 0; start < len(spendOnly); start += batch {
		part := spendOnly[start:min(start+batch, len(spendOnly))]
		err := db.Write(ctx, func(tx *store.Tx) error {
			for _, id := range part {
				if _, err := tx.ExecContext(ctx, `UPDATE loyalty_accounts SET spend = $1 WHERE customer_id = $2`, spend[id], id); err != nil {
					return fmt.Errorf("loyalty: spend of %d: %w", id, err)
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// BirthdayRewards grants each active customer whose birthday is now's
// shop day their tier's birthday points, once a year (a 29 February
// birthday is kept on 28 February in other years). It returns how many
// customers got points.
func BirthdayRewards(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	local := now.In(platform.ShopZone)
	days := []string{local.Format("01-02")}
	if local.Month() == time.February && local.Day() == 28 && time.Date(local.Year(), 2, 29, 0, 0, 0, 0, time.UTC).Month() != time.February {
		days = append(days, "02-29")
	}
	var ids []platform.ID
	for _, md := range days {
		rows, err := db.R.QueryContext(ctx, `SELECT id FROM customers WHERE status = 'active' AND LENGTH(birthday) = 10
			AND SUBSTR(birthday, 6, 5) = $1 ORDER BY id`, md)
		if err != nil {
			return 0, fmt.Errorf("loyalty: birthdays: %w", err)
		}
		more, err := scanIDs(rows)
		if err != nil {
			return 0, err
		}
		ids = append(ids, more...)
	}
	year := local.Format("2006")
	granted := 0
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		n := 0
		err := db.Write(ctx, func(tx *store.Tx) error {
			n = 0
			for _, id := range part {
				if _, err := lockAccount(ctx, tx, id); err != nil {
					return err
				}
				t, err := accountTier(ctx, tx, id)
				if err != nil {
					return err
				}
				e, err := credit(ctx, tx, move{Customer: id, Kind: KindBirthday, Points: t.BirthdayPoints, Ref: "birthday:" + id.String() + ":" + year,
					Reason: t.NameZH, Actor: "system"})
				if err != nil {
					return err
				}
				if e != 0 {
					n++
				}
			}
			return nil
		})
		if err != nil {
			return granted, err
		}
		granted += n
	}
	return granted, nil
}

func scanIDs(rows interface {
	Next() bool
	Scan(...any) error
	Close() error
	Err() error
}) ([]platform.ID, error) {
	defer rows.Close()
	var ids []platform.ID
	for rows.Next() {
		var id platform.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

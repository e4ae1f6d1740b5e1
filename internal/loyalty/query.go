package loyalty

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// expiringWindow is how far ahead Account warns of expiring points.
const expiringWindow = 30 * 24 * time.Hour

// Account is the customer's membership as of now: tier and benefits,
// spendable balance, the next tier and the points about to expire. A
// customer who never earned has the lowest tier and no points.
func (s *Service) Account(ctx context.Context, customerID platform.ID) (Account, error) {
	a := Account{CustomerID: customerID}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var code string
		var since sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT tier_code, tier_since, spend FROM loyalty_accounts WHERE customer_id = $1`, customerID).
			Scan(&code, &since, &a.Spend)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("loyalty: account of %d: %w", customerID, err)
		}
		if since.Valid {
			a.TierSince = since.Time.UTC()
		}
		if a.Tier, err = accountTier(ctx, tx, customerID); err != nil {
			return err
		}
		tiers, err := Tiers(ctx, tx)
		if err != nil {
			return err
		}
		for i := range tiers {
			if tiers[i].MinSpend > a.Tier.MinSpend {
				a.Next = &tiers[i]
				a.ToNext = max(0, tiers[i].MinSpend-a.Spend)
				break
			}
		}
		var soon sql.NullTime
		var soonRaw any = &soon
		if tx.Dialect == store.SQLite {
			soonRaw = &sqliteTime{&soon}
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN expires_at > $2 THEN remaining ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN expires_at > $2 AND expires_at <= $3 THEN remaining ELSE 0 END), 0),
			MIN(CASE WHEN expires_at > $2 AND expires_at <= $3 THEN expires_at END)
			FROM loyalty_lots WHERE customer_id = $1 AND remaining > 0`, customerID, tx.Now, tx.Now.Add(expiringWindow)).
			Scan(&a.Balance, &a.Expiring, soonRaw); err != nil {
			return fmt.Errorf("loyalty: lots of %d: %w", customerID, err)
		}
		if soon.Valid {
			t := soon.Time.UTC()
			a.ExpiringAt = &t
		}
		return nil
	})
	return a, err
}

// sqliteTime scans a time that SQLite returns as text from an aggregate
// (MIN over a CASE loses the column's declared type).
type sqliteTime struct{ t *sql.NullTime }

func (s *sqliteTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		s.t.Valid = false
		return nil
	case time.Time:
		s.t.Time, s.t.Valid = x, true
		return nil
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999"} {
			if t, err := time.Parse(layout, x); err == nil {
				s.t.Time, s.t.Valid = t, true
				return nil
			}
		}
		return fmt.Errorf("loyalty: time %q", x)
	}
	return fmt.Errorf("loyalty: time of type %T", v)
}

// Entries is one page of the customer's ledger, newest first.
//
// Errors: CodeBadCursor (400), or a database error.
func Entries(ctx context.Context, q store.Querier, customerID platform.ID, page platform.PageRequest) (platform.Page[Entry], error) {
	limit := page.Limit
	if limit <= 0 {
		limit = platform.DefaultPageSize
	}
	args := []any{customerID, limit + 1}
	cond := ""
	if page.After != nil {
		cond = ` AND id < $3`
		args = append(args, int64(page.After.ID))
	}
	rows, err := q.QueryContext(ctx, `SELECT `+entryCols+` FROM loyalty_entries WHERE customer_id = $1`+cond+` ORDER BY id DESC LIMIT $2`, args...)
	if err != nil {
		return platform.Page[Entry]{}, fmt.Errorf("loyalty: entries of %d: %w", customerID, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return platform.Page[Entry]{}, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[Entry]{}, err
	}
	return platform.NewPage(out, limit, func(e Entry) platform.Cursor { return platform.Cursor{ID: e.ID} }), nil
}

// History is the customer's tier changes, newest first (at most 50).
func History(ctx context.Context, q store.Querier, customerID platform.ID) ([]TierChange, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, customer_id, from_code, to_code, spend, reason, created_at FROM loyalty_tier_history
		WHERE customer_id = $1 ORDER BY id DESC LIMIT 50`, customerID)
	if err != nil {
		return nil, fmt.Errorf("loyalty: tier history of %d: %w", customerID, err)
	}
	defer rows.Close()
	out := []TierChange{}
	for rows.Next() {
		var c TierChange
		if err := rows.Scan(&c.ID, &c.CustomerID, &c.From, &c.To, &c.Spend, &c.Reason, &c.At); err != nil {
			return nil, err
		}
		c.At = c.At.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// TierCount is how many customers hold a tier.
type TierCount struct {
	Tier    Tier  `json:"tier"`
	Members int64 `json:"members"`
}

// Distribution counts the customers in each tier; customers without an
// account count in the lowest.
func Distribution(ctx context.Context, q store.Querier) ([]TierCount, error) {
	tiers, err := Tiers(ctx, q)
	if err != nil || len(tiers) == 0 {
		return nil, err
	}
	counts := map[string]int64{}
	rows, err := q.QueryContext(ctx, `SELECT tier_code, COUNT(*) FROM loyalty_accounts GROUP BY tier_code`)
	if err != nil {
		return nil, fmt.Errorf("loyalty: distribution: %w", err)
	}
	var withAccount int64
	for rows.Next() {
		var code string
		var n int64
		if err := rows.Scan(&code, &n); err != nil {
			rows.Close()
			return nil, err
		}
		counts[code] += n
		withAccount += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var all int64
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers`).Scan(&all); err != nil {
		return nil, err
	}
	counts[tiers[0].Code] += max(0, all-withAccount)
	out := make([]TierCount, 0, len(tiers))
	for _, t := range tiers {
		out = append(out, TierCount{Tier: t, Members: counts[t.Code]})
	}
	return out, nil
}

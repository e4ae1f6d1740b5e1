package support

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// repeatWindow is how soon a second contact counts as a repeat: the
// first answer did not settle it.
const repeatWindow = 7 * 24 * time.Hour

// Report is the complaints-and-suggestions loop for a period: why
// customers contact the shop, week by week and by type, the causes that
// come back most with what they point at, satisfaction and repeat
// contacts.
type Report struct {
	From, To time.Time
	// Weeks are the Mondays (shop time) starting each bucket.
	Weeks []string `json:"weeks"`
	// ByType counts tickets per type per week (same order as Weeks).
	ByType map[Type][]int `json:"by_type"`
	// Causes are the recorded causes with their target, most frequent
	// first (at most 20).
	Causes []CauseCount `json:"causes"`
	// Unclassified counts tickets without a cause yet.
	Unclassified int `json:"unclassified"`
	// CSAT counts ratings 1–5 (index 0 is score 1).
	CSAT [5]int `json:"csat"`
	// Tickets is the total opened in the period; Repeats those whose
	// customer (or address) had contacted the shop within 7 days before.
	Tickets    int     `json:"tickets"`
	Repeats    int     `json:"repeats"`
	RepeatRate float64 `json:"repeat_rate"`
}

// CauseCount is one cause and target with its tickets.
type CauseCount struct {
	Cause  string `json:"cause"`
	Target string `json:"target"`
	// ProductID and ProductTitle, Carrier or Policy name what the cause
	// points at, when the agents recorded it.
	ProductID    platform.ID `json:"product_id,omitempty"`
	ProductTitle string      `json:"product_title,omitempty"`
	Carrier      string      `json:"carrier,omitempty"`
	Policy       string      `json:"policy,omitempty"`
	Tickets      int         `json:"tickets"`
	Complaints   int         `json:"complaints"`
}

// monday is the start of t's week in the shop's zone.
func monday(t time.Time) time.Time {
	t = t.In(platform.ShopZone)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, platform.ShopZone)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// ContactReport builds the report of tickets opened in [from, to).
func ContactReport(ctx context.Context, q store.Querier, from, to time.Time) (Report, error) {
	r := Report{From: from, To: to, ByType: map[Type][]int{}}
	for w := monday(from); w.Before(to); w = w.AddDate(0, 0, 7) {
		r.Weeks = append(r.Weeks, w.Format(time.DateOnly))
	}
	for _, t := range Types {
		r.ByType[t] = make([]int, len(r.Weeks))
	}
	first := monday(from)
	rows, err := q.QueryContext(ctx, `SELECT type, created_at, csat_score, cause FROM support_tickets WHERE created_at >= $1 AND created_at < $2`, store.Time(from), store.Time(to))
	if err != nil {
		return r, fmt.Errorf("support: report: %w", err)
	}
	for rows.Next() {
		var typ Type
		var at time.Time
		var score sql.NullInt64
		var cause string
		if err := rows.Scan(&typ, &at, &score, &cause); err != nil {
			rows.Close()
			return r, fmt.Errorf("support: report: %w", err)
		}
		r.Tickets++
		if w := int(monday(at).Sub(first).Hours() / (24 * 7)); w >= 0 && w < len(r.Weeks) && r.ByType[typ] != nil {
			r.ByType[typ][w]++
		}
		if score.Valid && score.Int64 >= 1 && score.Int64 <= 5 {
			r.CSAT[score.Int64-1]++
		}
		if cause == "" {
			r.Unclassified++
		}
	}
	rows.Close()
	crows, err := q.QueryContext(ctx, `SELECT t.cause, t.product_id, COALESCE(p.title, ''), t.carrier, t.policy, COUNT(*),
		SUM(CASE WHEN t.type = 'complaint' THEN 1 ELSE 0 END)
		FROM support_tickets t LEFT JOIN products p ON p.id = t.product_id
		WHERE t.created_at >= $1 AND t.created_at < $2 AND t.cause <> ''
		GROUP BY t.cause, t.product_id, p.title, t.carrier, t.policy ORDER BY COUNT(*) DESC, t.cause LIMIT 20`, store.Time(from), store.Time(to))
	if err != nil {
		return r, fmt.Errorf("support: report causes: %w", err)
	}
	for crows.Next() {
		var c CauseCount
		var product sql.NullInt64
		if err := crows.Scan(&c.Cause, &product, &c.ProductTitle, &c.Carrier, &c.Policy, &c.Tickets, &c.Complaints); err != nil {
			crows.Close()
			return r, fmt.Errorf("support: report causes: %w", err)
		}
		c.ProductID, c.Target = platform.ID(product.Int64), CauseOf(c.Cause).Target
		r.Causes = append(r.Causes, c)
	}
	crows.Close()
	if r.Repeats, err = repeats(ctx, q, from, to); err != nil {
		return r, err
	}
	if r.Tickets > 0 {
		r.RepeatRate = float64(r.Repeats) / float64(r.Tickets)
	}
	return r, nil
}

// repeats counts the tickets opened in [from, to) whose customer, or
// contact address for guests, opened another ticket in the 7 days
// before. Care tickets are the shop's own and do not count.
func repeats(ctx context.Context, q store.Querier, from, to time.Time) (int, error) {
	rows, err := q.QueryContext(ctx, `SELECT customer_id, contact_email, contact_phone, created_at FROM support_tickets
		WHERE created_at >= $1 AND created_at < $2 AND channel <> 'care' ORDER BY created_at, id`, store.Time(from.Add(-repeatWindow)), store.Time(to))
	if err != nil {
		return 0, fmt.Errorf("support: repeats: %w", err)
	}
	defer rows.Close()
	last := map[string]time.Time{}
	n := 0
	for rows.Next() {
		var customer sql.NullInt64
		var email, phone string
		var at time.Time
		if err := rows.Scan(&customer, &email, &phone, &at); err != nil {
			return 0, fmt.Errorf("support: repeats: %w", err)
		}
		key := email + "|" + phone
		if customer.Valid {
			key = fmt.Sprint(customer.Int64)
		}
		if key == "|" {
			continue
		}
		if prev, ok := last[key]; ok && !at.Before(from) && at.Sub(prev) <= repeatWindow {
			n++
		}
		last[key] = at
	}
	return n, rows.Err()
}

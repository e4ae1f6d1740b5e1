package loyalty

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// move is one ledger write: Points > 0 always; Kind says whether it is a
// credit or a debit.
type move struct {
	Customer platform.ID
	Kind     Kind
	Points   int64
	// Ref makes the move land once; "" makes a fresh one per call.
	Ref     string
	OrderID platform.ID
	// Basis is the amount (fen) an earn was computed on.
	Basis  int64
	Reason string
	Actor  string
}

// lockAccount creates the customer's account at the lowest tier if it
// has none and locks it for the rest of tx (SQLite's writer is serial
// already), returning the balance. Every ledger write starts here, so
// two writes for one customer never interleave.
func lockAccount(ctx context.Context, tx *store.Tx, customerID platform.ID) (int64, error) {
	_, err := tx.ExecContext(ctx, `INSERT INTO loyalty_accounts (customer_id, balance, tier_code, tier_since, spend, updated_at)
		SELECT $1, 0, code, $2, 0, $2 FROM loyalty_tiers WHERE TRUE ORDER BY min_spend, id LIMIT 1
		ON CONFLICT (customer_id) DO NOTHING`, customerID, tx.Now)
	if err != nil {
		return 0, fmt.Errorf("loyalty: account of %d: %w", customerID, err)
	}
	q := `SELECT balance FROM loyalty_accounts WHERE customer_id = $1`
	if tx.Dialect == store.Postgres {
		q += ` FOR UPDATE`
	}
	var bal int64
	if err := tx.QueryRowContext(ctx, q, customerID).Scan(&bal); err != nil {
		return 0, fmt.Errorf("loyalty: lock account of %d: %w", customerID, err)
	}
	return bal, nil
}

// refDone finds the entry that already carries ref.
func refDone(ctx context.Context, tx *store.Tx, ref string) (bool, error) {
	if ref == "" {
		return false, nil
	}
	var id platform.ID
	err := tx.QueryRowContext(ctx, `SELECT id FROM loyalty_entries WHERE ref = $1`, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("loyalty: ref %s: %w", ref, err)
	}
	return true, nil
}

// writeEntry appends the entry and sets the account's balance to after.
func writeEntry(ctx context.Context, tx *store.Tx, id platform.ID, m move, signed, after int64, expires *time.Time) error {
	ref := m.Ref
	if ref == "" {
		ref = string(m.Kind) + ":" + id.String()
	}
	var order any
	if m.OrderID != 0 {
		order = int64(m.OrderID)
	}
	var exp any
	if expires != nil {
		exp = *expires
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_entries (id, customer_id, kind, points, balance_after, ref, order_id, basis, reason, actor, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		id, m.Customer, string(m.Kind), signed, after, ref, order, m.Basis, m.Reason, m.Actor, exp, tx.Now); err != nil {
		if store.IsUniqueViolation(err) {
			// The same event for another customer's account (a ref is
			// global, the lock per customer): refuse, never a 500.
			return platform.E(platform.CodeConflict).Wrap(err)
		}
		return fmt.Errorf("loyalty: entry %s for %d: %w", m.Kind, m.Customer, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE loyalty_accounts SET balance = $1, updated_at = $2 WHERE customer_id = $3`,
		after, tx.Now, m.Customer); err != nil {
		return fmt.Errorf("loyalty: balance of %d: %w", m.Customer, err)
	}
	return nil
}

// credit adds m.Points as a new lot that expires in twelve months. It
// returns the entry's id, or 0 when m.Ref was already written.
func credit(ctx context.Context, tx *store.Tx, m move) (platform.ID, error) {
	if m.Points <= 0 {
		return 0, nil
	}
	bal, err := lockAccount(ctx, tx, m.Customer)
	if err != nil {
		return 0, err
	}
	if done, err := refDone(ctx, tx, m.Ref); done || err != nil {
		return 0, err
	}
	id := tx.NewID()
	exp := expiresAt(tx.Now)
	if err := writeEntry(ctx, tx, id, m, m.Points, bal+m.Points, &exp); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_lots (entry_id, customer_id, expires_at, remaining) VALUES ($1, $2, $3, $4)`,
		id, m.Customer, exp, m.Points); err != nil {
		return 0, fmt.Errorf("loyalty: lot for %d: %w", m.Customer, err)
	}
	return id, nil
}

// debit takes m.Points from the customer's lots, soonest to expire first,
// after expiring the lots already due. With partial, it takes what there
// is (a refund's clawback after the points were spent); without, a
// balance too small is CodeNotEnoughPoints. It returns the points taken
// (0 when m.Ref was already written).
func debit(ctx context.Context, tx *store.Tx, m move, partial bool) (int64, error) {
	if m.Points <= 0 {
		return 0, nil
	}
	if _, err := lockAccount(ctx, tx, m.Customer); err != nil {
		return 0, err
	}
	if done, err := refDone(ctx, tx, m.Ref); done || err != nil {
		return 0, err
	}
	bal, err := expireLocked(ctx, tx, m.Customer)
	if err != nil {
		return 0, err
	}
	want := m.Points
	if want > bal {
		if !partial {
			return 0, platform.E(CodeNotEnoughPoints)
		}
		want = bal
	}
	if want == 0 {
		return 0, nil
	}
	id := tx.NewID()
	if err := consume(ctx, tx, id, m.Customer, want, `expires_at > $2`); err != nil {
		return 0, err
	}
	m.Points = want
	return want, writeEntry(ctx, tx, id, m, -want, bal-want, nil)
}

// consume takes points from the customer's lots matching cond (with $2 the
// transaction's now) in expiry order, recording which lots gave what.
func consume(ctx context.Context, tx *store.Tx, debitID, customerID platform.ID, points int64, cond string) error {
	rows, err := tx.QueryContext(ctx, `SELECT entry_id, remaining FROM loyalty_lots
		WHERE customer_id = $1 AND remaining > 0 AND `+cond+` ORDER BY expires_at, entry_id`, customerID, tx.Now)
	if err != nil {
		return fmt.Errorf("loyalty: lots of %d: %w", customerID, err)
	}
	type take struct {
		lot  platform.ID
		n    int64
		left int64
	}
	var takes []take
	need := points
	for rows.Next() && need > 0 {
		var lot platform.ID
		var rem int64
		if err := rows.Scan(&lot, &rem); err != nil {
			rows.Close()
			return err
		}
		n := min(rem, need)
		need -= n
		takes = append(takes, take{lot, n, rem - n})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if need > 0 {
		return fmt.Errorf("loyalty: lots of %d hold %d points fewer than the balance says", customerID, need)
	}
	for _, t := range takes {
		if _, err := tx.ExecContext(ctx, `UPDATE loyalty_lots SET remaining = $1 WHERE entry_id = $2`, t.left, t.lot); err != nil {
			return fmt.Errorf("loyalty: lot %d: %w", t.lot, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO loyalty_lot_uses (debit_id, lot_id, points) VALUES ($1, $2, $3)`, debitID, t.lot, t.n); err != nil {
			return fmt.Errorf("loyalty: lot use %d: %w", t.lot, err)
		}
	}
	return nil
}

// expireLocked expires the locked customer's lots that are due at tx.Now
// in one entry and returns the balance left.
func expireLocked(ctx context.Context, tx *store.Tx, customerID platform.ID) (int64, error) {
	var bal, due int64
	if err := tx.QueryRowContext(ctx, `SELECT a.balance, COALESCE((SELECT SUM(remaining) FROM loyalty_lots
		WHERE customer_id = $1 AND remaining > 0 AND expires_at <= $2), 0) FROM loyalty_accounts a WHERE a.customer_id = $1`,
		customerID, tx.Now).Scan(&bal, &due); err != nil {
		return 0, fmt.Errorf("loyalty: due points of %d: %w", customerID, err)
	}
	if due == 0 {
		return bal, nil
	}
	id := tx.NewID()
	if err := consume(ctx, tx, id, customerID, due, `expires_at <= $2`); err != nil {
		return 0, err
	}
	m := move{Customer: customerID, Kind: KindExpire, Points: due, Actor: "system"}
	return bal - due, writeEntry(ctx, tx, id, m, -due, bal-due, nil)
}

// restore gives a debit's points back to the lots they came from (which
// keep their expiry: points already past it expire on the next sweep),
// once per ref.
func restore(ctx context.Context, tx *store.Tx, debitRef string, m move) (int64, error) {
	var debitID, customerID platform.ID
	err := tx.QueryRowContext(ctx, `SELECT id, customer_id FROM loyalty_entries WHERE ref = $1`, debitRef).Scan(&debitID, &customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("loyalty: debit %s: %w", debitRef, err)
	}
	m.Customer = customerID
	bal, err := lockAccount(ctx, tx, customerID)
	if err != nil {
		return 0, err
	}
	if done, err := refDone(ctx, tx, m.Ref); done || err != nil {
		return 0, err
	}
	var back int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(points), 0) FROM loyalty_lot_uses WHERE debit_id = $1`, debitID).Scan(&back); err != nil {
		return 0, fmt.Errorf("loyalty: uses of %d: %w", debitID, err)
	}
	if back == 0 {
		return 0, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE loyalty_lots SET remaining = remaining + (SELECT u.points FROM loyalty_lot_uses u
		WHERE u.debit_id = $1 AND u.lot_id = loyalty_lots.entry_id)
		WHERE entry_id IN (SELECT lot_id FROM loyalty_lot_uses WHERE debit_id = $1)`, debitID); err != nil {
		return 0, fmt.Errorf("loyalty: refill lots of %d: %w", debitID, err)
	}
	m.Points = back
	return back, writeEntry(ctx, tx, tx.NewID(), m, back, bal+back, nil)
}

// Imbalance is an account whose balance disagrees with its ledger or its
// lots.
type Imbalance struct {
	CustomerID platform.ID
	Balance    int64
	Ledger     int64
	Lots       int64
}

// CheckLedger lists every account whose balance differs from the sum of
// its ledger entries or of its lots' remaining points (and ledger
// entries without an account). An empty result is the invariant holding.
func CheckLedger(ctx context.Context, q store.Querier) ([]Imbalance, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.customer_id, a.balance, COALESCE(e.total, 0), COALESCE(l.total, 0)
		FROM loyalty_accounts a
		LEFT JOIN (SELECT customer_id, SUM(points) AS total FROM loyalty_entries GROUP BY customer_id) e ON e.customer_id = a.customer_id
		LEFT JOIN (SELECT customer_id, SUM(remaining) AS total FROM loyalty_lots GROUP BY customer_id) l ON l.customer_id = a.customer_id
		WHERE a.balance <> COALESCE(e.total, 0) OR a.balance <> COALESCE(l.total, 0) OR a.balance < 0
		UNION ALL
		SELECT g.customer_id, 0, SUM(g.points), 0 FROM loyalty_entries g
		WHERE NOT EXISTS (SELECT 1 FROM loyalty_accounts a WHERE a.customer_id = g.customer_id)
		GROUP BY g.customer_id`)
	if err != nil {
		return nil, fmt.Errorf("loyalty: check ledger: %w", err)
	}
	defer rows.Close()
	var out []Imbalance
	for rows.Next() {
		var b Imbalance
		if err := rows.Scan(&b.CustomerID, &b.Balance, &b.Ledger, &b.Lots); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func idRef(kind string, id platform.ID) string { return kind + ":" + strconv.FormatInt(int64(id), 10) }

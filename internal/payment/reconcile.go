package payment

import (
	"context"
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Issue kinds the reconciliation flags.
const (
	IssueCapturedUnpaid    = "captured_without_paid_order" // money in, order never marked paid
	IssuePaidUncaptured    = "order_paid_without_capture"  // order paid, no money in
	IssueDuplicateCapture  = "duplicate_capture"           // a second capture of one order
	IssueCaptureAmount     = "capture_amount_mismatch"     // captured ≠ order total
	IssueRefundSum         = "refund_sum_mismatch"         // order's refunded total ≠ its refunds
	IssueRefundLines       = "refund_lines_mismatch"       // a refund's lines + shipping ≠ its amount
	IssueRefundOverCapture = "refund_exceeds_capture"      // refunded more than captured
)

// IssueKinds lists the kinds in the order the console shows them.
var IssueKinds = []string{IssueCapturedUnpaid, IssuePaidUncaptured, IssueDuplicateCapture, IssueCaptureAmount, IssueRefundSum, IssueRefundLines, IssueRefundOverCapture}

// DayReport is one day's reconciliation.
type DayReport struct {
	Day             string         `json:"day"`
	CapturedTotal   platform.Money `json:"captured_total"`
	CapturedCount   int            `json:"captured_count"`
	PaidOrdersTotal platform.Money `json:"paid_orders_total"`
	PaidOrdersCount int            `json:"paid_orders_count"`
	RefundedTotal   platform.Money `json:"refunded_total"`
	RefundCount     int            `json:"refund_count"`
	Issues          int            `json:"issues"`
	ComputedAt      time.Time      `json:"computed_at"`
}

// Mismatch reports whether the day needs a person: captures and paid
// orders disagree, or something was flagged.
func (d DayReport) Mismatch() bool { return d.CapturedTotal != d.PaidOrdersTotal || d.Issues > 0 }

// Issue is one flagged row.
type Issue struct {
	Day       string         `json:"day"`
	Kind      string         `json:"kind"`
	OrderID   platform.ID    `json:"order_id,omitempty"`
	PaymentID platform.ID    `json:"payment_id,omitempty"`
	RefundID  platform.ID    `json:"refund_id,omitempty"`
	Amount    platform.Money `json:"amount"`
	Expected  platform.Money `json:"expected"`
}

// dayBounds is the UTC span of a shop-zone day "2006-01-02".
func dayBounds(day string) (time.Time, time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, day, platform.ShopZone)
	if err != nil {
		return time.Time{}, time.Time{}, platform.Invalid("day", "field.invalid")
	}
	return store.Time(d), store.Time(d.AddDate(0, 0, 1)), nil
}

// issueQueries find each kind of issue for the day [$1, $2): every query
// returns order id, payment id, refund id, amount, expected.
var issueQueries = []struct{ kind, sql string }{
	{IssueCapturedUnpaid, `SELECT p.order_id, p.id, 0, p.amount, 0 FROM payments p JOIN orders o ON o.id = p.order_id
		WHERE p.status = 'captured' AND p.captured_at >= $1 AND p.captured_at < $2 AND o.paid_at IS NULL`},
	{IssuePaidUncaptured, `SELECT o.id, 0, 0, 0, o.total FROM orders o WHERE o.paid_at >= $1 AND o.paid_at < $2
		AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'captured')`},
	{IssueDuplicateCapture, `SELECT p.order_id, p.id, 0, p.amount, 0 FROM payments p WHERE p.status = 'captured' AND p.captured_at >= $1 AND p.captured_at < $2
		AND EXISTS (SELECT 1 FROM payments q WHERE q.order_id = p.order_id AND q.status = 'captured' AND q.id < p.id)`},
	{IssueCaptureAmount, `SELECT p.order_id, p.id, 0, p.amount, o.total FROM payments p JOIN orders o ON o.id = p.order_id
		WHERE p.status = 'captured' AND p.captured_at >= $1 AND p.captured_at < $2 AND p.amount <> o.total`},
	{IssueRefundSum, `SELECT o.id, 0, 0, o.refunded_total, (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.order_id = o.id AND r.status = 'refunded')
		FROM orders o WHERE EXISTS (SELECT 1 FROM refunds d WHERE d.order_id = o.id AND d.status = 'refunded' AND d.refunded_at >= $1 AND d.refunded_at < $2)
		AND o.refunded_total <> (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.order_id = o.id AND r.status = 'refunded')`},
	{IssueRefundLines, `SELECT r.order_id, COALESCE(r.payment_id, 0), r.id, (SELECT SUM(l.amount) FROM refund_lines l WHERE l.refund_id = r.id) + r.shipping_amount, r.amount
		FROM refunds r WHERE r.status = 'refunded' AND r.refunded_at >= $1 AND r.refunded_at < $2
		AND EXISTS (SELECT 1 FROM refund_lines l WHERE l.refund_id = r.id)
		AND (SELECT SUM(l.amount) FROM refund_lines l WHERE l.refund_id = r.id) + r.shipping_amount <> r.amount`},
	{IssueRefundOverCapture, `SELECT o.id, 0, 0, (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.order_id = o.id AND r.status = 'refunded'),
		(SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.order_id = o.id AND p.status = 'captured')
		FROM orders o WHERE EXISTS (SELECT 1 FROM refunds d WHERE d.order_id = o.id AND d.status = 'refunded' AND d.refunded_at >= $1 AND d.refunded_at < $2)
		AND (SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.order_id = o.id AND r.status = 'refunded')
		  > (SELECT COALESCE(SUM(p.amount), 0) FROM payments p WHERE p.order_id = o.id AND p.status = 'captured')`},
}

// Reconcile computes day (shop zone, "2006-01-02") afresh and stores it,
// replacing an earlier run: captured total, paid orders total, refunds,
// and every issue found. Errors: CodeInvalid for a malformed day.
func (s *Service) Reconcile(ctx context.Context, day string) (DayReport, []Issue, error) {
	start, end, err := dayBounds(day)
	if err != nil {
		return DayReport{}, nil, err
	}
	var rep DayReport
	var issues []Issue
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		rep, issues = DayReport{Day: day, ComputedAt: tx.Now}, nil
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM payments WHERE status = 'captured' AND captured_at >= $1 AND captured_at < $2`,
			start, end).Scan(&rep.CapturedCount, &rep.CapturedTotal); err != nil {
			return fmt.Errorf("payment: reconcile captured: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(total), 0) FROM orders WHERE paid_at >= $1 AND paid_at < $2`,
			start, end).Scan(&rep.PaidOrdersCount, &rep.PaidOrdersTotal); err != nil {
			return fmt.Errorf("payment: reconcile orders: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM refunds WHERE status = 'refunded' AND refunded_at >= $1 AND refunded_at < $2`,
			start, end).Scan(&rep.RefundCount, &rep.RefundedTotal); err != nil {
			return fmt.Errorf("payment: reconcile refunds: %w", err)
		}
		for _, q := range issueQueries {
			rows, err := tx.QueryContext(ctx, q.sql, start, end)
			if err != nil {
				return fmt.Errorf("payment: reconcile %s: %w", q.kind, err)
			}
			for rows.Next() {
				is := Issue{Day: day, Kind: q.kind}
				if err := rows.Scan(&is.OrderID, &is.PaymentID, &is.RefundID, &is.Amount, &is.Expected); err != nil {
					rows.Close()
					return err
				}
				issues = append(issues, is)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		rep.Issues = len(issues)
		if _, err := tx.ExecContext(ctx, `DELETE FROM payment_reconciliation_issues WHERE day = $1`, day); err != nil {
			return err
		}
		for _, is := range issues {
			if _, err := tx.ExecContext(ctx, `INSERT INTO payment_reconciliation_issues (id, day, kind, order_id, payment_id, refund_id, amount, expected)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, tx.NewID(), day, is.Kind, nullID(is.OrderID), nullID(is.PaymentID), nullID(is.RefundID), is.Amount, is.Expected); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO payment_reconciliations (day, captured_total, captured_count, paid_orders_total, paid_orders_count, refunded_total, refund_count, issues, computed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (day) DO UPDATE SET captured_total = excluded.captured_total,
			captured_count = excluded.captured_count, paid_orders_total = excluded.paid_orders_total, paid_orders_count = excluded.paid_orders_count,
			refunded_total = excluded.refunded_total, refund_count = excluded.refund_count, issues = excluded.issues, computed_at = excluded.computed_at`,
			day, rep.CapturedTotal, rep.CapturedCount, rep.PaidOrdersTotal, rep.PaidOrdersCount, rep.RefundedTotal, rep.RefundCount, rep.Issues, rep.ComputedAt)
		return err
	})
	return rep, issues, err
}

// Reports lists stored days from..to (inclusive, "2006-01-02"), newest
// first.
func (s *Service) Reports(ctx context.Context, from, to string) ([]DayReport, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT day, captured_total, captured_count, paid_orders_total, paid_orders_count, refunded_total, refund_count, issues, computed_at
		FROM payment_reconciliations WHERE day >= $1 AND day <= $2 ORDER BY day DESC`, from, to)
	if err != nil {
		return nil, fmt.Errorf("payment: reports: %w", err)
	}
	defer rows.Close()
	var out []DayReport
	for rows.Next() {
		var d DayReport
		if err := rows.Scan(&d.Day, &d.CapturedTotal, &d.CapturedCount, &d.PaidOrdersTotal, &d.PaidOrdersCount, &d.RefundedTotal, &d.RefundCount, &d.Issues, &d.ComputedAt); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Issues lists the stored issues of days from..to, newest day first.
func (s *Service) Issues(ctx context.Context, from, to string) ([]Issue, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT day, kind, COALESCE(order_id, 0), COALESCE(payment_id, 0), COALESCE(refund_id, 0), amount, expected
		FROM payment_reconciliation_issues WHERE day >= $1 AND day <= $2 ORDER BY day DESC, kind, id LIMIT 5000`, from, to)
	if err != nil {
		return nil, fmt.Errorf("payment: issues: %w", err)
	}
	defer rows.Close()
	var out []Issue
	for rows.Next() {
		var is Issue
		if err := rows.Scan(&is.Day, &is.Kind, &is.OrderID, &is.PaymentID, &is.RefundID, &is.Amount, &is.Expected); err != nil {
			return nil, err
		}
		out = append(out, is)
	}
	return out, rows.Err()
}

// ShopDay is the shop-zone day of t, "2006-01-02".
func ShopDay(t time.Time) string { return t.In(platform.ShopZone).Format(time.DateOnly) }

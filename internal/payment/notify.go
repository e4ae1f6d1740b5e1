package payment

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Outcomes recorded for a notification.
const (
	outcomeCaptured  = "captured"
	outcomeClosed    = "closed"
	outcomeRefunded  = "refunded"
	outcomeUnchanged = "unchanged" // nothing to do: a later state is known
)

// HandleNotification verifies and applies a provider's notification in
// one transaction: the nonce is new, the notification id is new (a
// duplicate changes nothing and succeeds), the amount and currency match,
// and the payment only moves forward. A nil error means "acknowledge".
// Errors: CodeUnknownProvider, CodeBadSignature (also a replayed nonce),
// CodeBadRequest, CodeAmountMismatch, not found.
func (s *Service) HandleNotification(ctx context.Context, provider string, h http.Header, body []byte) error {
	prov, err := s.Provider(provider)
	if err != nil {
		return err
	}
	n, err := prov.ParseNotification(ctx, h, body)
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if n.Nonce != "" {
			res, err := tx.ExecContext(ctx, `INSERT INTO payment_nonces (provider, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, provider, n.Nonce, tx.Now)
			if err != nil {
				return fmt.Errorf("payment: nonce: %w", err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return platform.E(CodeBadSignature).Wrap(errors.New("replayed nonce"))
			}
		}
		_, err := s.apply(ctx, tx, provider, n)
		return err
	})
}

// apply records notice n once and applies it. It reports false for a
// duplicate (a notice id already recorded), which changes nothing.
func (s *Service) apply(ctx context.Context, tx *store.Tx, provider string, n Notice) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO payment_notifications (provider, notify_id, kind, payment_id, refund_id, amount, outcome, body, received_at)
		VALUES ($1, $2, $3, $4, $5, $6, 'received', $7, $8) ON CONFLICT DO NOTHING`,
		provider, n.ID, string(n.Kind), nullID(n.PaymentID), nullID(n.RefundID), n.Amount, string(n.Body), tx.Now)
	if err != nil {
		return false, fmt.Errorf("payment: notification log: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return false, nil
	}
	outcome := outcomeUnchanged
	switch n.Kind {
	case NoticeCaptured:
		done, err := s.capture(ctx, tx, n.PaymentID, n.Amount, n.Currency, n.ExternalRef, "payment:"+provider, "")
		if err != nil {
			return false, err
		}
		if done {
			outcome = outcomeCaptured
		}
	case NoticeClosed:
		if _, err := getPayment(ctx, tx, n.PaymentID); err != nil {
			return false, err
		}
		done, err := cancel(ctx, tx, n.PaymentID)
		if err != nil {
			return false, err
		}
		if done {
			outcome = outcomeClosed
		}
	case NoticeRefunded:
		done, err := s.completeRefund(ctx, tx, n.RefundID, n.Amount, n.ExternalRef)
		if err != nil {
			return false, err
		}
		if done {
			outcome = outcomeRefunded
		}
	default:
		return false, platform.E(platform.CodeBadRequest)
	}
	_, err = tx.ExecContext(ctx, `UPDATE payment_notifications SET outcome = $1 WHERE provider = $2 AND notify_id = $3`, outcome, provider, n.ID)
	return true, err
}

func nullID(id platform.ID) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// completeRefund marks refund id refunded, once, and tells the order with
// the refund's split over lines. It reports whether this call completed
// it. Errors: not found, CodeAmountMismatch.
func (s *Service) completeRefund(ctx context.Context, tx *store.Tx, id platform.ID, amount platform.Money, ref string) (bool, error) {
	var orderID platform.ID
	var want platform.Money
	if err := tx.QueryRowContext(ctx, `SELECT order_id, amount FROM refunds WHERE id = $1`, id).Scan(&orderID, &want); err != nil {
		return false, store.NotFound(err, "refund")
	}
	if want != amount {
		return false, platform.E(CodeAmountMismatch)
	}
	res, err := tx.ExecContext(ctx, `UPDATE refunds SET status = 'refunded', refunded_at = $1,
		external_ref = CASE WHEN CAST($2 AS TEXT) = '' THEN external_ref ELSE CAST($2 AS TEXT) END
		WHERE id = $3 AND status IN ('requested', 'approved')`, tx.Now, ref, id)
	if err != nil {
		return false, fmt.Errorf("payment: refund done: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return false, nil
	}
	lines, err := refundLines(ctx, tx, id)
	if err != nil {
		return false, err
	}
	if err := s.orders.Refunded(ctx, tx, RefundDone{OrderID: orderID, RefundID: id, Amount: amount, Lines: lines}); err != nil {
		return false, err
	}
	payload := fmt.Sprintf(`{"refund_id":"%s","order_id":"%s","amount":%d}`, id, orderID, amount)
	return true, outbox.Publish(ctx, tx, outbox.Event{Topic: "payment.refunded", Key: orderID.String(), Payload: []byte(payload)})
}

func refundLines(ctx context.Context, q store.Querier, id platform.ID) (map[platform.ID]platform.Money, error) {
	rows, err := q.QueryContext(ctx, `SELECT order_line_id, amount FROM refund_lines WHERE refund_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("payment: refund lines: %w", err)
	}
	defer rows.Close()
	out := map[platform.ID]platform.Money{}
	for rows.Next() {
		var l platform.ID
		var a platform.Money
		if err := rows.Scan(&l, &a); err != nil {
			return nil, err
		}
		out[l] = a
	}
	return out, rows.Err()
}

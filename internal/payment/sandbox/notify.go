package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/store"
)

// NotifyArgs is the job that delivers one notification (the id is a JSON
// string: PostgreSQL's jsonb loses int64 precision on the way back); it fails (and
// River retries it, spaced by the gateway's Backoff) until the merchant
// acknowledges.
type NotifyArgs struct {
	NotificationID int64 `json:"notification_id,string"`
}

// Kind implements river.JobArgs.
func (NotifyArgs) Kind() string { return "sandbox_pay_notify" }

type notifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	g *Gateway
}

// Register adds the gateway's delivery worker to workers.
func (g *Gateway) Register(workers *river.Workers) {
	river.AddWorker(workers, &notifyWorker{g: g})
}

// NextRetry spaces retries by the gateway's backoff instead of River's
// default (which waits hours after a few attempts).
func (w *notifyWorker) NextRetry(job *river.Job[NotifyArgs]) time.Time {
	return time.Now().Add(w.g.retry.after(job.Attempt))
}

func (w *notifyWorker) Work(ctx context.Context, job *river.Job[NotifyArgs]) error {
	g := w.g
	var body, notifyURL, merchant, secret string
	err := g.db.R.QueryRowContext(ctx, `SELECT n.body, t.notify_url, m.id, m.secret FROM sandbox_notifications n
		JOIN sandbox_trades t ON t.id = n.trade_id JOIN sandbox_merchants m ON m.id = t.merchant_id WHERE n.id = $1`,
		job.Args.NotificationID).Scan(&body, &notifyURL, &merchant, &secret)
	if err != nil {
		return fmt.Errorf("sandbox: notification %d: %w", job.Args.NotificationID, err)
	}
	deliverErr := g.deliver(ctx, notifyURL, merchant, secret, []byte(body))
	errText := ""
	if deliverErr != nil {
		errText = deliverErr.Error()
	}
	err = g.db.Write(ctx, func(tx *store.Tx) error {
		var delivered any
		if deliverErr == nil {
			delivered = tx.Now
		}
		_, err := tx.ExecContext(ctx, `UPDATE sandbox_notifications SET attempts = attempts + 1, last_error = $1,
			delivered_at = COALESCE(delivered_at, $2) WHERE id = $3`, errText, delivered, job.Args.NotificationID)
		return err
	})
	if deliverErr != nil {
		return deliverErr
	}
	return err
}

// deliver posts one signed notification and reads the merchant's answer.
func (g *Gateway) deliver(ctx context.Context, notifyURL, merchant, secret string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, notifyURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	Sign(merchant, secret, g.db.Now(), body).Apply(req.Header)
	resp, err := g.client.Do(req)
	if err != nil {
		return fmt.Errorf("sandbox: notify: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(answer)) != Ack {
		return fmt.Errorf("sandbox: notify: merchant answered %d %q", resp.StatusCode, strings.TrimSpace(string(answer)))
	}
	return nil
}

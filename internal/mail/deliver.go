package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/store"
)

// DeliverArgs is the job that delivers one message (the id is a JSON
// string: PostgreSQL's jsonb would lose int64 precision).
type DeliverArgs struct {
	MessageID int64 `json:"message_id,string"`
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "mail_deliver" }

// MaxAttempts is how often a message is tried before it is marked failed;
// with Backoff the last try comes about four hours after the first.
const MaxAttempts = 10

// InsertOpts bounds the attempts.
func (DeliverArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: MaxAttempts} }

// Backoff is the wait before retry attempt n (n ≥ 1 failed attempts):
// 30 seconds doubling, at most an hour, so a mail server's short outage
// costs minutes and a long one does not flood it.
func Backoff(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Deliverer sends queued messages through a transport.
type Deliverer struct {
	DB        *store.DB
	Transport Transport
	From      string
	Log       *slog.Logger
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	d *Deliverer
}

// NextRetry spaces retries by Backoff instead of River's default.
func (w *deliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return time.Now().Add(Backoff(job.Attempt))
}

// Timeout bounds one attempt (dial, TLS, send).
func (w *deliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return 2 * time.Minute }

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	err := w.d.Deliver(ctx, job.Args.MessageID, job.Attempt >= job.MaxAttempts)
	if errors.Is(err, errPermanent) {
		return river.JobCancel(err)
	}
	return err
}

// errPermanent marks a failure recorded as final.
var errPermanent = errors.New("mail: permanent failure")

// Deliver sends message id once. A message already sent or failed is left
// alone (a job may run twice after a crash). On a permanent SMTP answer,
// or a transient one when last is set, the message is marked failed and
// the error wraps errPermanent; a transient failure otherwise is
// returned for the job to retry.
func (d *Deliverer) Deliver(ctx context.Context, id int64, last bool) error {
	var to, subject, text, html string
	var status Status
	err := d.DB.R.QueryRowContext(ctx, `SELECT to_addr, subject, text_body, html_body, status FROM mail_messages WHERE id = $1`, id).
		Scan(&to, &subject, &text, &html, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("mail: message %d is gone: %w", id, errPermanent)
	}
	if err != nil {
		return fmt.Errorf("mail: message %d: %w", id, err)
	}
	if status != StatusQueued {
		return nil
	}
	raw := Compose(d.From, to, fmt.Sprint(id), d.DB.Now(), Rendered{Subject: subject, Text: text, HTML: html})
	sendErr := d.Transport.Send(ctx, envelopeFrom(d.From), to, raw)
	final := sendErr != nil && (last || Permanent(sendErr))
	err = d.DB.Write(ctx, func(tx *store.Tx) error {
		switch {
		case sendErr == nil:
			_, err := tx.ExecContext(ctx, `UPDATE mail_messages SET status = $1, attempts = attempts + 1, last_error = '', sent_at = $2, updated_at = $2
				WHERE id = $3 AND status = $4`, StatusSent, tx.Now, id, StatusQueued)
			return err
		case final:
			_, err := tx.ExecContext(ctx, `UPDATE mail_messages SET status = $1, attempts = attempts + 1, last_error = $2, updated_at = $3
				WHERE id = $4 AND status = $5`, StatusFailed, truncate(sendErr.Error(), 500), tx.Now, id, StatusQueued)
			return err
		default:
			_, err := tx.ExecContext(ctx, `UPDATE mail_messages SET attempts = attempts + 1, last_error = $1, updated_at = $2
				WHERE id = $3 AND status = $4`, truncate(sendErr.Error(), 500), tx.Now, id, StatusQueued)
			return err
		}
	})
	if err != nil {
		return fmt.Errorf("mail: record delivery of %d: %w", id, err)
	}
	if final {
		d.Log.Warn("mail: delivery failed for good", "message", id, "err", sendErr)
		return fmt.Errorf("%w: %w", errPermanent, sendErr)
	}
	return sendErr
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// envelopeFrom is the bare address of a From header value.
func envelopeFrom(from string) string {
	if a, err := Address(from); err == nil {
		return a
	}
	return from
}

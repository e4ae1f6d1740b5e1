package support

import (
	"context"
	"fmt"
	"strings"

	"storeops/internal/jobs"
	"storeops/internal/mail"
	"storeops/internal/store"
)

// The desk's email: a reply or a care message, subject and text as the
// agent or the rule wrote them; the survey invitation in both languages.
const (
	mailMessage = "support.message"
	mailSurvey  = "support.survey"
)

func init() {
	mail.Register(mailMessage, mail.Template{
		Subject: mail.Localized{ZH: "{{.Subject}}", EN: "{{.Subject}}"},
		Text:    mail.Localized{ZH: "{{.Body}}\n\n—— 客服中心（直接回复本邮件即可继续沟通）", EN: "{{.Body}}\n\n— Customer service (reply to this email to continue)"},
	})
	mail.Register(mailSurvey, mail.Template{
		Subject: mail.Localized{ZH: "{{.Subject}}", EN: "{{.Subject}}"},
		Text: mail.Localized{ZH: "您的问题已处理完毕，请为本次服务打分（1–5 分）：\n{{.Link}}",
			EN: "Your request has been resolved. Please rate our service (1–5):\n{{.Link}}"},
	})
}

// mailData is what the desk's templates read.
type mailData struct {
	Subject, Body, Link string
}

// WithJobs gives the service the job queue the mail outbox delivers
// with; without one (tests of the rules alone) emails stay in the desk's
// own record, support_outgoing, with status queued.
func (s *Service) WithJobs(q func() *jobs.Queue, publicURL string) *Service {
	s.jobs, s.publicURL = q, strings.TrimRight(publicURL, "/")
	return s
}

func (s *Service) queue() *jobs.Queue {
	if s.jobs == nil {
		return nil
	}
	return s.jobs()
}

// sendMail records an email to the ticket's contact in the desk's log
// and hands it to the mail outbox, in the caller's transaction.
func sendMail(ctx context.Context, tx *store.Tx, q *jobs.Queue, t Ticket, template string, data mailData) error {
	status := "queued"
	if q != nil {
		if _, err := mail.Enqueue(ctx, tx, q, mail.Message{To: t.ContactEmail, Template: template, Data: data, CustomerID: t.CustomerID}); err != nil {
			return fmt.Errorf("support: mail for %d: %w", t.ID, err)
		}
		status = "mailed"
	}
	body := data.Body
	if body == "" {
		body = data.Link
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO support_outgoing (id, ticket_id, customer_id, to_email, subject, body, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, tx.NewID(), t.ID, nullID(t.CustomerID), t.ContactEmail, data.Subject, body, status, tx.Now)
	if err != nil {
		return fmt.Errorf("support: record mail for %d: %w", t.ID, err)
	}
	return nil
}

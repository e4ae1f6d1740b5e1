// Package mail is the email outbox: a domain renders a message from a
// registered zh/en template and writes it in the transaction of the change
// that sends it (Enqueue), and a background job delivers it over SMTP,
// retrying with backoff and recording a permanent failure. The console
// lists the outbox with each message's status.
//
// A domain registers its templates once (Register, usually from init) and
// calls Enqueue with the job queue it got in module.Deps:
//
//	mail.Register("order.shipped", mail.Template{Subject: ..., Text: ..., HTML: ...})
//	err := db.Write(ctx, func(tx *store.Tx) error {
//		// ... the change ...
//		_, err := mail.Enqueue(ctx, tx, d.Jobs, mail.Message{To: c.Email, Lang: lang, Template: "order.shipped", Data: v})
//		return err
//	})
package mail

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	netmail "net/mail"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"storeops/internal/jobs"
	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrationsFS embed.FS

// Migrations are the outbox table.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrationsFS, "migrations")
	return store.Migrations{Name: "mail", FS: sub}
}

// Status is a message's delivery state.
type Status string

// The statuses: queued until the job delivers it (sent) or gives up
// (failed, with the reason in LastError).
const (
	StatusQueued Status = "queued"
	StatusSent   Status = "sent"
	StatusFailed Status = "failed"
)

// Statuses lists them in the console's order.
var Statuses = []Status{StatusQueued, StatusSent, StatusFailed}

// Label is the message key of the status's name.
func (s Status) Label() string { return "mail.status." + string(s) }

// Localized is one text in Chinese and in English.
type Localized struct{ ZH, EN string }

func (l Localized) in(lang platform.Lang) string {
	if lang == platform.EN && l.EN != "" {
		return l.EN
	}
	return l.ZH
}

// Template is one kind of email. Subject and Text are text/template
// sources, HTML an html/template source (so data is escaped); each gets
// the Message's Data. HTML may be empty for a text-only email.
type Template struct {
	Subject, Text, HTML Localized
}

type parsed struct {
	subject, text [2]*texttemplate.Template
	html          [2]*htmltemplate.Template
}

var (
	regMu    sync.RWMutex
	registry = map[string]*parsed{}
)

// Register adds a template under name (a dotted "<domain>.<what>" key).
// It panics on a source that does not parse or a name used twice: both
// are programming errors found at start-up.
func Register(name string, t Template) {
	p := &parsed{}
	for i, lang := range []platform.Lang{platform.ZH, platform.EN} {
		p.subject[i] = texttemplate.Must(texttemplate.New(name + ".subject").Option("missingkey=error").Parse(t.Subject.in(lang)))
		p.text[i] = texttemplate.Must(texttemplate.New(name + ".text").Option("missingkey=error").Parse(t.Text.in(lang)))
		if src := t.HTML.in(lang); src != "" {
			p.html[i] = htmltemplate.Must(htmltemplate.New(name + ".html").Option("missingkey=error").Parse(src))
		}
	}
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("mail: template " + name + " registered twice")
	}
	registry[name] = p
}

// Rendered is a message ready to send.
type Rendered struct {
	Subject, Text, HTML string
}

// Render renders the template name in lang with data.
func Render(name string, lang platform.Lang, data any) (Rendered, error) {
	regMu.RLock()
	p := registry[name]
	regMu.RUnlock()
	if p == nil {
		return Rendered{}, fmt.Errorf("mail: no template %q", name)
	}
	i := 0
	if lang == platform.EN {
		i = 1
	}
	var out Rendered
	var b bytes.Buffer
	if err := p.subject[i].Execute(&b, data); err != nil {
		return out, fmt.Errorf("mail: render %s subject: %w", name, err)
	}
	// A subject is one line: a newline in data must not start a header.
	out.Subject = strings.Join(strings.Fields(b.String()), " ")
	b.Reset()
	if err := p.text[i].Execute(&b, data); err != nil {
		return out, fmt.Errorf("mail: render %s text: %w", name, err)
	}
	out.Text = b.String()
	if p.html[i] != nil {
		b.Reset()
		if err := p.html[i].Execute(&b, data); err != nil {
			return out, fmt.Errorf("mail: render %s html: %w", name, err)
		}
		out.HTML = b.String()
	}
	return out, nil
}

// Message is an email to send.
type Message struct {
	// To is one address; a display name is dropped.
	To string
	// Lang is the recipient's language (zh-CN when empty).
	Lang     platform.Lang
	Template string
	Data     any
	// CustomerID links the message to a customer (data export, deletion).
	CustomerID platform.ID
}

// ErrNoQueue is returned by Enqueue without a job queue.
var ErrNoQueue = errors.New("mail: no job queue to deliver with")

// Enqueue renders m and writes it to the outbox in tx, with the job that
// delivers it: both commit or roll back with the caller's change. It
// returns the message's id.
//
// Errors: CodeInvalid for an unusable address, a render error for a
// template that is missing or fails on the data, ErrNoQueue.
func Enqueue(ctx context.Context, tx *store.Tx, q *jobs.Queue, m Message) (platform.ID, error) {
	if q == nil {
		return 0, ErrNoQueue
	}
	to, err := Address(m.To)
	if err != nil {
		return 0, err
	}
	if m.Lang != platform.EN {
		m.Lang = platform.ZH
	}
	r, err := Render(m.Template, m.Lang, m.Data)
	if err != nil {
		return 0, err
	}
	id := tx.NewID()
	var cust any
	if m.CustomerID != 0 {
		cust = int64(m.CustomerID)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO mail_messages
		(id, to_addr, lang, template, subject, text_body, html_body, customer_id, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
		int64(id), to, string(m.Lang), m.Template, r.Subject, r.Text, r.HTML, cust, StatusQueued, tx.Now); err != nil {
		return 0, fmt.Errorf("mail: enqueue: %w", err)
	}
	if _, err := q.InsertTx(ctx, tx, DeliverArgs{MessageID: int64(id)}, nil); err != nil {
		return 0, fmt.Errorf("mail: enqueue: %w", err)
	}
	return id, nil
}

// Address checks a recipient and returns the bare address.
func Address(s string) (string, error) {
	a, err := netmail.ParseAddress(strings.TrimSpace(s))
	if err != nil || len(a.Address) > 254 || strings.ContainsAny(a.Address, "\r\n") {
		return "", platform.Invalid("to", "mail.address_invalid")
	}
	return a.Address, nil
}

// Stored is a message in the outbox, as the console and the data export
// show it.
type Stored struct {
	ID         platform.ID  `json:"id"`
	To         string       `json:"to"`
	Lang       string       `json:"lang"`
	Template   string       `json:"template"`
	Subject    string       `json:"subject"`
	Text       string       `json:"text,omitempty"`
	CustomerID *platform.ID `json:"customer_id,omitempty"`
	Status     Status       `json:"status"`
	Attempts   int          `json:"attempts"`
	LastError  string       `json:"last_error,omitempty"`
	CreatedAt  time.Time    `json:"created_at"`
	SentAt     *time.Time   `json:"sent_at,omitempty"`
}

// Erase blanks the outbox's copies of messages to a customer who deleted
// their account (by customer id, or to their address), in the deletion's
// transaction: the record that a message went out stays, its address and
// content do not. Queued messages are marked failed so nothing is sent.
func Erase(ctx context.Context, tx *store.Tx, customerID platform.ID, email string) error {
	_, err := tx.ExecContext(ctx, `UPDATE mail_messages SET to_addr = '', subject = '', text_body = '', html_body = '',
		status = CASE WHEN status = $1 THEN $2 ELSE status END, last_error = CASE WHEN status = $1 THEN 'recipient deleted' ELSE last_error END,
		updated_at = $3 WHERE customer_id = $4 OR (to_addr = $5 AND $5 <> '')`,
		StatusQueued, StatusFailed, tx.Now, int64(customerID), email)
	if err != nil {
		return fmt.Errorf("mail: erase: %w", err)
	}
	return nil
}

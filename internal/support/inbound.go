package support

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"storeops/internal/audit"
	"storeops/internal/customer"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// maxMail bounds one inbound message: a customer's text with a photo or
// two; the listener refuses anything larger at the protocol level.
const maxMail = 4 << 20

// Inbound is the service desk's mailbox: an SMTP server that turns each
// message into a ticket, or into a reply on the ticket whose token the
// subject carries ("Re: … [#TOKEN]") or the recipient's plus address
// (support+TOKEN@shop.example). The shop's mail exchanger (or a
// forwarding rule of its mail provider) delivers to it; it is off unless
// an address is configured.
type Inbound struct {
	s   *Service
	log *slog.Logger
	srv *smtp.Server
}

// NewInbound makes the listener for the shop's domain (named in the
// greeting). Serve starts it.
func (s *Service) NewInbound(domain string, log *slog.Logger) *Inbound {
	if log == nil {
		log = slog.Default()
	}
	in := &Inbound{s: s, log: log}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{in: in}, nil }))
	srv.Domain = domain
	srv.MaxMessageBytes = maxMail
	srv.MaxRecipients = 10
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.EnableSMTPUTF8 = true
	in.srv = srv
	return in
}

// Serve accepts connections on l until Close.
func (in *Inbound) Serve(l net.Listener) error {
	err := in.srv.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops the listener, letting sessions in flight finish before
// ctx ends.
func (in *Inbound) Close(ctx context.Context) error {
	return in.srv.Shutdown(ctx)
}

type session struct {
	in   *Inbound
	from string
	to   []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data reads the message and files it. A message the desk cannot read
// is refused with a permanent error, so the sender's server tells them;
// a database failure is a temporary error, so it tries again later.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, maxMail+1))
	if err != nil {
		return err
	}
	m, err := ParseMail(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "message not understood"}
	}
	if m.From == "" {
		m.From = s.from
	}
	m.To = s.to
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := s.in.s.Receive(ctx, m); err != nil {
		if e := platform.AsError(err); e.Code != platform.CodeInternal {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "message refused: " + string(e.Code)}
		}
		s.in.log.Error("support: inbound mail", "err", err)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	return nil
}

// Mail is an inbound message reduced to what the desk needs.
type Mail struct {
	From, Name, Subject, Body string
	To                        []string
	// Auto is set for automatic mail (out-of-office, bounces, lists),
	// which is dropped so two robots never answer each other forever.
	Auto bool
}

var wordDecoder = &mime.WordDecoder{CharsetReader: charsetReader}

// charsetReader decodes the charsets Chinese mail arrives in besides
// UTF-8: GB2312, GBK and GB18030 (a superset of both).
func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii", "":
		return r, nil
	case "gb2312", "gbk", "gb18030", "x-gbk", "cp936":
		return transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder()), nil
	}
	return nil, fmt.Errorf("support: charset %q", charset)
}

// ParseMail reads a message: the sender, the subject (RFC 2047 words
// decoded) and the plain text of the body (the text/plain part of a
// multipart message, else the HTML part with its tags removed), decoded
// from quoted-printable or base64 and from its charset.
func ParseMail(raw []byte) (Mail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Mail{}, err
	}
	var m Mail
	if from, err := (&mail.AddressParser{WordDecoder: wordDecoder}).Parse(msg.Header.Get("From")); err == nil {
		m.From, m.Name = strings.ToLower(from.Address), from.Name
	}
	m.Subject, err = wordDecoder.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		m.Subject = msg.Header.Get("Subject")
	}
	auto := strings.ToLower(msg.Header.Get("Auto-Submitted"))
	prec := strings.ToLower(msg.Header.Get("Precedence"))
	m.Auto = (auto != "" && auto != "no") || prec == "bulk" || prec == "junk" || prec == "list" || msg.Header.Get("List-Id") != ""
	text, err := bodyText(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, 0)
	if err != nil {
		return Mail{}, err
	}
	m.Body = stripQuoted(text)
	return m, nil
}

var tags = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)

// bodyText is the readable text of one MIME entity.
func bodyText(ctype, cte string, r io.Reader, depth int) (string, error) {
	if depth > 5 {
		return "", errors.New("support: mail nested too deep")
	}
	media, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		media, params = "text/plain", map[string]string{}
	}
	if strings.HasPrefix(media, "multipart/") {
		mr := multipart.NewReader(r, params["boundary"])
		var plain, html string
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return "", err
			}
			t, err := bodyText(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, depth+1)
			if err != nil {
				continue
			}
			pm, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			switch {
			case plain == "" && (pm == "text/plain" || pm == "" || strings.HasPrefix(pm, "multipart/")) && t != "":
				plain = t
			case html == "" && pm == "text/html":
				html = t
			}
		}
		if plain != "" {
			return plain, nil
		}
		return html, nil
	}
	if !strings.HasPrefix(media, "text/") {
		return "", nil
	}
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64Reader(r)
	}
	cr, err := charsetReader(params["charset"], r)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(io.LimitReader(cr, maxMail))
	if err != nil {
		return "", err
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	if media == "text/html" {
		s = strings.TrimSpace(htmlUnescape(tags.ReplaceAllString(s, "")))
	}
	return s, nil
}

// quoteHeader finds where a mail client starts quoting the message being
// answered: "On … wrote:", "在 … 写道：", "-----Original Message-----".
var quoteHeader = regexp.MustCompile(`(?m)^(On .+ wrote:|在.+写道[：:]|-+ ?Original Message ?-+|-+ ?原始邮件 ?-+)\s*$`)

// stripQuoted keeps the new text of a reply: it cuts at the quote header
// and drops "> " lines.
func stripQuoted(s string) string {
	if loc := quoteHeader.FindStringIndex(s); loc != nil && loc[0] > 0 {
		s = s[:loc[0]]
	}
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), ">") {
			continue
		}
		out = append(out, strings.TrimRight(line, " \t\r"))
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// tokenInSubject finds a ticket token "[#ABCDEFGHJKLM]".
var tokenInSubject = regexp.MustCompile(`\[#([A-Z2-7]{12})\]`)

// threadToken is the token a reply carries in its subject or in a
// recipient's plus address.
func threadToken(m Mail) string {
	if v := tokenInSubject.FindStringSubmatch(m.Subject); v != nil {
		return v[1]
	}
	for _, to := range m.To {
		local, _, _ := strings.Cut(to, "@")
		if _, tag, ok := strings.Cut(local, "+"); ok && len(tag) == 12 {
			return strings.ToUpper(tag)
		}
	}
	return ""
}

// Receive files an inbound email: a reply from the ticket's contact on
// the ticket its token names (reopening it), else a new ticket of the
// email channel, the customer's if an account has that address.
// Automatic mail is dropped (zero id).
//
// Errors: CodeInvalid (no sender or empty text), CodeTooMany, or a
// database error.
func (s *Service) Receive(ctx context.Context, m Mail) (platform.ID, error) {
	if m.Auto {
		return 0, nil
	}
	from, ok := customer.NormalizeEmail(m.From)
	if !ok {
		return 0, platform.Invalid("email", "support.field.email_invalid")
	}
	body, err := checkBody(m.Body)
	if err != nil {
		return 0, err
	}
	subject := strings.TrimSpace(tokenInSubject.ReplaceAllString(m.Subject, ""))
	if tok := threadToken(m); tok != "" {
		var id platform.ID
		err := s.db.Write(ctx, func(tx *store.Tx) error {
			var email string
			err := tx.QueryRowContext(ctx, `SELECT id, contact_email FROM support_tickets WHERE reply_token = $1`, tok).Scan(&id, &email)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && !strings.EqualFold(email, from)) {
				id = 0
				return nil
			}
			if err != nil {
				return fmt.Errorf("support: thread %s: %w", tok, err)
			}
			t, err := lockTicket(ctx, tx, id)
			if err != nil {
				return err
			}
			if t.Status == Closed {
				id = 0
				return nil
			}
			if err := customerMessageTx(ctx, tx, t, Email, body); err != nil {
				return err
			}
			t.Status = Open
			return publish(ctx, tx, TopicReplied, t)
		})
		if err != nil || id != 0 {
			return id, err
		}
	}
	var customerID platform.ID
	if err := s.db.R.QueryRowContext(ctx, `SELECT id FROM customers WHERE email = $1`, from).Scan(&customerID); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("support: customer of %s: %w", from, err)
	}
	name := m.Name
	if len([]rune(name)) > maxName {
		name = string([]rune(name)[:maxName])
	}
	if len([]rune(subject)) > maxSubject {
		subject = string([]rune(subject)[:maxSubject])
	}
	t, err := s.Open(ctx, audit.System, NewTicket{CustomerID: customerID, Name: name, Email: from, Channel: Email, Type: PreSale, Subject: subject, Body: body})
	return t.ID, err
}

package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPConfig is where mail goes. An empty Host means no server: messages
// are written to the log instead (development).
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// From is the sender address (with an optional display name).
	From string
	// TLS is "starttls" (default; required before AUTH), "tls" (implicit,
	// port 465) or "none" (a trusted local relay or a test server).
	TLS string
	// Timeout bounds one delivery (default 30s).
	Timeout time.Duration
}

// Transport sends one raw RFC 5322 message.
type Transport interface {
	Send(ctx context.Context, from, to string, raw []byte) error
}

// NewTransport is the transport cfg asks for: SMTP, or the log when no
// host is configured.
func NewTransport(cfg SMTPConfig, log *slog.Logger) Transport {
	if cfg.Host == "" {
		return logTransport{log: log}
	}
	if cfg.Port == 0 {
		cfg.Port = 587
		if cfg.TLS == "tls" {
			cfg.Port = 465
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &smtpTransport{cfg: cfg}
}

type smtpTransport struct{ cfg SMTPConfig }

// Send dials, upgrades to TLS as configured, authenticates and sends.
func (t *smtpTransport) Send(ctx context.Context, from, to string, raw []byte) error {
	addr := net.JoinHostPort(t.cfg.Host, strconv.Itoa(t.cfg.Port))
	d := net.Dialer{Timeout: t.cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("mail: dial %s: %w", addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(t.cfg.Timeout))
	tlsConf := &tls.Config{ServerName: t.cfg.Host, MinVersion: tls.VersionTLS12}
	var c *smtp.Client
	switch t.cfg.TLS {
	case "none":
		c = smtp.NewClient(conn)
	case "tls":
		c = smtp.NewClient(tls.Client(conn, tlsConf))
	default:
		c, err = smtp.NewClientStartTLS(conn, tlsConf)
		if err != nil {
			conn.Close()
			return fmt.Errorf("mail: starttls %s: %w", addr, err)
		}
	}
	defer c.Close()
	if t.cfg.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", t.cfg.Username, t.cfg.Password)); err != nil {
			return fmt.Errorf("mail: auth: %w", err)
		}
	}
	if err := c.SendMail(from, []string{to}, bytes.NewReader(raw)); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return c.Quit()
}

// logTransport writes each message to the log: a development shop with
// no SMTP server still shows what it would have sent (sign-in codes,
// reset links).
type logTransport struct{ log *slog.Logger }

func (t logTransport) Send(_ context.Context, from, to string, raw []byte) error {
	t.log.Info("mail: no SMTP server configured; message logged instead of sent", "from", from, "to", to, "message", string(raw))
	return nil
}

// Permanent reports an SMTP answer that retrying cannot fix (5xx: unknown
// mailbox, refused content).
func Permanent(err error) bool {
	var se *smtp.SMTPError
	return errors.As(err, &se) && se.Code >= 500 && se.Code < 600
}

// Compose builds the raw message: UTF-8 headers (RFC 2047), a text part
// and, when html is set, an HTML alternative, both quoted-printable.
func Compose(from, to string, id string, now time.Time, r Rendered) []byte {
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", encodeAddress(from))
	h("To", to)
	h("Subject", mime.BEncoding.Encode("UTF-8", r.Subject))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", "<"+id+"."+randomHex(6)+"@"+domainOf(from)+">")
	h("MIME-Version", "1.0")
	if r.HTML == "" {
		h("Content-Type", `text/plain; charset="UTF-8"`)
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeQP(&b, r.Text)
		return b.Bytes()
	}
	boundary := "storeops-" + randomHex(12)
	h("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ ctype, body string }{{"text/plain", r.Text}, {"text/html", r.HTML}} {
		b.WriteString("--" + boundary + "\r\n")
		h("Content-Type", part.ctype+`; charset="UTF-8"`)
		h("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeQP(&b, part.body)
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes()
}

func writeQP(b *bytes.Buffer, s string) {
	w := quotedprintable.NewWriter(b)
	_, _ = w.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")))
	_ = w.Close()
}

// encodeAddress encodes a display name that is not ASCII.
func encodeAddress(s string) string {
	if a, err := netmail.ParseAddress(s); err == nil {
		return a.String()
	}
	return s
}

func domainOf(addr string) string {
	if a, err := netmail.ParseAddress(addr); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 {
			return a.Address[i+1:]
		}
	}
	return "storeops.local"
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

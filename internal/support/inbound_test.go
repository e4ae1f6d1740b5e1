package support_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/store/storetest"
	"storeops/internal/support"
)

// startInbound runs the desk's SMTP listener on a free loopback port.
func startInbound(t *testing.T, s *support.Service) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in := s.NewInbound("shop.test", apptest.Logger())
	go func() { _ = in.Serve(l) }()
	t.Cleanup(func() { _ = in.Close(context.Background()) })
	return l.Addr().String()
}

// send delivers one message over SMTP and returns the server's answer.
func send(t *testing.T, addr, from, to, msg string) error {
	t.Helper()
	return smtp.SendMail(addr, nil, from, []string{to}, []byte(strings.ReplaceAll(msg, "\n", "\r\n")))
}

func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString([]byte(b))
}

// A customer writes to the service address from a Chinese mail client
// (GBK subject, base64 body), the agent answers, the customer's "Re:"
// with the quoted history comes back onto the same ticket; a stranger
// using the same token opens a ticket of their own; an out-of-office
// reply is dropped; a message without text is refused.
func TestInboundEmail(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "mailer")
		s := support.NewService(a.DB)
		by, _ := agent(t, a, "xiaomei")
		addr := startInbound(t, s)

		first := "From: =?GBK?B?" + gbk(t, "王小明") + "?= <Mailer@Example.com>\nTo: kefu@shop.test\nSubject: =?GBK?B?" + gbk(t, "发票怎么开") + "?=\n" +
			"MIME-Version: 1.0\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: base64\n\n" + gbk(t, "你好，订单的发票怎么开？<b>急</b>") + "\n"
		if err := send(t, addr, "mailer@example.com", "kefu@shop.test", first); err != nil {
			t.Fatal(err)
		}
		page, err := support.List(ctx, a.DB.R, support.Filter{Channel: support.Email})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("tickets: %v %d", err, len(page.Items))
		}
		tk := page.Items[0]
		if tk.Subject != "发票怎么开" || tk.ContactName != "王小明" || tk.ContactEmail != "mailer@example.com" || tk.CustomerID != buyer.ID {
			t.Errorf("ticket: %+v", tk)
		}
		msgs, _ := support.Messages(ctx, a.DB.R, tk.ID, false)
		if len(msgs) != 1 || msgs[0].Body != "你好，订单的发票怎么开？<b>急</b>" || msgs[0].Via != support.Email {
			t.Errorf("first message: %+v", msgs)
		}

		if _, err := s.Reply(ctx, by, tk.ID, "您好，在订单页申请即可"); err != nil {
			t.Fatal(err)
		}
		var subject string
		if err := a.DB.R.QueryRow(`SELECT subject FROM support_outgoing WHERE ticket_id = $1`, tk.ID).Scan(&subject); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(subject, "[#"+tk.ReplyToken+"]") {
			t.Fatalf("reply subject %q", subject)
		}

		reply := "From: mailer@example.com\nTo: kefu@shop.test\nSubject: " + mimeWord("回复："+subject) + "\n" +
			"MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=XX\n\n--XX\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" +
			"=E5=A5=BD=E7=9A=84=EF=BC=8C=E8=B0=A2=E8=B0=A2\n\nOn Mon, 23 Nov 2026 at 10:00, Shop wrote:\n> =E6=82=A8=E5=A5=BD\n--XX\nContent-Type: text/html; charset=utf-8\n\n<p>好的，谢谢</p>\n--XX--\n"
		if err := send(t, addr, "mailer@example.com", "kefu@shop.test", reply); err != nil {
			t.Fatal(err)
		}
		msgs, _ = support.Messages(ctx, a.DB.R, tk.ID, false)
		if len(msgs) != 3 || msgs[2].Body != "好的，谢谢" || msgs[2].Author != support.ByCustomer {
			t.Errorf("threaded reply: %+v", msgs)
		}
		if tk, _ = s.Get(ctx, tk.ID); tk.Status != support.Open {
			t.Errorf("status after the reply: %s", tk.Status)
		}

		// The token in a stranger's mail does not put them on the ticket.
		stranger := "From: other@example.com\nTo: kefu+" + strings.ToLower(tk.ReplyToken) + "@shop.test\nSubject: hello\n\nI am someone else\n"
		if err := send(t, addr, "other@example.com", "kefu+"+strings.ToLower(tk.ReplyToken)+"@shop.test", stranger); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets WHERE contact_email = 'other@example.com'`); n != 1 {
			t.Errorf("%d tickets of the stranger", n)
		}
		// Plus addressing threads the contact's own mail.
		plus := "From: mailer@example.com\nTo: kefu+" + strings.ToLower(tk.ReplyToken) + "@shop.test\nSubject: more\n\none more thing\n"
		if err := send(t, addr, "mailer@example.com", "kefu+"+strings.ToLower(tk.ReplyToken)+"@shop.test", plus); err != nil {
			t.Fatal(err)
		}
		if msgs, _ = support.Messages(ctx, a.DB.R, tk.ID, false); len(msgs) != 4 {
			t.Errorf("plus-addressed reply: %d messages", len(msgs))
		}

		ooo := "From: robot@example.com\nTo: kefu@shop.test\nSubject: Out of office\nAuto-Submitted: auto-replied\n\nI am away\n"
		if err := send(t, addr, "robot@example.com", "kefu@shop.test", ooo); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets WHERE contact_email = 'robot@example.com'`); n != 0 {
			t.Errorf("auto-reply opened %d tickets", n)
		}
		err = send(t, addr, "empty@example.com", "kefu@shop.test", "From: empty@example.com\nSubject: x\n\n   \n")
		var te *textproto.Error
		if !errors.As(err, &te) || te.Code != 550 {
			t.Errorf("empty message: %v", err)
		}
	})
}

func mimeWord(s string) string {
	return "=?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
}

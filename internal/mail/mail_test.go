package mail_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/mail"
	"storeops/internal/mail/mailtest"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

func init() {
	mail.Register("test.hello", mail.Template{
		Subject: mail.Localized{ZH: "你好，{{.Name}}", EN: "Hello, {{.Name}}"},
		Text:    mail.Localized{ZH: "{{.Name}}，欢迎光临。", EN: "Welcome, {{.Name}}."},
		HTML:    mail.Localized{ZH: "<p>{{.Name}}，欢迎光临。</p>", EN: "<p>Welcome, {{.Name}}.</p>"},
	})
}

type hello struct{ Name string }

func TestRenderEscapesAndPicksLanguage(t *testing.T) {
	r, err := mail.Render("test.hello", platform.EN, hello{Name: "<b>Ann</b>\nBcc: x@evil"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Subject, "\n") || !strings.HasPrefix(r.Subject, "Hello, <b>Ann</b> Bcc") {
		t.Errorf("subject %q: want one line", r.Subject)
	}
	if strings.Contains(r.HTML, "<b>") || !strings.Contains(r.HTML, "&lt;b&gt;Ann") {
		t.Errorf("html not escaped: %q", r.HTML)
	}
	zh, _ := mail.Render("test.hello", platform.ZH, hello{Name: "小明"})
	if zh.Subject != "你好，小明" || zh.Text != "小明，欢迎光临。" {
		t.Errorf("zh = %+v", zh)
	}
	if _, err := mail.Render("test.nope", platform.ZH, nil); err == nil {
		t.Error("unknown template rendered")
	}
	if _, err := mail.Render("test.hello", platform.ZH, map[string]string{}); err == nil {
		t.Error("missing key rendered")
	}
}

// enqueue writes a message in its own transaction.
func enqueue(t *testing.T, a *app.App, to string, lang platform.Lang) platform.ID {
	t.Helper()
	var id platform.ID
	err := a.DB.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		id, err = mail.Enqueue(context.Background(), tx, a.Jobs, mail.Message{To: to, Lang: lang, Template: "test.hello", Data: hello{Name: "小明"}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func status(t *testing.T, db *store.DB, id platform.ID) (mail.Status, int, string) {
	t.Helper()
	var s mail.Status
	var n int
	var e string
	if err := db.R.QueryRow(`SELECT status, attempts, last_error FROM mail_messages WHERE id = $1`, int64(id)).Scan(&s, &n, &e); err != nil {
		t.Fatal(err)
	}
	return s, n, e
}

// TestDeliveredByJobOverSMTP: the job queue delivers an enqueued message
// to a real SMTP server, with a UTF-8 subject and both parts.
func TestDeliveredByJobOverSMTP(t *testing.T) {
	srv := mailtest.Start(t)
	apptest.Each(t, apptest.Options{SMTP: srv.Config()}, func(t *testing.T, a *app.App) {
		before := len(srv.Messages())
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := a.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer a.Stop(context.Background())
		id := enqueue(t, a, "Ann <ann@example.com>", platform.ZH)
		msgs := srv.Wait(t, before+1, 30*time.Second)
		m := msgs[before]
		if m.To != "ann@example.com" || m.From != "shop@test.local" || m.Subject != "你好，小明" ||
			!strings.Contains(m.Text, "欢迎光临") || !strings.Contains(m.HTML, "<p>小明，欢迎光临。</p>") {
			t.Errorf("received %+v", m)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			st, n, _ := status(t, a.DB, id)
			if st == mail.StatusSent && n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("status %s after %d attempts", st, n)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// TestRetriesAndPermanentFailure drives the delivery step directly: a 4xx
// answer is retried, a 5xx answer or the last attempt is recorded as a
// permanent failure.
func TestRetriesAndPermanentFailure(t *testing.T) {
	srv := mailtest.Start(t)
	apptest.Each(t, apptest.Options{SMTP: srv.Config()}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		cfg := srv.Config()
		d := &mail.Deliverer{DB: a.DB, From: cfg.From, Log: apptest.Logger(),
			Transport: mail.NewTransport(mail.SMTPConfig{Host: cfg.Host, Port: cfg.Port, TLS: "none"}, apptest.Logger())}

		id := enqueue(t, a, "bob@example.com", platform.EN)
		srv.FailNext(451)
		if err := d.Deliver(ctx, int64(id), false); err == nil || mail.Permanent(err) {
			t.Fatal("a refused delivery returned no error")
		}
		if st, n, e := status(t, a.DB, id); st != mail.StatusQueued || n != 1 || !strings.Contains(e, "451") {
			t.Errorf("after 451: %s %d %q", st, n, e)
		}
		if err := d.Deliver(ctx, int64(id), false); err != nil {
			t.Fatal(err)
		}
		if st, n, _ := status(t, a.DB, id); st != mail.StatusSent || n != 2 {
			t.Errorf("after retry: %s %d", st, n)
		}
		// Delivering a sent message again sends nothing.
		sent := len(srv.Messages())
		if err := d.Deliver(ctx, int64(id), false); err != nil || len(srv.Messages()) != sent {
			t.Errorf("second delivery of a sent message: %v, %d messages", err, len(srv.Messages())-sent)
		}

		id2 := enqueue(t, a, "nobody@example.com", platform.EN)
		srv.FailNext(550)
		if err := d.Deliver(ctx, int64(id2), false); !mail.Permanent(err) {
			t.Errorf("550: %v, want a permanent error", err)
		}
		if st, _, e := status(t, a.DB, id2); st != mail.StatusFailed || !strings.Contains(e, "550") {
			t.Errorf("after 550: %s %q", st, e)
		}

		id3 := enqueue(t, a, "late@example.com", platform.EN)
		srv.FailNext(421)
		if err := d.Deliver(ctx, int64(id3), true); err == nil {
			t.Error("last attempt failed without an error")
		}
		if st, _, _ := status(t, a.DB, id3); st != mail.StatusFailed {
			t.Errorf("last attempt: %s, want failed", st)
		}
	})
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	if mail.Backoff(1) != 30*time.Second || mail.Backoff(2) != time.Minute || mail.Backoff(30) != time.Hour {
		t.Errorf("backoff %s %s %s", mail.Backoff(1), mail.Backoff(2), mail.Backoff(30))
	}
}

// TestRolledBackChangeSendsNothing: a message belongs to its transaction.
func TestRolledBackChangeSendsNothing(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		boom := errors.New("boom")
		err := a.DB.Write(context.Background(), func(tx *store.Tx) error {
			if _, err := mail.Enqueue(context.Background(), tx, a.Jobs, mail.Message{To: "x@example.com", Template: "test.hello", Data: hello{"x"}}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM mail_messages`); n != 0 {
			t.Errorf("%d messages after rollback", n)
		}
		err = a.DB.Write(context.Background(), func(tx *store.Tx) error {
			_, err := mail.Enqueue(context.Background(), tx, a.Jobs, mail.Message{To: "not an address", Template: "test.hello", Data: hello{"x"}})
			return err
		})
		if platform.ErrorCode(err) != platform.CodeInvalid {
			t.Errorf("bad address: %v", err)
		}
	})
}

// TestConsoleListsOutbox: service staff see the outbox with statuses; a
// role without the permission is refused.
func TestConsoleListsOutbox(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		enqueue(t, a, "carol@example.com", platform.ZH)
		c := apptest.NewClient(t, base)
		tok := apptest.StaffToken(t, a, platform.RoleService)
		res, body := c.Do("GET", "/console/mail?status=queued", "", "", "Authorization", "Bearer "+tok)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "carol@example.com") || !strings.Contains(body, "待发送") {
			t.Errorf("console: %d %s", res.StatusCode, body)
		}
		res, body = c.Do("GET", "/api/v1/admin/mail?status=bogus", "", "", "Authorization", "Bearer "+tok)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, _ = c.Do("GET", "/console/mail", "", "", "Authorization", "Bearer "+apptest.StaffToken(t, a, platform.RoleCatalog))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("catalog role: %d", res.StatusCode)
		}
	})
}

package support_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/mail/mailtest"
	"storeops/internal/support"
)

// An email conversation over real SMTP both ways: a guest writes to the
// desk's listener, the agent's reply leaves through the mail outbox to
// the guest's mail server with the ticket token in the subject, the
// guest answers that email and the answer lands on the same ticket; the
// resolution sends the survey link.
func TestEmailRoundTrip(t *testing.T) {
	srv := mailtest.Start(t)
	apptest.Each(t, apptest.Options{SMTP: srv.Config()}, func(t *testing.T, a *app.App) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := a.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer a.Stop(context.Background())
		base := apptest.Serve(t, a)
		_, tok := agent(t, a, "xiaomei")
		addr := startInbound(t, support.NewService(a.DB))
		before := len(srv.Messages())

		if err := send(t, addr, "guest@example.com", "kefu@shop.test", "From: Guest <guest@example.com>\nTo: kefu@shop.test\nSubject: where is my parcel\n\nOrder placed last week, nothing yet.\n"); err != nil {
			t.Fatal(err)
		}
		page, err := support.List(ctx, a.DB.R, support.Filter{Channel: support.Email})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("tickets: %v %d", err, len(page.Items))
		}
		tk := page.Items[0]
		staff := apptest.NewClient(t, base)
		res, body := staff.JSON("POST", "/api/v1/admin/support/tickets/"+tk.ID.String()+"/reply", `{"body":"It left the warehouse today."}`, "Authorization", "Bearer "+tok)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("reply: %d %s", res.StatusCode, body)
		}
		got := srv.Wait(t, before+1, 20*time.Second)
		out := got[len(got)-1]
		if !strings.Contains(out.To, "guest@example.com") || !strings.Contains(out.Subject, "[#"+tk.ReplyToken+"]") || !strings.Contains(out.Text, "It left the warehouse today.") {
			t.Fatalf("outgoing: %+v", out)
		}
		answer := "From: guest@example.com\nTo: kefu@shop.test\nSubject: Re: " + out.Subject + "\n\nThanks!\n\nOn Tue, Shop wrote:\n> It left the warehouse today.\n"
		if err := send(t, addr, "guest@example.com", "kefu@shop.test", answer); err != nil {
			t.Fatal(err)
		}
		msgs, _ := support.Messages(ctx, a.DB.R, tk.ID, false)
		if len(msgs) != 3 || msgs[2].Body != "Thanks!" {
			t.Errorf("conversation: %+v", msgs)
		}
		res, body = staff.JSON("POST", "/api/v1/admin/support/tickets/"+tk.ID.String()+"/resolve", ``, "Authorization", "Bearer "+tok)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("resolve: %d %s", res.StatusCode, body)
		}
		got = srv.Wait(t, before+2, 20*time.Second)
		tk, _ = support.NewService(a.DB).Get(ctx, tk.ID)
		if survey := got[len(got)-1]; !strings.Contains(survey.Text, "/support/survey/"+tk.CSATToken) {
			t.Errorf("survey mail: %+v", survey)
		}
	})
}

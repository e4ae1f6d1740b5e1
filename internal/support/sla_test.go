package support_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
	"storeops/internal/support"
)

// SLA deadlines and the working time tickets took count only the shop's
// working hours (09:00–18:00 here): not nights, not weekends, not the
// National Day holiday, but the 调休 Saturday that makes up for it. The
// sweep warns in a timer's last quarter and marks a breach once.
func TestSLATimersAcrossWorkingHours(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		s := support.NewService(a.DB)
		by, _ := agent(t, a, "xiaomei")
		guest := func(p support.Priority) support.NewTicket {
			return support.NewTicket{Email: "guest@example.com", Channel: support.Phone, Type: support.PreSale, Priority: p, Subject: "问价", Body: "请问有货吗"}
		}
		for _, c := range []struct {
			name, opened       string
			priority           support.Priority
			firstDue, resolDue string
		}{
			// 4 working hours to answer, 27 to resolve.
			{"Tuesday night", "2026-11-17 22:00", support.Normal, "2026-11-18 13:00", "2026-11-20 18:00"},
			{"Friday evening over the weekend", "2026-11-20 17:30", support.Normal, "2026-11-23 12:30", "2026-11-25 17:30"},
			// 1 hour to answer, 9 to resolve; 1–7 October are off.
			{"eve of National Day", "2026-09-30 17:30", support.High, "2026-10-08 09:30", "2026-10-08 17:30"},
			// 30 minutes, 4 hours; Saturday 10 October is a 调休 workday.
			{"onto the 调休 Saturday", "2026-10-09 17:00", support.Urgent, "2026-10-09 17:30", "2026-10-10 12:00"},
		} {
			clock.Set(shanghai(t, c.opened))
			tk, err := s.Open(ctx, by, guest(c.priority))
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !tk.FirstResponseDue.Equal(shanghai(t, c.firstDue)) || !tk.ResolutionDue.Equal(shanghai(t, c.resolDue)) {
				t.Errorf("%s: due %s / %s, want %s / %s", c.name, tk.FirstResponseDue.In(platform.ShopZone), tk.ResolutionDue.In(platform.ShopZone), c.firstDue, c.resolDue)
			}
		}

		// The Friday ticket answered on Monday at 10:00 took 1h30 of
		// working time (17:30–18:00 and 09:00–10:00), resolved on Tuesday
		// at 11:00 it took 30m + 9h + 2h.
		clock.Set(shanghai(t, "2026-11-20 17:30"))
		fri, err := s.Open(ctx, by, guest(support.Normal))
		if err != nil {
			t.Fatal(err)
		}
		clock.Set(shanghai(t, "2026-11-23 10:00"))
		if fri, err = s.Reply(ctx, by, fri.ID, "您好，有货的"); err != nil {
			t.Fatal(err)
		}
		if fri.FirstResponseWork != 90*time.Minute || fri.Status != support.Pending || fri.FirstRespondedAt == nil {
			t.Errorf("first response: %v, status %s", fri.FirstResponseWork, fri.Status)
		}
		clock.Set(shanghai(t, "2026-11-24 11:00"))
		if fri, err = s.Resolve(ctx, by, fri.ID); err != nil {
			t.Fatal(err)
		}
		if fri.ResolutionWork != 30*time.Minute+11*time.Hour || fri.Status != support.Resolved || fri.CSATToken == "" {
			t.Errorf("resolution: %v, status %s", fri.ResolutionWork, fri.Status)
		}

		// The sweep on the holiday eve: the high ticket opened at 17:30 has
		// used 20 of its 60 working minutes at 17:50, and nothing more
		// passes over the holiday; on 8 October at 09:16 it has 14 minutes
		// left (the last quarter: a warning), at 09:31 it is past (a
		// breach, marked once).
		clock.Set(shanghai(t, "2026-09-30 17:30"))
		eve, err := s.Open(ctx, by, guest(support.High))
		if err != nil {
			t.Fatal(err)
		}
		sweep := func(at string) support.Sweep {
			clock.Set(shanghai(t, at))
			sw, err := s.SweepSLA(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return sw
		}
		sweep("2026-09-30 17:50")
		sweep("2026-10-05 12:00")
		if eve, _ = s.Get(ctx, eve.ID); eve.ResponseWarned || eve.ResponseBreached {
			t.Errorf("warned %v or breached %v before 8 October", eve.ResponseWarned, eve.ResponseBreached)
		}
		sweep("2026-10-08 09:16")
		if eve, _ = s.Get(ctx, eve.ID); !eve.ResponseWarned || eve.ResponseBreached {
			t.Errorf("09:16: warned %v breached %v", eve.ResponseWarned, eve.ResponseBreached)
		}
		sweep("2026-10-08 09:31")
		sweep("2026-10-08 09:40")
		eve, _ = s.Get(ctx, eve.ID)
		if !eve.ResponseBreached || eve.ResolveBreached {
			t.Errorf("8 Oct: response breached %v, resolution breached %v", eve.ResponseBreached, eve.ResolveBreached)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM outbox_events WHERE topic = $1 AND key = $2`, support.TopicSLA, eve.ID.String()); n < 2 {
			t.Errorf("%d SLA events for the eve ticket, want the warning and the breach at least", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_messages WHERE ticket_id = $1 AND author = 'system' AND body LIKE 'SLA first_response breach%'`, eve.ID); n != 1 {
			t.Errorf("%d breach notes", n)
		}
		// Answering after the breach still records the response time.
		clock.Set(shanghai(t, "2026-10-08 10:00"))
		if eve, err = s.Reply(ctx, by, eve.ID, "抱歉久等"); err != nil {
			t.Fatal(err)
		}
		if eve.FirstResponseWork != time.Hour+30*time.Minute {
			t.Errorf("eve response work %v", eve.FirstResponseWork)
		}

		// A shop day off moves deadlines: the shop closes Monday 30 Nov.
		if err := s.SetShopDay(ctx, by, "2026-11-30", false, "团建"); err != nil {
			t.Fatal(err)
		}
		clock.Set(shanghai(t, "2026-11-27 17:00"))
		tk, err := s.Open(ctx, by, guest(support.Normal))
		if err != nil {
			t.Fatal(err)
		}
		if want := shanghai(t, "2026-12-01 12:00"); !tk.FirstResponseDue.Equal(want) {
			t.Errorf("over the shop's day off: %s", tk.FirstResponseDue.In(platform.ShopZone))
		}
		// Raising the priority moves the unmet deadline, from the opening.
		tk, err = s.Classify(ctx, by, tk.ID, support.Classify{Type: support.Complaint, Priority: support.Urgent, Cause: "logistics.delay", Carrier: "顺丰"})
		if err != nil {
			t.Fatal(err)
		}
		if want := shanghai(t, "2026-11-27 17:30"); !tk.FirstResponseDue.Equal(want) || tk.Cause != "logistics.delay" {
			t.Errorf("after raising: %s %q", tk.FirstResponseDue.In(platform.ShopZone), tk.Cause)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action = 'support.classify' AND entity_id = $1`, tk.ID.String()); n != 1 {
			t.Errorf("%d classify audit entries", n)
		}
	})
}

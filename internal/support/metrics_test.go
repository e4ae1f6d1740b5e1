package support_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/platform"
	"storeops/internal/support"
)

// Scorecards count working time and SLA attainment per agent and in
// total: one ticket answered in 30 working minutes (met), one answered
// after a weekend past its 4-hour target (missed), resolved and rated 5,
// and one still open in the backlog.
func TestServiceMetrics(t *testing.T) {
	clock := platform.NewFixedClock(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	apptest.Each(t, apptest.Options{Clock: clock}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		s := support.NewService(a.DB)
		by, _ := agent(t, a, "wang")
		open := func(at string) support.Ticket {
			clock.Set(shanghai(t, at))
			tk, err := s.Open(ctx, by, support.NewTicket{Phone: "13800138000", Channel: support.Phone, Type: support.InOrder, Body: "改地址"})
			if err != nil {
				t.Fatal(err)
			}
			return tk
		}
		a1, a2 := open("2026-11-16 10:00"), open("2026-11-20 16:00")
		open("2026-11-24 10:00")
		clock.Set(shanghai(t, "2026-11-16 10:30"))
		if _, err := s.Reply(ctx, by, a1.ID, "好的"); err != nil {
			t.Fatal(err)
		}
		// Friday 16:00 + 4 working hours is Monday 11:00; answered at 14:00.
		clock.Set(shanghai(t, "2026-11-23 14:00"))
		if _, err := s.Reply(ctx, by, a2.ID, "久等了"); err != nil {
			t.Fatal(err)
		}
		tk, err := s.Resolve(ctx, by, a2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Survey(ctx, tk.CSATToken, support.SurveyInput{Score: 5}); err != nil {
			t.Fatal(err)
		}
		m, err := support.ServiceMetrics(ctx, a.DB.R, shanghai(t, "2026-11-01 00:00"), shanghai(t, "2026-12-01 00:00"))
		if err != nil {
			t.Fatal(err)
		}
		tot := m.Total
		// Working time: 30 min, and 2 h Friday + 5 h Monday = 7 h.
		if tot.Tickets != 3 || tot.Resolved != 1 || tot.Backlog != 2 || tot.ResponseSLA != 0.5 || tot.AvgFirstResponse != (30*60+7*3600)/2 ||
			tot.CSAT != 5 || tot.Ratings != 1 || tot.Satisfied != 1 || tot.ResolutionSLA != 1 {
			t.Errorf("total: %+v", tot)
		}
		if len(m.Agents) != 1 || m.Agents[0].ID != by.StaffID || m.Agents[0].Tickets != 3 {
			t.Errorf("agents: %+v", m.Agents)
		}
	})
}

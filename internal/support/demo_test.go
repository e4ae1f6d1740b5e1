package support_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/store/storetest"
	"storeops/internal/support"
)

// The demo shop has tickets consistent with its orders (the customer's
// own order; after-sale tickets after the delivery), every type and
// several statuses, SLA breaches and CSAT, agents in two teams, and
// the same desk after a replace.
func TestDemoTickets(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		opt := demo.Options{Seed: 7, Scale: 0.03, AsOf: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatal(err)
		}
		total := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets`)
		if total < 20 {
			t.Fatalf("%d demo tickets", total)
		}
		for _, typ := range support.Types {
			if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets WHERE type = $1`, typ); n == 0 {
				t.Errorf("no %s tickets", typ)
			}
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets t JOIN orders o ON o.id = t.order_id
			WHERE o.customer_id <> t.customer_id OR (t.type = 'after_sale' AND (o.delivered_at IS NULL OR t.created_at < o.delivered_at))`); n != 0 {
			t.Errorf("%d tickets inconsistent with their orders", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets WHERE csat_score IS NOT NULL`); n == 0 {
			t.Error("no CSAT")
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets WHERE response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL`); n == 0 {
			t.Error("no SLA breaches")
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_agents`); n != 6 {
			t.Errorf("%d agents", n)
		}
		m, err := support.ServiceMetrics(ctx, a.DB.R, opt.AsOf.AddDate(-3, 0, 0), opt.AsOf.AddDate(0, 0, 1))
		if err != nil || m.Total.Tickets != total || len(m.Agents) != 6 || m.Total.ResponseSLA <= 0.5 || m.Total.ResponseSLA >= 1 {
			t.Errorf("metrics over the demo: %v %+v", err, m.Total)
		}
		opt.Replace = true
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatalf("replace: %v", err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets`); n != total {
			t.Errorf("replaced demo has %d tickets, want %d", n, total)
		}
	})
}

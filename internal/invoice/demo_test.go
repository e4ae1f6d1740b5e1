package invoice_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/invoice"
	"storeops/internal/store/storetest"
)

// The demo shop has invoice requests in every status with valid credit
// codes and unique numbers, and replacing the demo clears them before the
// orders they refer to.
func TestDemoInvoices(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		opt := demo.Options{Seed: 7, Scale: 0.03, AsOf: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatal(err)
		}
		for _, st := range []invoice.Status{invoice.Requested, invoice.Issued, invoice.Rejected} {
			if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM invoice_requests WHERE status = $1`, st); n == 0 {
				t.Errorf("no %s requests in the demo", st)
			}
		}
		page, err := invoice.List(ctx, a.DB.R, invoice.Filter{TitleType: invoice.Company})
		if err != nil || len(page.Items) == 0 {
			t.Fatalf("company requests: %v %d", err, len(page.Items))
		}
		for _, v := range page.Items {
			if !invoice.ValidTaxNo(v.TaxNo) || v.Amount <= 0 {
				t.Errorf("demo request %+v", v)
			}
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM invoice_requests i JOIN orders o ON o.id = i.order_id
			WHERE o.customer_id <> i.customer_id OR o.status NOT IN ('delivered', 'completed', 'after_sale')`); n != 0 {
			t.Errorf("%d demo requests on orders that could not have one", n)
		}
		opt.Replace = true
		if _, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), opt); err != nil {
			t.Fatalf("replace: %v", err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM invoice_requests`); n == 0 {
			t.Error("the replaced demo has no requests")
		}
	})
}

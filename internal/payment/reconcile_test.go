package payment

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

func issueKinds(issues []Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, is.Kind)
	}
	slices.Sort(out)
	return out
}

func TestReconciliationFlagsInjectedMismatch(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := New(Config{DB: db})
		today := ShopDay(db.Now())
		a := paidOffline(t, db, svc, []int64{10000}, 0)
		paidOffline(t, db, svc, []int64{2000, 3000}, 500)
		if _, err := svc.Refund(ctx, staffActor, a.ID, RefundInput{Key: "k", Amount: 2500}); err != nil {
			t.Fatal(err)
		}
		rep, issues, err := svc.Reconcile(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		if rep.CapturedTotal != 15500 || rep.PaidOrdersTotal != 15500 || rep.RefundedTotal != 2500 || rep.CapturedCount != 2 || len(issues) != 0 || rep.Mismatch() {
			t.Fatalf("clean day: %+v %+v", rep, issues)
		}

		// Inject: a capture whose order was never marked paid, a second
		// capture of order a, and a refund the order does not count.
		stray := mustOrder(t, db, "pending_payment", []int64{700}, 0)
		sp := mustPayment(t, db, stray, Online, "sandbox")
		dup := mustPayment(t, db, a, Online, "sandbox")
		err = db.Write(ctx, func(tx *store.Tx) error {
			for _, id := range []any{sp.ID, dup.ID} {
				if _, err := tx.ExecContext(ctx, `UPDATE payments SET status = 'captured', captured_at = $1 WHERE id = $2`, tx.Now, id); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `UPDATE orders SET refunded_total = refunded_total - 1 WHERE id = $1`, a.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		rep, issues, err = svc.Reconcile(ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{IssueCapturedUnpaid, IssueDuplicateCapture, IssueRefundSum}
		if got := issueKinds(issues); !slices.Equal(got, want) {
			t.Fatalf("issues %v, want %v", got, want)
		}
		if !rep.Mismatch() || rep.CapturedTotal != 15500+700+10000 || rep.Issues != 3 {
			t.Fatalf("report %+v", rep)
		}
		// Stored, and a rerun replaces rather than adds.
		if _, _, err := svc.Reconcile(ctx, today); err != nil {
			t.Fatal(err)
		}
		stored, err := svc.Issues(ctx, today, today)
		if err != nil || len(stored) != 3 {
			t.Fatalf("stored issues %d (%v)", len(stored), err)
		}
		days, err := svc.Reports(ctx, today, today)
		if err != nil || len(days) != 1 || days[0].Issues != 3 {
			t.Fatalf("stored days %+v (%v)", days, err)
		}
		// An order paid with nothing captured.
		unpaid := mustOrder(t, db, "paid", []int64{900}, 0)
		if err := db.Write(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE orders SET paid_at = $1 WHERE id = $2`, tx.Now, unpaid.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		_, issues, _ = svc.Reconcile(ctx, today)
		if !slices.Contains(issueKinds(issues), IssuePaidUncaptured) {
			t.Errorf("paid without capture not flagged: %v", issueKinds(issues))
		}
		// Another day is untouched.
		yesterday := ShopDay(db.Now().Add(-24 * time.Hour))
		rep, issues, _ = svc.Reconcile(ctx, yesterday)
		if rep.CapturedCount != 0 || len(issues) != 0 {
			t.Errorf("yesterday: %+v %v", rep, issues)
		}
	})
}

// The console page lists the days and exports them to XLSX.
func TestReconciliationExport(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := New(Config{DB: db})
		paidOffline(t, db, svc, []int64{4200}, 0)
		today := ShopDay(db.Now())
		if _, _, err := svc.Reconcile(ctx, today); err != nil {
			t.Fatal(err)
		}
		h := &handlers{s: svc}
		req := httptest.NewRequest(http.MethodGet, "/console/payments/reconciliation?from="+today+"&to="+today+"&format=xlsx&table="+daysTable, nil)
		w := httptest.NewRecorder()
		if err := h.consoleReconciliation(w, req); err != nil {
			t.Fatal(err)
		}
		if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "spreadsheet") {
			t.Fatalf("export: %d %s", w.Code, w.Header().Get("Content-Type"))
		}
		f, err := excelize.OpenReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetList()[0])
		if err != nil || len(rows) != 2 || rows[1][0] != today || rows[1][1] != "42.00" {
			t.Fatalf("sheet %v (%v)", rows, err)
		}
	})
}

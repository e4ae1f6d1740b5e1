package promotion_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/promotion"
	"storeops/internal/store"
)

// race redeems code once for each customer at the same time and counts
// the outcomes by error code ("" for success).
func race(t *testing.T, w *world, code string, customers []platform.ID) map[platform.Code]int {
	t.Helper()
	var mu sync.Mutex
	got := map[platform.Code]int{}
	var wg sync.WaitGroup
	for _, c := range customers {
		wg.Go(func() {
			_, err := w.redeem(code, c)
			mu.Lock()
			defer mu.Unlock()
			got[platform.ErrorCode(err)]++
			if err != nil && platform.AsError(err).Code.Status() != http.StatusConflict {
				t.Errorf("redeem: %v, want a 409", err)
			}
		})
	}
	wg.Wait()
	return got
}

func TestTotalLimitHoldsUnderConcurrency(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		b := w.activeBatch(pricing.Batch{Total: 5})
		w.publicCode(b.ID, "FIVE-ONLY")
		var customers []platform.ID
		for range 20 {
			customers = append(customers, w.customer())
		}
		got := race(t, w, "five-only", customers)
		if got[""] != 5 || got[promotion.CodeCouponLimit] != 15 {
			t.Errorf("outcomes %v, want 5 successes and 15 %s", got, promotion.CodeCouponLimit)
		}
		if rec, _ := w.svc.Batch(context.Background(), b.ID); rec.Used != 5 {
			t.Errorf("used = %d, want 5", rec.Used)
		}
		w.balanced()
	})
}

func TestPerCustomerLimitHoldsUnderConcurrency(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		b := w.activeBatch(pricing.Batch{PerCustomer: 2})
		w.publicCode(b.ID, "TWICE")
		c := w.customer()
		got := race(t, w, "TWICE", []platform.ID{c, c, c, c, c, c})
		if got[""] != 2 || got[promotion.CodeCouponCustomerLimit] != 4 {
			t.Errorf("outcomes %v, want 2 successes and 4 %s", got, promotion.CodeCouponCustomerLimit)
		}
		// Another customer still may.
		if _, err := w.redeem("TWICE", w.customer()); err != nil {
			t.Errorf("another customer: %v", err)
		}
		// A guest cannot use a per-customer coupon.
		if _, err := w.redeem("TWICE", 0); platform.ErrorCode(err) != promotion.CodeCouponCustomerLimit {
			t.Errorf("guest: %v, want %s", err, promotion.CodeCouponCustomerLimit)
		}
		w.balanced()
	})
}

func TestSingleUseCodeIsUsedOnce(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		b := w.activeBatch(pricing.Batch{})
		if _, err := w.svc.IssueCodes(ctx, marketer, b.ID, promotion.Issue{Count: 1}); err != nil {
			t.Fatal(err)
		}
		codes, err := w.svc.Codes(ctx, b.ID, platform.PageRequest{Limit: 10})
		if err != nil || len(codes.Items) != 1 {
			t.Fatalf("codes %v %v", codes, err)
		}
		code := codes.Items[0].Code
		var customers []platform.ID
		for range 8 {
			customers = append(customers, w.customer())
		}
		got := race(t, w, code, customers)
		if got[""] != 1 || got[promotion.CodeCouponSpent] != 7 {
			t.Errorf("outcomes %v, want 1 success and 7 %s", got, promotion.CodeCouponSpent)
		}
		// Once spent, loading it says so for the engine to reject.
		db.Read(ctx, func(tx *store.Tx) error {
			cs, err := promotion.LoadCoupons(ctx, tx, []string{code}, customers[0])
			if err != nil || len(cs) != 1 || !cs[0].Spent {
				t.Errorf("load spent: %+v %v", cs, err)
			}
			return nil
		})
		w.balanced()
	})
}

func TestOwnedCodeIsOnlyTheOwners(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		b := w.activeBatch(pricing.Batch{})
		if _, err := w.svc.IssueCodes(ctx, marketer, b.ID, promotion.Issue{Count: 2}); err != nil {
			t.Fatal(err)
		}
		owner, other := w.customer(), w.customer()
		c, err := w.svc.Assign(ctx, marketer, b.ID, promotion.Assignment{CustomerID: owner, ValidDays: 7})
		if err != nil || c.OwnerID != owner || c.Status != promotion.CodeClaimed || c.EndsAt == nil {
			t.Fatalf("assign: %+v %v", c, err)
		}
		if _, err := w.svc.Assign(ctx, marketer, b.ID, promotion.Assignment{CustomerID: other, Code: c.Code}); platform.ErrorCode(err) != promotion.CodeCouponUnavailable {
			t.Errorf("claiming a claimed code: %v", err)
		}
		if _, err := w.svc.Assign(ctx, marketer, b.ID, promotion.Assignment{CustomerID: other}); err != nil {
			t.Errorf("the next free code: %v", err)
		}
		if _, err := w.svc.Assign(ctx, marketer, b.ID, promotion.Assignment{CustomerID: other}); platform.ErrorCode(err) != promotion.CodeNoFreeCode {
			t.Errorf("none left: %v", err)
		}
		if _, err := w.redeem(c.Code, other); platform.ErrorCode(err) != promotion.CodeCouponSpent {
			t.Errorf("another customer redeeming an owned code: %v", err)
		}
		if _, err := w.redeem(c.Code, owner); err != nil {
			t.Errorf("the owner: %v", err)
		}
		w.balanced()
	})
}

func TestReleaseRestoresCountsOnce(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		b := w.activeBatch(pricing.Batch{Total: 1, PerCustomer: 1})
		if _, err := w.svc.IssueCodes(ctx, marketer, b.ID, promotion.Issue{Count: 1}); err != nil {
			t.Fatal(err)
		}
		codes, _ := w.svc.Codes(ctx, b.ID, platform.PageRequest{Limit: 1})
		code := codes.Items[0].Code
		c := w.customer()
		order, err := w.redeem(code, c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.redeem(code, c); err == nil {
			t.Fatal("a second use of a used single-use code succeeded")
		}
		w.release(order)
		w.release(order) // idempotent
		w.release(12345) // an order without coupons
		rec, _ := w.svc.Batch(ctx, b.ID)
		if rec.Used != 0 {
			t.Errorf("used after release = %d, want 0", rec.Used)
		}
		codes, _ = w.svc.Codes(ctx, b.ID, platform.PageRequest{Limit: 1})
		if codes.Items[0].Status != promotion.CodeIssued || codes.Items[0].RedeemedAt != nil {
			t.Errorf("code after release: %+v", codes.Items[0])
		}
		w.balanced()
		// The customer may use it again: every count went back.
		if _, err := w.redeem(code, c); err != nil {
			t.Errorf("redeem after release: %v", err)
		}
		w.balanced()
	})
}

func TestLoadCoupons(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		b := w.activeBatch(pricing.Batch{Total: 10, PerCustomer: 3, MinSpend: 1000})
		w.publicCode(b.ID, "LOADME")
		paused := w.activeBatch(pricing.Batch{})
		w.publicCode(paused.ID, "PAUSED")
		if _, err := w.svc.SetBatchStatus(ctx, marketer, paused.ID, promotion.Paused); err != nil {
			t.Fatal(err)
		}
		c, other := w.customer(), w.customer()
		for _, who := range []platform.ID{c, c, other} {
			if _, err := w.redeem("LOADME", who); err != nil {
				t.Fatal(err)
			}
		}
		db.Read(ctx, func(tx *store.Tx) error {
			cs, err := promotion.LoadCoupons(ctx, tx, []string{" loadme ", "LOADME"}, c)
			if err != nil || len(cs) != 1 {
				t.Fatalf("load: %+v %v", cs, err)
			}
			got := cs[0]
			if got.BatchUses != 3 || got.CustomerUses != 2 || got.Spent || got.Batch.ID != b.ID || got.Batch.MinSpend != 1000 || got.Code != "LOADME" {
				t.Errorf("loaded %+v", got)
			}
			_, err = promotion.LoadCoupons(ctx, tx, []string{"LOADME", "NO-SUCH"}, c)
			e := platform.AsError(err)
			if e.Code != promotion.CodeUnknownCoupon || e.Code.Status() != http.StatusUnprocessableEntity || !strings.Contains(e.Message(platform.EN), "NO-SUCH") {
				t.Errorf("unknown code: %v", err)
			}
			if _, err := promotion.LoadCoupons(ctx, tx, []string{"PAUSED"}, c); platform.ErrorCode(err) != promotion.CodeCouponUnavailable {
				t.Errorf("paused batch: %v", err)
			}
			return nil
		})
	})
}

func TestIssueCodesAreUniqueAndTypable(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		b := w.activeBatch(pricing.Batch{})
		res, err := w.svc.IssueCodes(ctx, marketer, b.ID, promotion.Issue{Count: 10_000})
		if err != nil || res.Issued != 10_000 || res.Total != 10_000 {
			t.Fatalf("issue: %+v %v", res, err)
		}
		if n := countRows(t, db, `SELECT COUNT(DISTINCT code) FROM coupon_codes WHERE batch_id = $1`, b.ID); n != 10_000 {
			t.Errorf("%d distinct codes, want 10000", n)
		}
		page, _ := w.svc.Codes(ctx, b.ID, platform.PageRequest{Limit: 200})
		for _, c := range page.Items {
			if len(c.Code) != promotion.CodeLength || strings.ContainsAny(c.Code, "01ILOUV") {
				t.Errorf("code %q is not from the unambiguous alphabet", c.Code)
			}
		}
		for _, n := range []int{0, -1, promotion.MaxIssue + 1} {
			if _, err := w.svc.IssueCodes(ctx, marketer, b.ID, promotion.Issue{Count: n}); platform.ErrorCode(err) != platform.CodeInvalid {
				t.Errorf("count %d: %v", n, err)
			}
		}
		if _, err := w.svc.IssueCodes(ctx, marketer, 42, promotion.Issue{Count: 1}); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Errorf("unknown batch: %v", err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'promotion.codes_issue'`); n != 1 {
			t.Errorf("%d audited issues, want 1", n)
		}
	})
}

func TestPublicCodeClash(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		b := w.activeBatch(pricing.Batch{})
		w.publicCode(b.ID, "DOUBLE11")
		_, err := w.svc.AddPublicCode(context.Background(), marketer, b.ID, promotion.PublicCode{Code: "double11"})
		if platform.ErrorCode(err) != promotion.CodeCodeTaken {
			t.Errorf("same code again: %v", err)
		}
		_, err = w.svc.AddPublicCode(context.Background(), marketer, b.ID, promotion.PublicCode{Code: "双十一"})
		if platform.ErrorCode(err) != platform.CodeInvalid {
			t.Errorf("non-ASCII code: %v", err)
		}
	})
}

func countRows(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConcurrentClaimsTakeDifferentCodes(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		b := w.activeBatch(pricing.Batch{})
		if _, err := w.svc.IssueCodes(ctx, marketer, b.ID, promotion.Issue{Count: 3}); err != nil {
			t.Fatal(err)
		}
		var customers []platform.ID
		for range 6 {
			customers = append(customers, w.customer())
		}
		var mu sync.Mutex
		got := map[platform.Code]int{}
		var wg sync.WaitGroup
		for _, c := range customers {
			wg.Go(func() {
				_, err := w.svc.Assign(ctx, marketer, b.ID, promotion.Assignment{CustomerID: c})
				mu.Lock()
				defer mu.Unlock()
				got[platform.ErrorCode(err)]++
			})
		}
		wg.Wait()
		if got[""] != 3 || got[promotion.CodeNoFreeCode] != 3 {
			t.Errorf("claims %v, want 3 successes and 3 %s", got, promotion.CodeNoFreeCode)
		}
		if n := countRows(t, db, `SELECT COUNT(DISTINCT owner_id) FROM coupon_codes WHERE batch_id = $1`, b.ID); n != 3 {
			t.Errorf("%d owners, want 3", n)
		}
	})
}

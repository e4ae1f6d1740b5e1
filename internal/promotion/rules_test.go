package promotion_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/promotion"
	"storeops/internal/store"
)

func TestActiveRulesAreActiveAndInWindow(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		now := db.Now()
		mk := func(name string, start, end time.Time, status promotion.Status) platform.ID {
			r, err := w.svc.CreateRule(ctx, marketer, pricing.Rule{Name: name, Kind: pricing.PercentOff, Percent: 10, StartsAt: start, EndsAt: end})
			if err != nil {
				t.Fatal(err)
			}
			if status != promotion.Draft {
				if _, err := w.svc.SetRuleStatus(ctx, marketer, r.ID, status); err != nil {
					t.Fatal(err)
				}
			}
			return r.ID
		}
		live := mk("进行中", now.Add(-time.Hour), now.Add(time.Hour), promotion.Active)
		open := mk("长期", time.Time{}, time.Time{}, promotion.Active)
		mk("草稿", time.Time{}, time.Time{}, promotion.Draft)
		mk("暂停", time.Time{}, time.Time{}, promotion.Paused)
		mk("已过期", now.Add(-2*time.Hour), now.Add(-time.Hour), promotion.Active)
		mk("未开始", now.Add(time.Hour), time.Time{}, promotion.Active)
		db.Read(ctx, func(tx *store.Tx) error {
			rules, err := promotion.ActiveRules(ctx, tx, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(rules) != 2 || rules[0].ID != live || rules[1].ID != open || rules[0].Percent != 10 {
				t.Errorf("active rules %+v, want %d and %d", rules, live, open)
			}
			return nil
		})
	})
}

func TestRuleValidationAndUpdate(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		_, err := w.svc.CreateRule(ctx, marketer, pricing.Rule{Name: "", Kind: pricing.Tiered, Steps: []pricing.Step{{Threshold: 100, Off: 200}}})
		e := platform.AsError(err)
		if e.Code != platform.CodeInvalid || !hasField(e, "name") || !hasField(e, "steps[0].off") {
			t.Errorf("invalid rule: %v %+v", err, e.Fields)
		}
		r, err := w.svc.CreateRule(ctx, marketer, pricing.Rule{Name: "满300减50", Kind: pricing.Tiered, Steps: []pricing.Step{{Threshold: 30000, Off: 5000}}})
		if err != nil || r.Status != promotion.Draft {
			t.Fatalf("create: %+v %v", r, err)
		}
		r.Rule.Steps = append(r.Rule.Steps, pricing.Step{Threshold: 50000, Off: 10000})
		if _, err := w.svc.UpdateRule(ctx, marketer, r.ID, r.Rule); err != nil {
			t.Fatal(err)
		}
		got, err := w.svc.Rule(ctx, r.ID)
		if err != nil || len(got.Rule.Steps) != 2 || got.Rule.ID != r.ID {
			t.Errorf("after update: %+v %v", got, err)
		}
		if _, err := w.svc.SetRuleStatus(ctx, marketer, r.ID, "running"); platform.ErrorCode(err) != platform.CodeInvalid {
			t.Errorf("bad status: %v", err)
		}
		if _, err := w.svc.UpdateRule(ctx, marketer, 99, r.Rule); platform.ErrorCode(err) != platform.CodeNotFound {
			t.Errorf("unknown rule: %v", err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_log WHERE entity_type = 'promo_rule'`); n != 2 {
			t.Errorf("%d audited rule changes, want 2", n)
		}
	})
}

func TestBatchTotalNotBelowUses(t *testing.T) {
	each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		ctx := context.Background()
		b := w.activeBatch(pricing.Batch{Total: 10})
		w.publicCode(b.ID, "LOWER")
		for range 3 {
			if _, err := w.redeem("LOWER", w.customer()); err != nil {
				t.Fatal(err)
			}
		}
		b.Batch.Total = 2
		if _, err := w.svc.UpdateBatch(ctx, marketer, b.ID, b.Batch); !hasField(platform.AsError(err), "total") {
			t.Errorf("total below uses: %v", err)
		}
		b.Batch.Total = 3
		if _, err := w.svc.UpdateBatch(ctx, marketer, b.ID, b.Batch); err != nil {
			t.Errorf("total equal to uses: %v", err)
		}
		if _, err := w.redeem("LOWER", w.customer()); platform.ErrorCode(err) != promotion.CodeCouponLimit {
			t.Errorf("past the lowered total: %v", err)
		}
	})
}

func hasField(e *platform.Error, field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

package payment

import (
	"context"
	"testing"

	"storeops/internal/module"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// Replacing the demo shop clears the payment rows that would keep the
// order step from deleting refunds and lines.
func TestDemoClearFreesOrderTables(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := New(Config{DB: db})
		o := paidOffline(t, db, svc, []int64{1000, 2000}, 0)
		if _, err := svc.Refund(ctx, staffActor, o.ID, RefundInput{Key: "x", Amount: 300}); err != nil {
			t.Fatal(err)
		}
		if err := DemoStep().Run(ctx, &module.DemoEnv{DB: db, Clear: true}); err != nil {
			t.Fatal(err)
		}
		err := db.Write(ctx, func(tx *store.Tx) error {
			for _, table := range []string{"refunds", "payments", "order_transitions", "order_lines", "orders"} {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("order tables not clearable: %v", err)
		}
	})
}

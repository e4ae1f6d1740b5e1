package payment

import (
	"context"
	"fmt"

	"storeops/internal/module"
	"storeops/internal/store"
)

// DemoStep has nothing to generate (the order step writes the demo's
// payments and refunds) but, when the demo shop is replaced, deletes the
// payment rows that refer to orders, refunds and lines first, so the
// order step can clear its tables. It runs after the order step (Order
// 40), hence before it when clearing.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "payments", Order: 45, Run: func(ctx context.Context, env *module.DemoEnv) error {
		if !env.Clear {
			return nil
		}
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, t := range []string{"refund_lines", "payment_notifications", "payment_reconciliation_issues", "payment_reconciliations"} {
				if err := l.Exec(`DELETE FROM ` + t); err != nil {
					return fmt.Errorf("payment: demo clear: %w", err)
				}
			}
			return nil
		})
	}}
}

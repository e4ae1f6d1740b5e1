package analytics

import (
	"context"

	"storeops/internal/module"
	"storeops/internal/store"
)

// DemoStep rolls up the demo shop's whole order history once it is
// loaded (after the orders, at 40, and the traffic, at 50): a few
// set-based statements instead of a refresh per day.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "analytics rollups", Order: 60, Run: func(ctx context.Context, env *module.DemoEnv) error {
		if env.Clear {
			return env.DB.Write(ctx, func(tx *store.Tx) error { return clearRollups(ctx, tx) })
		}
		return Rebuild(ctx, env.DB)
	}}
}

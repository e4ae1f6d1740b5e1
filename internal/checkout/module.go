package checkout

import (
	"context"
	"io/fs"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/cart"
	"storeops/internal/module"
	"storeops/internal/payment"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/promotion"
	"storeops/internal/store"
	"storeops/internal/web"
)

// Module registers checkout: its table, the checkout and shopper-order
// API, the storefront checkout and order pages, the job that cancels
// unpaid orders and the order hooks that release what checkout took.
func Module(d *module.Deps) (*module.Module, error) {
	sub, _ := fs.Sub(templates, "templates")
	cfg := Config{}
	if payment.SandboxEnabled(d) {
		// The only online provider so far; real gateways implement
		// payment.Provider and take its place.
		cfg.OnlineProvider = "sandbox"
	}
	svc := NewService(d.DB, cart.NewService(d.DB, cart.Rules{}), StoredPromotions{}, cfg)
	svc.registerHooks()
	h := &handlers{svc: svc}
	return &module.Module{
		Name:       "checkout",
		Migrations: []store.Migrations{Migrations()},
		Messages:   Texts,
		Templates:  sub,
		// No demo orders go through checkout; a replaced demo shop only
		// forgets the keys of orders placed in it.
		Demo: []module.DemoStep{{Name: "checkout", Order: 41, Run: func(ctx context.Context, env *module.DemoEnv) error {
			if !env.Clear {
				return nil
			}
			_, err := env.DB.W.ExecContext(ctx, `DELETE FROM checkout_requests`)
			return err
		}}},
		Workers: func(w *river.Workers) {
			river.AddWorker(w, &cancelOverdueWorker{db: d.DB, cfg: cfg})
		},
		Periodic: []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return CancelOverdueArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
		},
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(h.apiRoutes()...)
			r.Add(h.pageRoutes()...)
		},
	}, nil
}

// StoredPromotions are the shop's rules and coupons from the promotion
// domain.
type StoredPromotions struct{}

func (StoredPromotions) ActiveRules(ctx context.Context, tx *store.Tx, at time.Time) ([]pricing.Rule, error) {
	return promotion.ActiveRules(ctx, tx, at)
}

func (StoredPromotions) LoadCoupons(ctx context.Context, tx *store.Tx, codes []string, customerID platform.ID) ([]pricing.Coupon, error) {
	return promotion.LoadCoupons(ctx, tx, codes, customerID)
}

func (StoredPromotions) Redeem(ctx context.Context, tx *store.Tx, orderID, customerID platform.ID, applied []pricing.CouponResult) error {
	return promotion.Redeem(ctx, tx, orderID, customerID, applied)
}

func (StoredPromotions) ReleaseForOrder(ctx context.Context, tx *store.Tx, orderID platform.ID) error {
	return promotion.ReleaseForOrder(ctx, tx, orderID)
}

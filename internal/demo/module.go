package demo

import (
	"context"
	"time"

	"storeops/internal/catalog"
	"storeops/internal/customer"
	"storeops/internal/inventory"
	"storeops/internal/module"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/traffic"
)

// Module registers the demo generator. It carries the customers' demo
// step (the customer module is someone else's room and registers none
// yet) and, on the first run of a new shop, builds the scale-1 demo shop.
func Module(d *module.Deps) (*module.Module, error) {
	m := &module.Module{Name: "demo", Demo: []module.DemoStep{customer.DemoStep()}}
	m.FirstRun = func(ctx context.Context) (string, error) {
		if !d.FirstRunDemo {
			return "", nil
		}
		if has, err := HasData(ctx, d.DB); err != nil || has {
			return "", err
		}
		steps, err := firstRunSteps(d, m)
		if err != nil {
			return "", err
		}
		sum, err := Generate(ctx, d.DB, steps, Options{Seed: 1, Scale: 1, AsOf: time.Now().In(platform.ShopZone), Log: d.Log})
		if err != nil {
			return "", err
		}
		return sum.String(), nil
	}
	return m, nil
}

// firstRunSteps are the steps of the domains that make the demo shop. The
// first run happens inside module wiring, before the module list is at
// hand, so it names the domains here; "storeops demo" takes the steps
// from every registered module instead (Steps).
func firstRunSteps(d *module.Deps, own *module.Module) ([]module.DemoStep, error) {
	mods := []*module.Module{own}
	for _, f := range []func(*module.Deps) (*module.Module, error){catalog.Module, inventory.Module, order.Module, traffic.Module} {
		m, err := f(d)
		if err != nil {
			return nil, err
		}
		mods = append(mods, m)
	}
	return Steps(mods), nil
}

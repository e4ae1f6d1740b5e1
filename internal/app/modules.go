package app

import (
	"storeops/internal/analytics"
	"storeops/internal/audit"
	"storeops/internal/cart"
	"storeops/internal/catalog"
	"storeops/internal/chat"
	"storeops/internal/checkout"
	"storeops/internal/customer"
	"storeops/internal/demo"
	"storeops/internal/inventory"
	"storeops/internal/invoice"
	"storeops/internal/loyalty"
	"storeops/internal/mail"
	"storeops/internal/merch"
	"storeops/internal/module"
	"storeops/internal/ops"
	"storeops/internal/order"
	"storeops/internal/payment"
	"storeops/internal/platform"
	"storeops/internal/promotion"
	"storeops/internal/returns"
	"storeops/internal/review"
	"storeops/internal/search"
	"storeops/internal/shop"
	"storeops/internal/staff"
	"storeops/internal/strategy"
	"storeops/internal/support"
	"storeops/internal/traffic"
)

// factories is the one list of domains. Adding a domain is one line here.
var factories = []func(*module.Deps) (*module.Module, error){
	platformModule,
	ops.Module,
	mail.Module,
	customer.Module,
	catalog.Module,
	inventory.Module,
	order.Module,
	payment.Module,
	traffic.Module,
	search.Module,
	shop.Module,
	cart.Module,
	promotion.Module,
	checkout.Module,
	invoice.Module,
	loyalty.Module,
	review.Module,
	merch.Module,
	support.Module,
	chat.Module,
	audit.Module,
	staff.Module,
	analytics.Module,
	strategy.Module,
	returns.Module,
	demo.Module,
}

func buildModules(d *module.Deps) ([]*module.Module, error) {
	var mods []*module.Module
	for _, f := range factories {
		m, err := f(d)
		if err != nil {
			return nil, err
		}
		platform.RegisterTexts(m.Messages)
		platform.RegisterPermissions(m.Permissions...)
		mods = append(mods, m)
	}
	return mods, nil
}

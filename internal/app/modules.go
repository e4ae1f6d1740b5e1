package app

import (
	"storeops/internal/audit"
	"storeops/internal/customer"
	"storeops/internal/module"
	"storeops/internal/ops"
	"storeops/internal/platform"
	"storeops/internal/staff"
)

// factories is the one list of domains. Adding a domain is one line here.
var factories = []func(*module.Deps) (*module.Module, error){
	ops.Module,
	customer.Module,
	audit.Module,
	staff.Module,
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

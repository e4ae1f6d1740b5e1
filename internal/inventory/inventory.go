// Package inventory keeps stock: warehouses and on-hand quantities per SKU
// per warehouse. Later work adds reservations, allocation and the ledger.
package inventory

import (
	"embed"
	"io/fs"

	"storeops/internal/module"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Migrations are the inventory tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "inventory", FS: sub}
}

// Module registers inventory.
func Module(d *module.Deps) (*module.Module, error) {
	return &module.Module{Name: "inventory", Migrations: []store.Migrations{Migrations()}, Demo: []module.DemoStep{DemoStep()}}, nil
}

// Package cart holds shopping carts: a guest cart per browser and a cart
// per signed-in customer, stored in the database so every node sees the
// same cart, merged when a guest signs in. A cart is a list of SKUs and
// quantities; what they cost now, whether they can still be bought and
// what shipping would be is worked out each time the cart is read, from
// the live catalog and stock, never stored.
package cart

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

//go:embed templates
var templates embed.FS

// Migrations are the cart tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "cart", FS: sub}
}

// Limits on a cart. They keep one cart from becoming a denial of service
// (pricing and checkout work per line) and catch typing slips.
const (
	MaxLines    = 100
	MaxQuantity = 999
	// GuestIdle is how long an untouched guest cart is kept.
	GuestIdle = 30 * 24 * time.Hour
)

// Error codes.
var (
	CodeUnavailable = platform.NewCode("cart_item_unavailable", http.StatusConflict,
		platform.Message{ZH: "该商品已下架或不存在，无法加入购物车", EN: "This item is no longer on sale"})
	CodeFull = platform.NewCode("cart_full", http.StatusUnprocessableEntity,
		platform.Message{ZH: "购物车最多放 100 种商品，请先结算或删除一些", EN: "A cart holds at most 100 different items; check out or remove some first"})
	CodeNotInCart = platform.NewCode("cart_item_not_found", http.StatusNotFound,
		platform.Message{ZH: "购物车里没有这件商品", EN: "This item is not in the cart"})
)

// Module registers the cart: its tables, the cart API, the storefront
// cart page and the purge of idle guest carts.
func Module(d *module.Deps) (*module.Module, error) {
	sub, _ := fs.Sub(templates, "templates")
	svc := NewService(d.DB, Rules{})
	h := &handlers{svc: svc, secure: d.Secure}
	return &module.Module{
		Name:       "cart",
		Migrations: []store.Migrations{Migrations()},
		Messages:   Texts,
		Templates:  sub,
		Routes:     h.register,
	}, nil
}

// Texts are the cart's messages.
var Texts = platform.Texts{
	"kind.cart_item":          {"购物车商品", "cart item"},
	"cart.quantity_range":     {"数量须为 1 到 %d 的整数", "must be a whole number from 1 to %d"},
	"cart.quantity_set_range": {"数量须为 0 到 %d 的整数（0 表示删除）", "must be a whole number from 0 to %d (0 removes the item)"},
	"cart.title":              {"购物车", "Cart"},
	"cart.empty":              {"购物车是空的", "Your cart is empty"},
	"cart.go_shopping":        {"去逛逛", "Start shopping"},
	"cart.add":                {"加入购物车", "Add to cart"},
	"cart.added":              {"已加入购物车", "Added to your cart"},
	"cart.quantity":           {"数量", "Quantity"},
	"cart.update":             {"更新", "Update"},
	"cart.remove":             {"删除", "Remove"},
	"cart.subtotal":           {"商品合计", "Items"},
	"cart.shipping":           {"运费", "Shipping"},
	"cart.shipping_free":      {"包邮", "Free"},
	"cart.shipping_to":        {"配送至", "Ship to"},
	"cart.free_over":          {"再买 %s 即可包邮", "Add %s more for free shipping"},
	"cart.total":              {"合计", "Total"},
	"cart.unavailable":        {"已下架", "No longer on sale"},
	"cart.short":              {"库存仅剩 %d 件", "Only %d left"},
	"cart.count":              {"共 %d 件", "%d items"},
	"cart.province_any":       {"选择省份估算运费", "Choose a province for shipping"},
}

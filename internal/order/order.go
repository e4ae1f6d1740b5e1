// Package order holds orders with their lines, payments, refunds, status
// history, notes and shipments, the state machine that moves an order
// through its life (transition.go) and the console and staff API over
// them. Checkout, which creates orders, comes later and uses NewOrderNo.
package order

import (
	"embed"
	"io/fs"
	"slices"

	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Migrations are the order tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "order", FS: sub}
}

// Status is where an order stands.
type Status string

// The full state list.
const (
	PendingPayment Status = "pending_payment" // 待付款
	Paid           Status = "paid"            // 已付款
	Allocated      Status = "allocated"       // 已配货
	Shipped        Status = "shipped"         // 已发货
	Delivered      Status = "delivered"       // 已签收
	Completed      Status = "completed"       // 已完成
	Cancelled      Status = "cancelled"       // 已取消
	AfterSale      Status = "after_sale"      // 售后中
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{PendingPayment, Paid, Allocated, Shipped, Delivered, Completed, Cancelled, AfterSale}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Label is the message key of the status's name ("待付款").
func (s Status) Label() string { return "order.status." + string(s) }

// Counted reports whether orders in status s count as sales (GMV): the
// shopper paid, whatever happened after. Unpaid and cancelled orders
// do not.
func (s Status) Counted() bool { return s != PendingPayment && s != Cancelled }

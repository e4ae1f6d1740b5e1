// Package invoice keeps shoppers' requests for invoices (发票) on their
// orders: the shopper asks with a personal or company title, staff issue
// the invoice elsewhere (the tax system) and record its number here, or
// reject the request with a reason. A request is cancelled with its
// order.
package invoice

import (
	"embed"
	"io/fs"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Migrations are the invoice tables for both dialects.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "invoice", FS: sub}
}

// Status is where a request stands.
type Status string

// The request statuses. requested → issued | rejected | cancelled; the
// last three are final.
const (
	Requested Status = "requested" // 待开票
	Issued    Status = "issued"    // 已开票
	Rejected  Status = "rejected"  // 已驳回
	Cancelled Status = "cancelled" // 已取消
)

// Statuses lists every status in display order.
var Statuses = []Status{Requested, Issued, Rejected, Cancelled}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Label is the status's message key.
func (s Status) Label() string { return "invoice.status." + string(s) }

// TitleType is whom the invoice is made out to.
type TitleType string

// The title types.
const (
	Personal TitleType = "personal" // 个人
	Company  TitleType = "company"  // 企业
)

// TitleTypes lists both in display order.
var TitleTypes = []TitleType{Personal, Company}

// Valid reports whether t is a known title type.
func (t TitleType) Valid() bool { return t == Personal || t == Company }

// Label is the title type's message key.
func (t TitleType) Label() string { return "invoice.title_type." + string(t) }

// Invoice is one request for an invoice on an order.
type Invoice struct {
	ID         platform.ID    `json:"id"`
	OrderID    platform.ID    `json:"order_id"`
	OrderNo    string         `json:"order_no"`
	CustomerID platform.ID    `json:"customer_id"`
	TitleType  TitleType      `json:"title_type"`
	Title      string         `json:"title"`
	TaxNo      string         `json:"tax_no,omitempty"`
	Email      string         `json:"email,omitempty"`
	Amount     platform.Money `json:"amount"`
	Status     Status         `json:"status"`
	InvoiceNo  string         `json:"invoice_no,omitempty"`
	IssuedAt   *time.Time     `json:"issued_at,omitempty"`
	// IssuedBy is the staff user's name (not shown to shoppers).
	IssuedBy     string    `json:"-"`
	RejectReason string    `json:"reject_reason,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Package returns keeps after-sale requests (售后单, RMA) on delivered
// orders: the shopper asks for a return with refund (退货退款), a refund
// only (仅退款, for a parcel that never arrived or missing items) or an
// exchange (换货) of some order lines, within the order's after-sale
// window, with a reason from a fixed list; staff approve or reject; the
// shopper ships the goods back; staff receive and inspect them, which
// restocks resaleable units through the inventory ledger; then staff
// refund through the payment domain or ship the replacement. Every step
// is audited, published to the outbox and noted on the order's timeline.
package returns

import (
	"embed"
	"io/fs"
	"slices"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Migrations are the returns tables for both dialects.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "returns", FS: sub}
}

// Kind is what the shopper asks for.
type Kind string

// The kinds of request.
const (
	KindReturn     Kind = "return"      // 退货退款
	KindRefundOnly Kind = "refund_only" // 仅退款
	KindExchange   Kind = "exchange"    // 换货
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindReturn, KindRefundOnly, KindExchange}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Label is the kind's message key.
func (k Kind) Label() string { return "returns.kind." + string(k) }

// Status is where a request stands.
type Status string

// The statuses. requested → approved | rejected | cancelled;
// approved → shipped_back (return, exchange) | refunded (refund only) |
// cancelled; shipped_back → received; received → refunded (return) |
// exchanged (exchange). rejected, cancelled, refunded and exchanged are
// final.
const (
	Requested   Status = "requested"    // 待审核
	Approved    Status = "approved"     // 待寄回 / 待退款
	Rejected    Status = "rejected"     // 已驳回
	Cancelled   Status = "cancelled"    // 已撤销
	ShippedBack Status = "shipped_back" // 退货寄回中
	Received    Status = "received"     // 已收货验货
	Refunded    Status = "refunded"     // 已退款
	Exchanged   Status = "exchanged"    // 换货已发出
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{Requested, Approved, ShippedBack, Received, Refunded, Exchanged, Rejected, Cancelled}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Final reports whether nothing more happens to a request in s.
func (s Status) Final() bool {
	return s == Rejected || s == Cancelled || s == Refunded || s == Exchanged
}

// Label is the status's message key.
func (s Status) Label() string { return "returns.status." + string(s) }

// Reason is why the shopper asks, from a fixed list so the report can
// count them.
type Reason string

// The reasons a shopper may pick.
const (
	ReasonQuality     Reason = "quality"      // 质量问题
	ReasonSize        Reason = "size"         // 尺码不合适
	ReasonNotAsDesc   Reason = "not_as_desc"  // 与描述不符
	ReasonWrongItem   Reason = "wrong_item"   // 发错货
	ReasonUnwanted    Reason = "unwanted"     // 不想要了（七天无理由）
	ReasonDamaged     Reason = "damaged"      // 物流损坏
	ReasonNotReceived Reason = "not_received" // 未收到货
	ReasonMissing     Reason = "missing"      // 少件漏发
)

// Reasons lists every reason in display order.
var Reasons = []Reason{ReasonQuality, ReasonSize, ReasonNotAsDesc, ReasonWrongItem, ReasonUnwanted, ReasonDamaged, ReasonNotReceived, ReasonMissing}

// Valid reports whether r is a known reason.
func (r Reason) Valid() bool { return slices.Contains(Reasons, r) }

// Label is the reason's message key.
func (r Reason) Label() string { return "returns.reason." + string(r) }

// Condition is what inspection found of the returned units.
type Condition string

// The conditions: resaleable units go back on the shelf, damaged ones
// do not.
const (
	Resaleable Condition = "resaleable" // 可二次销售
	Damaged    Condition = "damaged"    // 残损
)

// Valid reports whether c is a known condition.
func (c Condition) Valid() bool { return c == Resaleable || c == Damaged }

// Label is the condition's message key.
func (c Condition) Label() string { return "returns.condition." + string(c) }

// Return is one after-sale request with its lines.
type Return struct {
	ID          platform.ID    `json:"id"`
	RMANo       string         `json:"rma_no"`
	OrderID     platform.ID    `json:"order_id"`
	OrderNo     string         `json:"order_no"`
	CustomerID  platform.ID    `json:"customer_id"`
	Kind        Kind           `json:"kind"`
	Status      Status         `json:"status"`
	Reason      Reason         `json:"reason"`
	Description string         `json:"description,omitempty"`
	Amount      platform.Money `json:"refund_amount"`
	// RejectReason is why staff refused (shown to the shopper).
	RejectReason       string      `json:"reject_reason,omitempty"`
	ReturnCarrier      string      `json:"return_carrier,omitempty"`
	ReturnTrackingNo   string      `json:"return_tracking_no,omitempty"`
	ExchangeCarrier    string      `json:"exchange_carrier,omitempty"`
	ExchangeTrackingNo string      `json:"exchange_tracking_no,omitempty"`
	WarehouseID        platform.ID `json:"warehouse_id,omitempty"`
	HandledBy          string      `json:"-"`
	Lines              []Line      `json:"lines"`
	// Photos are the ids of the shopper's photos, served under the
	// request's photos path.
	Photos        []platform.ID `json:"photos,omitempty"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	ApprovedAt    *time.Time    `json:"approved_at,omitempty"`
	ShippedBackAt *time.Time    `json:"shipped_back_at,omitempty"`
	ReceivedAt    *time.Time    `json:"received_at,omitempty"`
	ClosedAt      *time.Time    `json:"closed_at,omitempty"`
}

// Line is one order line's part of a request.
type Line struct {
	OrderLineID platform.ID    `json:"order_line_id"`
	SKUID       platform.ID    `json:"sku_id"`
	ProductID   platform.ID    `json:"product_id"`
	Title       string         `json:"title"`
	SpecText    string         `json:"spec_text,omitempty"`
	Qty         int            `json:"qty"`
	Amount      platform.Money `json:"amount"`
	AcceptedQty int            `json:"accepted_qty"`
	Condition   Condition      `json:"condition,omitempty"`
	// ExchangeSKUID is the SKU sent in exchange (exchange only).
	ExchangeSKUID platform.ID `json:"exchange_sku_id,omitempty"`
}

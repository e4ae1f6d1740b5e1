// Package payment takes the shop's money and gives it back: payment
// providers (an online gateway, cash on delivery, bank transfer confirmed
// by staff), the notification endpoint that marks payments captured,
// refunds allocated exactly over an order's lines, and the daily
// reconciliation of captures against paid orders and refunds.
//
// Two promises shape it. Never charge twice: a payment is captured by one
// conditional update (pending → captured), duplicate notifications are
// recognised by their id, and a payment never moves backwards. Never lose
// an acknowledged order: a capture is recorded whatever state the order
// is in (money that moved is never dropped) and the reconciliation flags
// what needs a person.
//
// Order status changes go through the Orders interface: OrderMachine
// uses the order domain's state machine, TableOrders writes the order
// tables directly (tests of this package, tools).
package payment

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrationsFS embed.FS

// Migrations are the payment tables and the columns added to payments and
// refunds.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrationsFS, "migrations")
	return store.Migrations{Name: "payment", FS: sub}
}

// Method is how a shopper pays.
type Method string

const (
	Online       Method = "online"
	COD          Method = "cod"
	BankTransfer Method = "bank_transfer"
)

// Status is where a payment stands. It only moves forward: pending to
// captured or cancelled, and cancelled to captured when money arrives
// anyway; never away from captured.
type Status string

const (
	Pending   Status = "pending"
	Captured  Status = "captured"
	Cancelled Status = "cancelled"
)

// Refund statuses (the refunds table's).
const (
	RefundRequested = "requested"
	RefundApproved  = "approved"
	RefundRefunded  = "refunded"
	RefundRejected  = "rejected"
)

// DefaultCurrency is the shop's currency.
const DefaultCurrency = "CNY"

// Payment is one attempt to pay an order.
type Payment struct {
	ID          platform.ID    `json:"id"`
	OrderID     platform.ID    `json:"order_id"`
	Method      Method         `json:"method"`
	Provider    string         `json:"provider"`
	Amount      platform.Money `json:"amount"`
	Currency    string         `json:"currency"`
	Status      Status         `json:"status"`
	ExternalRef string         `json:"external_ref"`
	CapturedAt  *time.Time     `json:"captured_at,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
}

// Error codes.
var (
	CodeAmountMismatch = platform.NewCode("payment_amount_mismatch", http.StatusUnprocessableEntity,
		platform.Message{ZH: "金额或币种与支付单不符", EN: "The amount or currency does not match the payment"})
	CodeBadSignature = platform.NewCode("payment_bad_signature", http.StatusUnauthorized,
		platform.Message{ZH: "通知签名无效或已过期", EN: "The notification's signature is invalid, stale or replayed"})
	CodeNotPayable = platform.NewCode("payment_not_payable", http.StatusConflict,
		platform.Message{ZH: "该订单当前不能支付", EN: "This order cannot be paid now"})
	CodeNotPending = platform.NewCode("payment_not_pending", http.StatusConflict,
		platform.Message{ZH: "该支付单不是待确认状态", EN: "This payment is not waiting for confirmation"})
	CodeWrongMethod = platform.NewCode("payment_wrong_method", http.StatusConflict,
		platform.Message{ZH: "该支付方式不支持此操作", EN: "This payment method does not allow that"})
	CodeReferenceUsed = platform.NewCode("payment_reference_used", http.StatusConflict,
		platform.Message{ZH: "该转账流水号已用于其他订单", EN: "This transfer reference already confirmed another payment"})
	CodeProviderUnavailable = platform.NewCode("payment_provider_unavailable", http.StatusServiceUnavailable,
		platform.Message{ZH: "支付渠道暂不可用，请稍后重试", EN: "The payment provider is unavailable; try again later"})
	CodeUnknownProvider = platform.NewCode("payment_unknown_provider", http.StatusNotFound,
		platform.Message{ZH: "不支持该支付渠道", EN: "Unknown payment provider"})
	CodeRefundExceeds = platform.NewCode("refund_exceeds_captured", http.StatusConflict,
		platform.Message{ZH: "退款金额超过可退金额", EN: "The refund exceeds what was captured and not yet refunded"})
	CodeRefundKeyReused = platform.NewCode("refund_key_reused", http.StatusUnprocessableEntity,
		platform.Message{ZH: "该退款请求编号已用于不同的退款", EN: "This refund request key was already used for a different refund"})
)

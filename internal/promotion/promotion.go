// Package promotion stores the shop's price rules and coupons and keeps
// their use honest: rules and coupon batches are pricing.Rule and
// pricing.Batch definitions saved as JSON beside the columns that select
// them; codes are issued in bulk, claimed by customers or published for
// anyone; redemptions record which order used which code.
//
// Checkout calls ActiveRules, LoadCoupons, Redeem and ReleaseForOrder
// inside its own transaction. Limits are enforced by conditional updates
// (a batch's used count, a customer's uses of a batch, a single-use code's
// status) and a unique index on live single-use redemptions, never by
// reading a count and writing it back, so concurrent checkouts can never
// use a coupon past its limit: the one that loses gets a 409.
//
// Invariants, kept in the transaction of every change:
//   - coupon_batches.used equals the batch's live (unreleased) redemptions;
//   - coupon_customer_uses.used equals the customer's live redemptions of
//     the batch;
//   - a single-use code has at most one live redemption, and its status
//     is redeemed exactly while it has one.
package promotion

import (
	"embed"
	"io/fs"
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Migrations are the promotion tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "promotion", FS: sub}
}

// Status is where a rule or a batch is in its life.
type Status string

// The statuses of rules and batches. Only active ones price orders.
const (
	Draft  Status = "draft"
	Active Status = "active"
	Paused Status = "paused"
	Ended  Status = "ended"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Draft || s == Active || s == Paused || s == Ended }

// CodeStatus is where a coupon code is in its life.
type CodeStatus string

// The code statuses.
const (
	CodeIssued   CodeStatus = "issued"
	CodeClaimed  CodeStatus = "claimed"
	CodeRedeemed CodeStatus = "redeemed"
	CodeVoid     CodeStatus = "void"
)

// Error codes of the promotion domain.
var (
	// CodeUnknownCoupon: a code that does not exist (the message names it).
	CodeUnknownCoupon = platform.NewCode("coupon_unknown", http.StatusUnprocessableEntity,
		platform.Message{ZH: "优惠券不存在", EN: "No such coupon"})
	// CodeCouponUnavailable: the code exists but was voided, or its batch
	// is not running (draft, paused, ended).
	CodeCouponUnavailable = platform.NewCode("coupon_unavailable", http.StatusUnprocessableEntity,
		platform.Message{ZH: "优惠券不可用", EN: "This coupon cannot be used"})
	// CodeCouponLimit: the batch's total uses are taken (a concurrent
	// checkout may have taken the last one).
	CodeCouponLimit = platform.NewCode("coupon_limit_reached", http.StatusConflict,
		platform.Message{ZH: "优惠券已被领完或用完", EN: "This coupon has run out"})
	// CodeCouponCustomerLimit: this customer used the batch as often as
	// it allows.
	CodeCouponCustomerLimit = platform.NewCode("coupon_customer_limit", http.StatusConflict,
		platform.Message{ZH: "您已达到该优惠券的使用次数上限", EN: "You have used this coupon as often as it allows"})
	// CodeCouponSpent: a single-use code was already redeemed (or is not
	// this customer's).
	CodeCouponSpent = platform.NewCode("coupon_spent", http.StatusConflict,
		platform.Message{ZH: "优惠券已使用", EN: "This coupon has already been used"})
	// CodeNoFreeCode: a claim from a batch that has no unclaimed code left.
	CodeNoFreeCode = platform.NewCode("coupon_none_left", http.StatusConflict,
		platform.Message{ZH: "该批次没有可领取的券码", EN: "No unclaimed code is left in this batch"})
	// CodeCodeTaken: a public code that another batch already uses.
	CodeCodeTaken = platform.NewCode("coupon_code_taken", http.StatusConflict,
		platform.Message{ZH: "券码已存在", EN: "This code already exists"})
)

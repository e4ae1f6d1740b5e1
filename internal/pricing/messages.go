package pricing

import (
	"net/http"
	"strconv"

	"storeops/internal/platform"
)

// CodePriceChanged: the total a client was shown no longer matches the
// cart's price (409, with the new totals).
var CodePriceChanged = platform.NewCode("price_changed", http.StatusConflict,
	platform.Message{ZH: "价格已变化，最新应付金额为 %s，请确认后重新提交", EN: "The price has changed; the amount due is now %s. Please review and submit again"})

// Reason is a stable code for why a coupon was not applied.
type Reason string

// The reasons a coupon is rejected, in the order they are checked.
const (
	ReasonDuplicate      Reason = "duplicate"              // the same coupon twice
	ReasonInvalid        Reason = "invalid"                // its definition fails Validate
	ReasonNotOwner       Reason = "not_owner"              // issued to another customer
	ReasonNotStarted     Reason = "not_started"            // before its window
	ReasonExpired        Reason = "expired"                // after its window
	ReasonSpent          Reason = "spent"                  // single-use code already used
	ReasonLimitReached   Reason = "limit_reached"          // the batch's total uses are gone
	ReasonSignInRequired Reason = "sign_in_required"       // a per-customer limit needs a customer
	ReasonCustomerLimit  Reason = "customer_limit_reached" // this customer used it up
	ReasonTier           Reason = "tier_mismatch"          // for other membership tiers
	ReasonFirstOrderOnly Reason = "first_order_only"       // for first orders only
	ReasonOutOfScope     Reason = "out_of_scope"           // covers nothing left to pay in the cart
	ReasonBelowMinimum   Reason = "below_minimum"          // the covered amount is under MinSpend
	ReasonNoShipping     Reason = "no_shipping_fee"        // free shipping with nothing to waive
	ReasonExclusive      Reason = "exclusive"              // another coupon applies alone
	ReasonNotStackable   Reason = "not_stackable"          // does not combine with ConflictsWith
)

// Message keys of the explanations.
const (
	keyMember       = "pricing.explain.member_price"
	keyPercentOff   = "pricing.explain.percent_off"
	keyAmountOff    = "pricing.explain.amount_off"
	keyMultiBuy     = "pricing.explain.multi_buy"
	keyBundle       = "pricing.explain.bundle"
	keyTiered       = "pricing.explain.tiered"
	keyTieredRepeat = "pricing.explain.tiered_repeat"
	keyFreeShipping = "pricing.explain.free_shipping"
	keyCouponAmount = "pricing.explain.coupon_amount"
	keyCouponPct    = "pricing.explain.coupon_percent"
	keyCouponShip   = "pricing.explain.coupon_free_shipping"
	keyPoints       = "pricing.explain.points"
)

// Messages are the package's texts: validation messages, explanations,
// coupon reasons and discount rates. They are registered when the package
// loads; a module may list them too (registering twice is harmless).
var Messages = platform.Texts{
	"pricing.too_many_lines":      {"购物车最多 %d 行", "a cart holds at most %d lines"},
	"pricing.duplicate_sku":       {"SKU 重复或无效", "is missing or repeated"},
	"pricing.quantity_range":      {"数量应在 1 到 %d 之间", "must be between 1 and %d"},
	"pricing.price_range":         {"金额超出范围", "is out of range"},
	"pricing.not_negative":        {"不能为负数", "must not be negative"},
	"pricing.positive_amount":     {"金额必须大于 0", "must be more than zero"},
	"pricing.percent_range":       {"百分比应在 %d 到 %d 之间", "must be a percentage from %d to %d"},
	"pricing.points_rate":         {"积分兑换比例无效", "the points rate is not set"},
	"pricing.every_n_range":       {"件数应在 %d 到 %d 之间", "must be from %d to %d items"},
	"pricing.bundle_items":        {"组合至少 2 件、最多 %d 种商品", "a bundle needs at least 2 units and at most %d SKUs"},
	"pricing.steps_count":         {"满减档位应为 1 到 %d 个", "needs 1 to %d tiers"},
	"pricing.steps_ascending":     {"满减档位的门槛和减额必须逐档递增", "each tier must have a higher threshold and a larger saving than the one before"},
	"pricing.repeat_one_step":     {"每满减只能有一个档位", "a repeating saving has exactly one tier"},
	"pricing.off_above_threshold": {"减额不能超过门槛", "the saving cannot exceed the threshold"},
	"pricing.window_order":        {"结束时间必须晚于开始时间", "must be after the start"},
	"pricing.unknown_kind":        {"不支持的类型", "is not a known kind"},
	"pricing.clock_format":        {"时间格式应为 HH:MM", "must be a time as HH:MM"},
	"pricing.limit_above_total":   {"每人限用次数不能超过总数", "cannot exceed the total limit"},
	"pricing.exclusive_stackable": {"独享券不能设为可叠加", "an exclusive coupon cannot be stackable"},

	keyMember:       {"%s 会员价 %s", "%s member price %s"},
	keyPercentOff:   {"%s：%s", "%s: %s"},
	keyAmountOff:    {"%s：每件立减 %s", "%s: %s off each"},
	keyMultiBuy:     {"%s：每 %s 件其中 1 件%s", "%s: in every %s, one is %s"},
	keyBundle:       {"%s：%s 套组合，每套 %s", "%s: %s × bundle at %s"},
	keyTiered:       {"%s：满 %s 减 %s", "%s: spend %s, save %s"},
	keyTieredRepeat: {"%s：每满 %s 减 %s", "%s: save on every %s, %s each"},
	keyFreeShipping: {"%s：满 %s 包邮", "%s: free shipping from %s"},
	keyCouponAmount: {"优惠券「%s」：减 %s", "Coupon “%s”: %s off"},
	keyCouponPct:    {"优惠券「%s」：%s", "Coupon “%s”: %s"},
	keyCouponShip:   {"优惠券「%s」：免运费", "Coupon “%s”: free shipping"},
	keyPoints:       {"%s 积分抵扣", "%s points redeemed"},

	"pricing.reason.duplicate":              {"优惠券重复使用", "This coupon was applied twice"},
	"pricing.reason.invalid":                {"优惠券无效", "This coupon is not valid"},
	"pricing.reason.not_owner":              {"该优惠券不属于您", "This coupon belongs to another customer"},
	"pricing.reason.not_started":            {"优惠券尚未生效", "This coupon is not valid yet"},
	"pricing.reason.expired":                {"优惠券已过期", "This coupon has expired"},
	"pricing.reason.spent":                  {"优惠券已使用", "This coupon has been used"},
	"pricing.reason.limit_reached":          {"优惠券已被领完或用完", "This coupon has run out"},
	"pricing.reason.sign_in_required":       {"登录后才能使用该优惠券", "Sign in to use this coupon"},
	"pricing.reason.customer_limit_reached": {"您已达到该优惠券的使用次数上限", "You have used this coupon as often as allowed"},
	"pricing.reason.tier_mismatch":          {"您的会员等级不能使用该优惠券", "This coupon is for other membership tiers"},
	"pricing.reason.first_order_only":       {"该优惠券仅限首单使用", "This coupon is for first orders only"},
	"pricing.reason.out_of_scope":           {"购物车中没有可用该优惠券的商品", "Nothing in the cart is covered by this coupon"},
	"pricing.reason.below_minimum":          {"未满 %s，不能使用该优惠券", "Spend %s on covered items to use this coupon"},
	"pricing.reason.no_shipping_fee":        {"订单无运费，无需包邮券", "There is no shipping fee to waive"},
	"pricing.reason.exclusive":              {"不能与优惠券「%s」同时使用", "Cannot be combined with coupon “%s”"},
	"pricing.reason.not_stackable":          {"不能与优惠券「%s」同时使用", "Cannot be combined with coupon “%s”"},
}

func init() {
	for p := 1; p <= 100; p++ {
		Messages[rateKey(p)] = rateTexts(p)
	}
	platform.RegisterTexts(Messages)
}

// rateTexts renders p percent off as shoppers say it: 8折 / 20% off,
// 8.5折 / 15% off, 免单 / free. The per cent sign is escaped, as in every
// catalog text; Explanation.Text unescapes it.
func rateTexts(p int) [2]string {
	if p == 100 {
		return [2]string{"免单", "free"}
	}
	fold := strconv.Itoa((100 - p) / 10)
	if d := (100 - p) % 10; d != 0 {
		fold += "." + strconv.Itoa(d)
	}
	return [2]string{fold + "折", strconv.Itoa(p) + "%% off"}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Package checkout turns a shopper's cart into an order. Place runs one
// write transaction that reads the selected cart lines at today's prices,
// prices them with the pricing engine (rules, coupons, points), compares
// the payable amount with the one the shopper was shown (409 with the new
// price when they differ), reserves stock in the nearest warehouses,
// redeems the coupons, creates the order with its lines, first status
// step and a pending payment, removes the bought lines from the cart and
// schedules the cancellation of the order if it stays unpaid. Either all
// of it happens or none of it.
//
// Retries are safe: checkout requires an Idempotency-Key, and the key is
// recorded in the same transaction as the order (unique per customer), so
// a retry after a lost response, even one that outlived the stored
// response, finds the order it already made instead of making another.
//
// Checkout also owns what becomes of what it took: when an order is
// cancelled its stock reservation and coupon redemptions are released,
// and when it ships its reservation becomes a sale in the stock ledger
// (order transition hooks, in the transition's own transaction).
package checkout

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

//go:embed templates
var templates embed.FS

// Migrations are checkout's table of idempotency keys.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "checkout", FS: sub}
}

// Config tunes checkout.
type Config struct {
	// UnpaidTimeout is how long an online order may wait for payment
	// before it is cancelled (default 30 minutes); TransferTimeout the
	// same for bank transfers, which take longer (default 72 hours).
	UnpaidTimeout   time.Duration
	TransferTimeout time.Duration
	// OnlineProvider is the payment provider online orders are paid
	// through; "" when the shop has none, and online payment is refused.
	OnlineProvider string
}

func (c Config) withDefaults() Config {
	if c.UnpaidTimeout <= 0 {
		c.UnpaidTimeout = 30 * time.Minute
	}
	if c.TransferTimeout <= 0 {
		c.TransferTimeout = 72 * time.Hour
	}
	return c
}

// Payment methods a shopper may choose.
const (
	MethodOnline       = "online"
	MethodCOD          = "cod"
	MethodBankTransfer = "bank_transfer"
)

// MaxNoteLen bounds the shopper's note to the shop (characters).
const MaxNoteLen = 200

// Error codes.
var (
	CodeEmptyCart = platform.NewCode("checkout_empty_cart", http.StatusUnprocessableEntity,
		platform.Message{ZH: "购物车里没有选中的商品", EN: "No items in the cart are selected for checkout"})
	CodeLinesChanged = platform.NewCode("checkout_lines_unavailable", http.StatusConflict,
		platform.Message{ZH: "部分商品已下架或库存不足，请返回购物车调整", EN: "Some items are no longer on sale or not in stock; adjust your cart"})
	CodeKeyRequired = platform.NewCode("checkout_idempotency_key_required", http.StatusBadRequest,
		platform.Message{ZH: "下单请求需要 Idempotency-Key 请求头，以免重复下单", EN: "Checkout needs an Idempotency-Key header so a retry cannot order twice"})
	CodePointsUnavailable = platform.NewCode("checkout_points_unavailable", http.StatusUnprocessableEntity,
		platform.Message{ZH: "积分抵扣暂未开通", EN: "Paying with points is not available yet"})
	CodeOnlineUnavailable = platform.NewCode("checkout_online_unavailable", http.StatusUnprocessableEntity,
		platform.Message{ZH: "本店暂未开通在线支付，请选择货到付款或银行转账", EN: "This shop takes no online payments yet; choose cash on delivery or bank transfer"})
	CodeNotCancellable = platform.NewCode("checkout_order_not_cancellable", http.StatusConflict,
		platform.Message{ZH: "只有待付款的订单可以由买家取消", EN: "Only an order waiting for payment can be cancelled by the shopper"})
)

// Texts are checkout's messages.
var Texts = platform.Texts{
	"kind.address":              {"收货地址", "address"},
	"kind.shopper_order":        {"订单", "order"},
	"checkout.too_many_coupons": {"最多使用 %d 张优惠券", "at most %d coupons per order"},
	"checkout.points_balance":   {"不能超过积分余额 %d", "must not exceed your balance of %d points"},
	"checkout.points":           {"使用积分", "Pay with points"},
	"checkout.points_paid":      {"积分抵扣（%d 分）", "Points (%d)"},
	"checkout.member_price":     {"会员价优惠", "Member price"},
	"checkout.expected_total":   {"须填写页面上显示的应付金额（分）", "must be the payable amount you were shown, in fen"},
	"checkout.method_invalid":   {"须为 online、cod 或 bank_transfer", "must be online, cod or bank_transfer"},
	"checkout.title":            {"确认订单", "Checkout"},
	"checkout.address":          {"收货地址", "Shipping address"},
	"checkout.no_address":       {"还没有收货地址，请先添加", "No address yet; add one first"},
	"checkout.add_address":      {"添加收货地址", "Add an address"},
	"checkout.coupon":           {"优惠券码", "Coupon code"},
	"checkout.recipient":        {"收货人", "Recipient"},
	"checkout.mobile":           {"手机号", "Mobile"},
	"checkout.province":         {"省份", "Province"},
	"checkout.city":             {"城市", "City"},
	"checkout.district":         {"区县", "District"},
	"checkout.detail":           {"详细地址", "Street address"},
	"checkout.default_address":  {"设为默认地址", "Make it my default address"},
	"checkout.save_address":     {"保存地址", "Save address"},
	"checkout.apply":            {"使用", "Apply"},
	"checkout.method":           {"支付方式", "Payment"},
	"checkout.method_online":    {"在线支付（支付宝 / 微信支付）", "Pay online (Alipay / WeChat Pay)"},
	"checkout.method_cod":       {"货到付款", "Cash on delivery"},
	"checkout.method_transfer":  {"银行转账", "Bank transfer"},
	"checkout.note":             {"订单备注", "Note to the shop"},
	"checkout.items":            {"商品金额", "Items"},
	"checkout.discount":         {"优惠", "Discount"},
	"checkout.shipping":         {"运费", "Shipping"},
	"checkout.payable":          {"应付金额", "To pay"},
	"checkout.place":            {"提交订单", "Place order"},
	"checkout.price_changed":    {"价格有变化，请确认新的金额后再提交", "The price has changed; check the new amount and place the order again"},
	"checkout.sign_in":          {"请先登录后再结算", "Sign in to check out"},
	"checkout.coupon_rejected":  {"优惠券 %s 不可用：%s", "Coupon %s cannot be used: %s"},
	"checkout.orders":           {"我的订单", "My orders"},
	"checkout.no_orders":        {"还没有订单", "No orders yet"},
	"checkout.order":            {"订单 %s", "Order %s"},
	"checkout.pay":              {"去支付", "Pay now"},
	"checkout.cancel":           {"取消订单", "Cancel order"},
	"checkout.cancel_reason":    {"买家取消", "Cancelled by the shopper"},
	"checkout.unpaid_cancelled": {"超时未支付，自动取消", "Not paid in time; cancelled automatically"},
	"checkout.placed_reason":    {"提交订单", "Order placed"},
	"checkout.cod_confirmed":    {"货到付款订单确认", "Cash-on-delivery order confirmed"},
	"checkout.status":           {"状态", "Status"},
	"checkout.placed_at":        {"下单时间", "Placed"},
	"checkout.timeline":         {"订单进度", "Progress"},
	"checkout.pay_by":           {"请在 %s 前完成支付，超时订单将自动取消", "Pay by %s or the order is cancelled"},
}

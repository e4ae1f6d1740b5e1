package order

import (
	"net/http"

	"storeops/internal/platform"
)

// The order domain's error codes. Clients branch on them; they never
// change once released.
var (
	// CodeIllegalTransition (409): the transition table has no edge from
	// the order's status to the one asked for. Args: both statuses.
	CodeIllegalTransition = platform.NewCode("order_illegal_transition", http.StatusConflict,
		platform.Message{ZH: "订单状态不能从「%s」变为「%s」", EN: "An order cannot go from %s to %s"})
	// CodeAfterSaleClosed (409): the after-sale window has passed.
	CodeAfterSaleClosed = platform.NewCode("order_after_sale_closed", http.StatusConflict,
		platform.Message{ZH: "已超过售后期限（签收后 %d 天内可申请）", EN: "The after-sale window (%d days from delivery) has closed"})
	// CodeStatusChanged (409): another change moved the order first; the
	// caller should reload and decide again.
	CodeStatusChanged = platform.NewCode("order_status_changed", http.StatusConflict,
		platform.Message{ZH: "订单状态已被其他操作修改，请刷新后重试", EN: "The order changed meanwhile; reload and try again"})
	// CodeRefundUnavailable (501): no payment domain has registered a
	// refunder yet (see SetRefunder).
	CodeRefundUnavailable = platform.NewCode("order_refund_unavailable", http.StatusNotImplemented,
		platform.Message{ZH: "退款功能尚未启用", EN: "Refunds are not available yet"})
	// CodeBadSheet (422): an uploaded spreadsheet cannot be read or lacks
	// the expected columns.
	CodeBadSheet = platform.NewCode("order_bad_sheet", http.StatusUnprocessableEntity,
		platform.Message{ZH: "无法读取上传的表格：%s", EN: "The uploaded sheet cannot be read: %s"})
)

// errIllegal is the 409 naming both statuses in the reader's language.
func errIllegal(from, to Status) *platform.Error {
	e := platform.Errorf(CodeIllegalTransition, "", platform.Key(from.Label()), platform.Key(to.Label()))
	e.Extra = map[string]any{"from": from, "to": to}
	return e
}

var messages = platform.Texts{
	"kind.order":                   {"订单", "order"},
	"order.status.pending_payment": {"待付款", "pending payment"},
	"order.status.paid":            {"已付款", "paid"},
	"order.status.allocated":       {"已配货", "allocated"},
	"order.status.shipped":         {"已发货", "shipped"},
	"order.status.delivered":       {"已签收", "delivered"},
	"order.status.completed":       {"已完成", "completed"},
	"order.status.cancelled":       {"已取消", "cancelled"},
	"order.status.after_sale":      {"售后中", "after-sale"},
	"order.actor.staff":            {"员工", "Staff"},
	"order.actor.customer":         {"买家", "Customer"},
	"order.actor.system":           {"系统", "System"},
	"order.actor.carrier":          {"快递", "Carrier"},
	"order.actor.warehouse":        {"仓库", "Warehouse"},
	"order.field.missing_column":   {"缺少列「%s」", "the column \"%s\" is missing"},
}

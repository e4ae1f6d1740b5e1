package returns

import (
	"net/http"

	"storeops/internal/platform"
)

// The returns domain's error codes. Clients branch on them; they never
// change once released.
var (
	// CodeNotDelivered (409): the order has not reached the shopper, so
	// its goods cannot be returned or exchanged (a refund only needs the
	// parcel shipped; an unshipped order is cancelled instead).
	CodeNotDelivered = platform.NewCode("returns_not_delivered", http.StatusConflict,
		platform.Message{ZH: "订单尚未签收，不能申请退货或换货（未发货的订单请直接取消）", EN: "The order has not been delivered, so it cannot be returned or exchanged (cancel an unshipped order instead)"})
	// CodeWindowClosed (409): the after-sale window after delivery has
	// passed.
	CodeWindowClosed = platform.NewCode("returns_window_closed", http.StatusConflict,
		platform.Message{ZH: "已超过售后期限（签收后 %d 天内可申请）", EN: "The after-sale window (%d days from delivery) has closed"})
	// CodeQtyExceeds (409): a line asks for more units than were bought
	// minus those already in other requests.
	CodeQtyExceeds = platform.NewCode("returns_qty_exceeds", http.StatusConflict,
		platform.Message{ZH: "「%s」最多还可申请 %d 件", EN: "At most %[2]d more of “%[1]s” can be returned"})
	// CodeStatus (409): the request is not at a step that allows this
	// action (already decided, not yet shipped back…).
	CodeStatus = platform.NewCode("returns_status", http.StatusConflict,
		platform.Message{ZH: "售后单当前状态（%s）不能执行此操作", EN: "The request's current status (%s) does not allow this"})
	// CodeWrongKind (409): the action does not apply to this kind of
	// request (shipping back a refund only, refunding an exchange…).
	CodeWrongKind = platform.NewCode("returns_wrong_kind", http.StatusConflict,
		platform.Message{ZH: "该类型的售后单不能执行此操作", EN: "This kind of request does not take this action"})
	// CodeNothingAccepted (409): inspection accepted no unit, so there is
	// nothing to refund or exchange (reject the request instead).
	CodeNothingAccepted = platform.NewCode("returns_nothing_accepted", http.StatusConflict,
		platform.Message{ZH: "验货没有合格的商品，无可退款或换货（请驳回）", EN: "Inspection accepted no unit: nothing to refund or exchange (reject instead)"})
)

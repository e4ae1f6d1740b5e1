package invoice

import (
	"net/http"

	"storeops/internal/platform"
)

// The invoice domain's error codes. Clients branch on them; they never
// change once released.
var (
	// CodeOrderNotEligible (409): the order is not paid yet, cancelled,
	// or refunded in full (nothing left to invoice).
	CodeOrderNotEligible = platform.NewCode("invoice_order_not_eligible", http.StatusConflict,
		platform.Message{ZH: "订单付款后才能申请发票；已取消或已全额退款的订单不能申请", EN: "An invoice can be requested once the order is paid, and not for a cancelled or fully refunded order"})
	// CodeExists (409): the order already has an open or issued request.
	CodeExists = platform.NewCode("invoice_exists", http.StatusConflict,
		platform.Message{ZH: "该订单已申请或已开具发票", EN: "This order already has an invoice request or an invoice"})
	// CodeNotPending (409): the request is no longer waiting: it was
	// issued, rejected or cancelled, so it cannot be changed or decided.
	CodeNotPending = platform.NewCode("invoice_not_pending", http.StatusConflict,
		platform.Message{ZH: "发票申请已处理，不能再修改", EN: "The invoice request has already been handled"})
	// CodeNumberTaken (409): another request carries that invoice number.
	CodeNumberTaken = platform.NewCode("invoice_number_taken", http.StatusConflict,
		platform.Message{ZH: "该发票号码已被使用", EN: "That invoice number is already recorded"})
)

package review

import (
	"net/http"

	"storeops/internal/platform"
)

// The review domain's error codes. Clients branch on them; they never
// change once released.
var (
	// CodeNotEligible (409): the order line's order has not been
	// delivered (or was cancelled), so it cannot be reviewed yet.
	CodeNotEligible = platform.NewCode("review_not_eligible", http.StatusConflict,
		platform.Message{ZH: "订单签收后才能评价", EN: "A product can be reviewed once its order has been delivered"})
	// CodeExists (409): the order line already has its review.
	CodeExists = platform.NewCode("review_exists", http.StatusConflict,
		platform.Message{ZH: "这件商品已经评价过了", EN: "This item has already been reviewed"})
	// CodeNotPending (409): the review is not waiting for moderation.
	CodeNotPending = platform.NewCode("review_not_pending", http.StatusConflict,
		platform.Message{ZH: "该评价不在待审核状态", EN: "The review is not waiting for moderation"})
	// CodeRejected (409): a rejected review is hidden and takes no reply
	// and no second rejection.
	CodeRejected = platform.NewCode("review_rejected", http.StatusConflict,
		platform.Message{ZH: "该评价已被驳回", EN: "The review has been rejected"})
)

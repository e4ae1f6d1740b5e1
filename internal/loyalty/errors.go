package loyalty

import (
	"net/http"

	"storeops/internal/platform"
)

// The loyalty domain's error codes. Clients branch on them; they never
// change once released.
var (
	// CodeNotEnoughPoints (409): the customer's balance is smaller than
	// the points asked for (a concurrent redemption may have spent them).
	CodeNotEnoughPoints = platform.NewCode("loyalty_not_enough_points", http.StatusConflict,
		platform.Message{ZH: "积分余额不足", EN: "Not enough points"})
	// CodeTierInUse (409): a tier that customers hold, or the lowest
	// tier, cannot be deleted.
	CodeTierInUse = platform.NewCode("loyalty_tier_in_use", http.StatusConflict,
		platform.Message{ZH: "该等级仍有会员或为最低等级，不能删除", EN: "This tier still has members or is the lowest tier"})
)

package catalog

import (
	"net/http"

	"storeops/internal/platform"
)

// The catalog's error codes. Clients branch on them; they never change
// once released.
var (
	// CodeStatusTransition (409): the listing lifecycle has no move from
	// the product's status to the one asked for (draft → on sale → off
	// sale → on sale or archived). The problem carries "from" and "to".
	CodeStatusTransition = platform.NewCode("catalog_status_transition", http.StatusConflict,
		platform.Message{ZH: "商品当前状态不能进行此操作", EN: "The product cannot move to that status from its current one"})
	// CodeNotSellable (409): a product goes on sale only with at least
	// one active SKU priced above zero.
	CodeNotSellable = platform.NewCode("catalog_not_sellable", http.StatusConflict,
		platform.Message{ZH: "商品没有价格大于 0 的有效 SKU，不能上架", EN: "The product has no active SKU with a price, so it cannot go on sale"})
	// CodeSKUTaken (409): another product already uses that SKU code.
	CodeSKUTaken = platform.NewCode("catalog_sku_taken", http.StatusConflict,
		platform.Message{ZH: "SKU 编码已被其他商品使用", EN: "That SKU code belongs to another product"})
)

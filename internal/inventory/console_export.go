package inventory

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// The stock page's export: its table id, and a bound on rows so an export
// of every level of a large shop stays a download, not an outage.
const (
	stockTable       = "stock-table"
	stockExportLimit = 20000
)

// exportStock writes the filtered stock levels as XLSX, in the page's
// order.
func (h *handlers) exportStock(w http.ResponseWriter, r *http.Request, f StockFilter) error {
	t := &web.Table{ID: stockTable, Name: "stock", Title: "inventory.title", Columns: []web.Column{
		{Key: "inventory.sku_code", Kind: web.ColText}, {Key: "inventory.product", Kind: web.ColText},
		{Key: "inventory.warehouse", Kind: web.ColText}, {Key: "inventory.on_hand", Kind: web.ColInt},
		{Key: "inventory.reserved", Kind: web.ColInt}, {Key: "inventory.available", Kind: web.ColInt},
		{Key: "inventory.low", Kind: web.ColText},
	}}
	lang := web.LangOf(r)
	f.Page = platform.PageRequest{Limit: platform.MaxPageSize}
	for rows := 0; rows < stockExportLimit; {
		page, err := ListStock(r.Context(), h.db, f)
		if err != nil {
			return err
		}
		for _, s := range page.Items {
			low := ""
			if s.Low {
				low = platform.T(lang, "inventory.low")
			}
			t.Append(web.TextCell(s.SKUCode), web.TextCell(s.Title+" "+s.SpecText), web.TextCell(s.WarehouseCode),
				web.NumCell(s.OnHand), web.NumCell(s.Reserved), web.NumCell(s.Available), web.TextCell(low))
			rows++
		}
		if page.NextCursor == "" {
			break
		}
		next, err := platform.ParseCursor(page.NextCursor)
		if err != nil {
			return err
		}
		f.Page.After = next
	}
	return web.ServeXLSX(w, r, t)
}

package merch

import (
	"fmt"
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// NewData is the new-product tracker's view data.
type NewData struct {
	Rows      []NewProduct
	Window    int
	ExportURL string
}

const newTable = "new-table"

// newPage shows the products listed in the last 30 days against their
// category's medians; the same rows export to XLSX.
func (h *handlers) newPage(w http.ResponseWriter, r *http.Request) error {
	rows, err := NewProducts(r.Context(), h.db)
	if err != nil {
		return err
	}
	if web.WantsXLSX(r, newTable) {
		lang := web.LangOf(r)
		t := &web.Table{ID: newTable, Name: "new-products", Title: "merch.new_title", Columns: []web.Column{
			{Key: "merch.col.product_id"}, {Key: "merch.col.title"}, {Key: "merch.col.category"}, {Key: "merch.col.listed", Kind: web.ColDate},
			{Key: "merch.col.days", Kind: web.ColInt}, {Key: "merch.col.views", Kind: web.ColInt}, {Key: "merch.col.units", Kind: web.ColInt},
			{Key: "merch.col.conversion", Kind: web.ColPercent}, {Key: "merch.col.pace", Kind: web.ColInt},
			{Key: "merch.col.median_views", Kind: web.ColInt}, {Key: "merch.col.median_units", Kind: web.ColInt},
			{Key: "merch.col.median_conversion", Kind: web.ColPercent}, {Key: "merch.col.verdict"}}}
		for _, p := range rows {
			verdict := "merch.behind"
			if p.Ahead {
				verdict = "merch.ahead"
			}
			t.Append(web.TextCell(p.ID.String()), web.TextCell(p.Title), web.TextCell(p.Category), web.DateCell(p.ListedAt),
				web.NumCell(int64(p.Days)), web.NumCell(p.Views), web.NumCell(p.Units), bpCell(p.Conversion), web.NumCell(p.Pace),
				web.NumCell(p.MedianViews), web.NumCell(p.MedianUnits), bpCell(p.MedianConversion), web.TextCell(platform.T(lang, verdict)))
		}
		_, err := web.Export(w, r, t)
		return err
	}
	return h.rd.Render(w, r, http.StatusOK, "merch/new", NewData{Rows: rows, Window: NewWindowDays,
		ExportURL: (&web.Table{ID: newTable}).ExportURL(r)})
}

func bpCell(v *int64) web.Cell {
	if v == nil {
		return web.NullCell
	}
	return web.NumCell(*v)
}

// Percent shows basis points as a percentage, "12.34%"; nil is "—".
func (NewProduct) Percent(v *int64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%d.%02d%%", *v/100, *v%100)
}

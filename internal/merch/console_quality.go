package merch

import (
	"net/http"
	"strconv"
	"strings"

	"storeops/internal/catalog"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// QualityData is the fix-it list's view data.
type QualityData struct {
	Rows      []QualityView
	Total     int
	Average   int
	Poor      int // scored under PoorAt
	PoorAt    int
	Shown     int
	MoreURL   string
	ExportURL string
}

// QualityView is one product of the list with its fixes in the page's
// language.
type QualityView struct {
	QualityRow
	StatusLabel string
	FixTexts    []string
	NeedsImages bool
}

// PoorScore is the score under which a listing counts as poor.
const PoorScore = 60

const qualityTable = "quality-table"

// qualityPage lists products worst first with their concrete fixes; the
// XLSX export has every product.
func (h *handlers) qualityPage(w http.ResponseWriter, r *http.Request) error {
	lang := web.LangOf(r)
	rows, err := QualityList(r.Context(), h.db)
	if err != nil {
		return err
	}
	if web.WantsXLSX(r, qualityTable) {
		t := &web.Table{ID: qualityTable, Name: "listing-quality", Title: "merch.quality_title", Columns: []web.Column{
			{Key: "merch.col.product_id"}, {Key: "merch.col.title"}, {Key: "merch.col.category"}, {Key: "merch.col.status"},
			{Key: "merch.quality_score", Kind: web.ColInt}, {Key: "merch.quality_fixes"}}}
		for _, row := range rows {
			var texts []string
			for _, f := range row.Fixes {
				texts = append(texts, f.Text(lang))
			}
			t.Append(web.TextCell(row.ID.String()), web.TextCell(row.Title), web.TextCell(row.Category),
				web.TextCell(statusLabel(lang, row.Status)), web.NumCell(int64(row.Score)), web.TextCell(strings.Join(texts, "\n")))
		}
		_, err := web.Export(w, r, t)
		return err
	}
	limit := 100
	if n, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && n > 0 {
		limit = min(n, 5000)
	}
	data := QualityData{Total: len(rows), PoorAt: PoorScore, ExportURL: (&web.Table{ID: qualityTable}).ExportURL(r)}
	sum := 0
	for i, row := range rows {
		sum += row.Score
		if row.Score < PoorScore {
			data.Poor++
		}
		if i >= limit {
			continue
		}
		v := QualityView{QualityRow: row, StatusLabel: statusLabel(lang, row.Status)}
		for _, f := range row.Fixes {
			v.FixTexts = append(v.FixTexts, f.Text(lang))
			v.NeedsImages = v.NeedsImages || f.Code == "no_images" || f.Code == "few_images"
		}
		data.Rows = append(data.Rows, v)
	}
	if len(rows) > 0 {
		data.Average = (sum + len(rows)/2) / len(rows)
	}
	data.Shown = len(data.Rows)
	if len(rows) > limit {
		data.MoreURL = "/console/merch/quality?limit=" + strconv.Itoa(limit*2)
	}
	return h.rd.Render(w, r, http.StatusOK, "merch/quality", data)
}

func statusLabel(lang platform.Lang, s catalog.Status) string { return platform.T(lang, s.Label()) }

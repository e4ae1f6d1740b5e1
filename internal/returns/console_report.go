package returns

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// ReportData is the report page's view data: the report, and its weeks
// as rows with one count per reason in Reasons' order.
type ReportData struct {
	Report  Report
	Reasons []Reason
	Weeks   []WeekRow
	Error   string
}

// WeekRow is one week of the report as a table row.
type WeekRow struct {
	Week   string
	Counts []int
	Total  int
}

func (h *handlers) reportPage(w http.ResponseWriter, r *http.Request) error {
	data := ReportData{Reasons: Reasons}
	from, to, err := reportRange(r, h.db.Clock.Now())
	if err != nil {
		e := platform.AsError(err)
		lang := web.LangOf(r)
		data.Error = e.Message(lang)
		for _, fe := range e.Fields {
			data.Error += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
		}
		return h.rd.Render(w, r, e.Code.Status(), "returns/report", data)
	}
	if data.Report, err = BuildReport(r.Context(), h.db.R, from, to); err != nil {
		return err
	}
	for _, wk := range data.Report.Weeks {
		row := WeekRow{Week: wk.Week, Total: wk.Total}
		for _, reason := range Reasons {
			row.Counts = append(row.Counts, wk.ByReason[reason])
		}
		data.Weeks = append(data.Weeks, row)
	}
	return h.rd.Render(w, r, http.StatusOK, "returns/report", data)
}

package support

import (
	"net/http"
	"strconv"
	"time"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// periodQuery documents the report period.
var periodQuery = []web.QueryParam{
	{Name: "from", Description: "first day (YYYY-MM-DD, shop time zone); default 30 days ago"},
	{Name: "to", Description: "last day, inclusive (YYYY-MM-DD, shop time zone); default today"},
}

// periodOf reads from/to days (shop time) into [from, to); the default
// is the last 30 days including today. The period is at most a year.
func periodOf(r *http.Request, now time.Time) (from, to time.Time, fromS, toS string, err error) {
	q := r.URL.Query()
	today := now.In(platform.ShopZone)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, platform.ShopZone)
	to, from = today.AddDate(0, 0, 1), today.AddDate(0, 0, -29)
	if v := q.Get("to"); v != "" {
		d, perr := time.ParseInLocation(time.DateOnly, v, platform.ShopZone)
		if perr != nil {
			return from, to, "", "", platform.Invalid("to", "field.invalid")
		}
		to = d.AddDate(0, 0, 1)
	}
	if v := q.Get("from"); v != "" {
		d, perr := time.ParseInLocation(time.DateOnly, v, platform.ShopZone)
		if perr != nil {
			return from, to, "", "", platform.Invalid("from", "field.invalid")
		}
		from = d
	} else if q.Get("to") != "" {
		from = to.AddDate(0, 0, -30)
	}
	if !from.Before(to) || to.Sub(from) > 366*24*time.Hour {
		return from, to, "", "", platform.Invalid("from", "support.field.period")
	}
	return from, to, from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly), nil
}

// MetricsData is the metrics page.
type MetricsData struct {
	From, To      string
	Total         MetricRow
	Agents, Teams []MetricRow
}

// MetricRow is a scorecard formatted for the page: hours with one
// decimal, shares as percentages, "—" where there is nothing to measure.
type MetricRow struct {
	Name                                        string
	Tickets, Resolved, Backlog, Ratings         int
	FirstResponse, Resolution                   string
	ResponseSLA, ResolutionSLA, CSAT, Satisfied string
}

func metricRow(lang platform.Lang, c Scorecard) MetricRow {
	pct := func(v float64) string {
		if v < 0 {
			return "—"
		}
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	}
	row := MetricRow{Name: c.Name, Tickets: c.Tickets, Resolved: c.Resolved, Backlog: c.Backlog, Ratings: c.Ratings,
		FirstResponse: hours(c.AvgFirstResponse), Resolution: hours(c.AvgResolution),
		ResponseSLA: pct(c.ResponseSLA), ResolutionSLA: pct(c.ResolutionSLA), Satisfied: pct(c.Satisfied), CSAT: "—"}
	if c.Ratings > 0 {
		row.CSAT = strconv.FormatFloat(c.CSAT, 'f', 2, 64)
	}
	if row.Name == "" {
		row.Name = platform.T(lang, "support.unassigned")
	}
	return row
}

func (h *handlers) metricsPage(w http.ResponseWriter, r *http.Request) error {
	from, to, fs, ts, err := periodOf(r, h.db.Now())
	if err != nil {
		return err
	}
	m, err := ServiceMetrics(r.Context(), h.db.R, from, to)
	if err != nil {
		return err
	}
	lang := web.LangOf(r)
	data := MetricsData{From: fs, To: ts, Total: metricRow(lang, m.Total)}
	data.Total.Name = platform.T(lang, "support.total")
	for _, c := range m.Agents {
		data.Agents = append(data.Agents, metricRow(lang, c))
	}
	for _, c := range m.Teams {
		data.Teams = append(data.Teams, metricRow(lang, c))
	}
	return h.rd.Render(w, r, http.StatusOK, "support/metrics", data)
}

func (h *handlers) apiMetrics(w http.ResponseWriter, r *http.Request) error {
	from, to, _, _, err := periodOf(r, h.db.Now())
	if err != nil {
		return err
	}
	m, err := ServiceMetrics(r.Context(), h.db.R, from, to)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, m)
}

// ReportData is the complaints-and-suggestions page.
type ReportData struct {
	From, To  string
	RepeatPct string
	Report    Report
	Types     []TypeRow
}

// TypeRow is one type's weekly counts.
type TypeRow struct {
	Type   Type
	Counts []int
	Total  int
}

func (h *handlers) reportPage(w http.ResponseWriter, r *http.Request) error {
	from, to, fs, ts, err := periodOf(r, h.db.Now())
	if err != nil {
		return err
	}
	rep, err := ContactReport(r.Context(), h.db.R, from, to)
	if err != nil {
		return err
	}
	data := ReportData{From: fs, To: ts, Report: rep, RepeatPct: strconv.FormatFloat(rep.RepeatRate*100, 'f', 1, 64) + "%"}
	for _, t := range Types {
		row := TypeRow{Type: t, Counts: rep.ByType[t]}
		for _, n := range row.Counts {
			row.Total += n
		}
		data.Types = append(data.Types, row)
	}
	return h.rd.Render(w, r, http.StatusOK, "support/report", data)
}

func (h *handlers) apiReport(w http.ResponseWriter, r *http.Request) error {
	from, to, _, _, err := periodOf(r, h.db.Now())
	if err != nil {
		return err
	}
	rep, err := ContactReport(r.Context(), h.db.R, from, to)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, rep)
}

func (h *handlers) apiCustomer(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "customer")
	if err != nil {
		return err
	}
	v, err := CustomerView(r.Context(), h.db.R, id)
	if err != nil {
		return err
	}
	if !web.PrincipalFrom(r.Context()).Can(platform.PermPII) {
		v.Email, v.Mobile = platform.MaskEmail(v.Email), platform.MaskPhone(v.Mobile)
	}
	return web.WriteJSON(w, http.StatusOK, v)
}

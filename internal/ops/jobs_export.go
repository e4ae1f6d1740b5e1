package ops

import (
	"fmt"
	"strings"
	"time"

	"storeops/internal/jobs"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// jobsTableID is the HTML id of the recent jobs table and the table
// parameter of its export.
const jobsTableID = "jobs-table"

// jobsTable is the recent jobs as the page lists them, for the XLSX
// export: times in the shop's zone as on the page, attempts as "n/max",
// one line per failed attempt's error.
func jobsTable(lang platform.Lang, recent []jobs.Job) *web.Table {
	t := &web.Table{ID: jobsTableID, Name: "jobs", Title: "ops.jobs.recent", Empty: "ops.jobs.none", Columns: []web.Column{
		{Key: "ops.jobs.id", Kind: web.ColInt},
		{Key: "ops.jobs.kind", Kind: web.ColText},
		{Key: "ops.jobs.state", Kind: web.ColText},
		{Key: "ops.jobs.attempts", Kind: web.ColText},
		{Key: "ops.jobs.created", Kind: web.ColText},
		{Key: "ops.jobs.finalized", Kind: web.ColText},
		{Key: "ops.jobs.errors", Kind: web.ColText},
	}}
	for _, j := range recent {
		finalized := web.NullCell
		if j.FinalizedAt != nil {
			finalized = web.TextCell(shopMinute(*j.FinalizedAt))
		}
		t.Append(web.NumCell(j.ID), web.TextCell(j.Kind), web.TextCell(platform.T(lang, "ops.state."+string(j.State))),
			web.TextCell(fmt.Sprintf("%d/%d", j.Attempt, j.MaxAttempts)), web.TextCell(shopMinute(j.CreatedAt)), finalized,
			web.TextCell(strings.Join(j.Errors, "\n")))
	}
	return t
}

// shopMinute is t in the shop's zone to the minute, as the page shows it.
func shopMinute(t time.Time) string { return t.In(platform.ShopZone).Format("2006-01-02 15:04") }

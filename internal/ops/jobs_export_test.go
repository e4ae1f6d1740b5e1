package ops_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/xuri/excelize/v2"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/jobs"
	"storeops/internal/platform"
)

// The jobs page exports its recent jobs table to XLSX with the page's
// state filter: a job scheduled for tomorrow is in the workbook of the
// scheduled jobs, with its kind and translated state, and not in the
// workbook of the completed ones.
func TestJobsExportXLSX(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		res, err := a.Jobs.Insert(ctx, jobs.OutboxPruneArgs{KeepDays: 7}, &river.InsertOpts{ScheduledAt: time.Now().Add(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		base := apptest.Serve(t, a)
		token := apptest.StaffToken(t, a, platform.RoleAdmin)
		if page := get(t, base+"/console/system/jobs?state=scheduled", token); !strings.Contains(page, `id="export-jobs"`) ||
			!strings.Contains(page, "state=scheduled&amp;table=jobs-table") {
			t.Fatalf("jobs page has no export link keeping the filter: %.2000s", page)
		}
		rows := exportRows(t, base+"/console/system/jobs?state=scheduled&format=xlsx&table=jobs-table", token)
		if len(rows) < 2 || rows[0][0] != "任务 ID" {
			t.Fatalf("scheduled export = %q", rows)
		}
		found := false
		for _, r := range rows[1:] {
			if r[0] == strconv.FormatInt(res.Job.ID, 10) {
				found = true
				if r[1] != "outbox_prune" || r[2] != "已计划" || r[3] != fmt.Sprintf("0/%d", res.Job.MaxAttempts) {
					t.Errorf("exported job row = %q", r)
				}
			}
		}
		if !found {
			t.Fatalf("job %d not in the scheduled export: %q", res.Job.ID, rows)
		}
		for _, r := range exportRows(t, base+"/console/system/jobs?state=completed&format=xlsx&table=jobs-table", token)[1:] {
			if r[1] == "outbox_prune" && r[2] != "已完成" {
				t.Errorf("completed export holds a %s job: %q", r[2], r)
			}
		}
	})
}

// exportRows downloads an XLSX export and returns its first sheet's rows.
func exportRows(t *testing.T, url, token string) [][]string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export %s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	book, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

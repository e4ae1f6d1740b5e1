package audit_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// The audit log exports to XLSX with the page's filters: the staff user's
// own role change is in the workbook, with its before → after.
func TestAuditExportXLSX(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		err := a.DB.Write(ctx, func(tx *store.Tx) error {
			return audit.Change(ctx, tx, audit.System, "staff.update", "staff_user", platform.ID(42),
				map[string]string{"role": "catalog"}, map[string]string{"role": "admin"})
		})
		if err != nil {
			t.Fatal(err)
		}
		base := apptest.Serve(t, a)
		req, _ := http.NewRequest(http.MethodGet, base+"/console/audit?entity_id=42&format=xlsx&table=audit-table", nil)
		req.Header.Set("Authorization", "Bearer "+apptest.StaffToken(t, a, platform.RoleAdmin))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		book, err := excelize.OpenReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := book.GetRows(book.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("rows = %d, want the header and the one entry for id 42: %q", len(rows), rows)
		}
		if got := strings.Join(rows[1], "|"); !strings.Contains(got, "staff.update") || !strings.Contains(got, `role: "catalog" → "admin"`) {
			t.Fatalf("exported row = %q", got)
		}
	})
}

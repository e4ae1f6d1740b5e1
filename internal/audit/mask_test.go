package audit_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Personal data in audit snapshots is masked for roles without pii.view
// (the analyst) and shown to those with it (the admin), in the API as on
// the page.
func TestAuditMasksPersonalData(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		actor := audit.Actor{Kind: audit.KindStaff, StaffID: 7, Name: "王芳", Email: "wang.fang@shop.example", IP: "10.1.2.3"}
		err := a.DB.Write(ctx, func(tx *store.Tx) error {
			return audit.Change(ctx, tx, actor, "staff.update", "staff_user", platform.ID(42),
				map[string]string{"mobile": "13812345678", "role": "catalog"},
				map[string]string{"mobile": "13912345678", "role": "admin"})
		})
		if err != nil {
			t.Fatal(err)
		}
		base := apptest.Serve(t, a)
		get := func(token, path string) string {
			req, _ := http.NewRequest(http.MethodGet, base+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", path, resp.StatusCode)
			}
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}
		analyst := apptest.StaffToken(t, a, platform.RoleAnalyst)
		admin := apptest.StaffToken(t, a, platform.RoleAdmin)
		for _, path := range []string{"/api/v1/admin/audit?entity_id=42", "/console/audit?entity_id=42"} {
			masked := get(analyst, path)
			if strings.Contains(masked, "13912345678") || strings.Contains(masked, "wang.fang@shop.example") || strings.Contains(masked, "10.1.2.3") {
				t.Errorf("%s as analyst shows personal data: %.400s", path, masked)
			}
			if !strings.Contains(masked, "139****5678") {
				t.Errorf("%s as analyst lacks the masked mobile", path)
			}
			if full := get(admin, path); !strings.Contains(full, "13912345678") {
				t.Errorf("%s as admin lacks the full mobile", path)
			}
		}
	})
}

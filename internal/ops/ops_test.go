package ops_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// The system pages show the job queue and the outbox consumers to an
// admin, with a registered consumer's backlog counted.
func TestSystemHealthPages(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		// A consumer that has seen nothing yet, and two events for it.
		if err := a.Outbox.Add(outbox.Consumer{Name: "test.counter", Handle: func(context.Context, []outbox.Event) error { return nil }}); err != nil {
			t.Fatal(err)
		}
		if err := a.Outbox.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			err := a.DB.Write(ctx, func(tx *store.Tx) error {
				return outbox.Publish(ctx, tx, outbox.Event{Topic: "test.happened", Key: "k", Payload: json.RawMessage(`{}`)})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		base := apptest.Serve(t, a)
		token := apptest.StaffToken(t, a, platform.RoleAdmin)
		jobsPage := get(t, base+"/console/system/jobs", token)
		if !strings.Contains(jobsPage, `id="jobs-table"`) || !strings.Contains(jobsPage, "任务队列") {
			t.Fatalf("jobs page: %.300s", jobsPage)
		}
		outboxPage := get(t, base+"/console/system/outbox", token)
		if !strings.Contains(outboxPage, "test.counter") {
			t.Fatalf("outbox page does not list the consumer: %.500s", outboxPage)
		}
		lags, err := a.Outbox.Lag(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lags {
			if l.Consumer == "test.counter" && l.Behind != 2 {
				t.Fatalf("backlog = %d, want 2", l.Behind)
			}
		}
	})
}

func get(t *testing.T, url, token string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %.300s", url, resp.StatusCode, b)
	}
	return string(b)
}

package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/store/storetest"
	"storeops/internal/web"
)

// Shutdown drains: a request in flight when the signal comes still gets
// its full answer, readiness turns false, and Serve returns cleanly.
func TestGracefulShutdownDrainsRequests(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			a := apptest.New(t, d, apptest.Options{})
			started := make(chan struct{})
			a.Router.Add(web.Route{Method: http.MethodGet, Path: "/test/slow", Surface: web.System, Handler: func(w http.ResponseWriter, r *http.Request) error {
				close(started)
				time.Sleep(300 * time.Millisecond)
				_, err := io.WriteString(w, "finished")
				return err
			}})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			served := make(chan error, 1)
			go func() { served <- a.Serve(ctx, ln) }()
			base := "http://" + ln.Addr().String()
			waitReady(t, base)

			body := make(chan string, 1)
			go func() {
				resp, err := http.Get(base + "/test/slow")
				if err != nil {
					body <- "error: " + err.Error()
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				body <- string(b)
			}()
			<-started
			cancel() // what SIGTERM does through signal.NotifyContext
			if got := <-body; got != "finished" {
				t.Fatalf("in-flight request got %q, want it finished", got)
			}
			if err := <-served; err != nil {
				t.Fatalf("Serve: %v", err)
			}
			if a.Ready() {
				t.Fatal("still ready after shutdown")
			}
		})
	}
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("server never became ready")
}

func TestHealthReadyMetrics(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		srv := apptest.Serve(t, a)
		// /readyz answers only while Serve runs (covered above); the
		// metrics request comes after one request has been observed.
		for _, c := range []struct{ path, want string }{
			{"/healthz", `"ok"`},
			{"/metrics", "storeops_http_request_duration_seconds"},
			{"/metrics", "storeops_db_connections_open"},
			{"/metrics", "storeops_jobs"},
		} {
			path, want := c.path, c.want
			resp, err := http.Get(srv + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
				t.Fatalf("%s: %d %.200s, want 200 containing %s", path, resp.StatusCode, b, want)
			}
		}
	})
}

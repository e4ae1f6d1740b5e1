package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"storeops/internal/app/apptest"
	"storeops/internal/chat"
	"storeops/internal/chat/chattest"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// chatConns is the number of shoppers holding a chat connection open
// (20 in the smoke run); chatAgents agents share their conversations.
const (
	chatConns  = 1000
	chatAgents = 10
	// chatPace is the least time between two messages of one shopper: a
	// person writes a line every few seconds at most, and the server
	// refuses more than 10 frames a second per connection. With 1,000
	// shoppers it still offers 5,000 messages a second, more than one
	// node answers, so the run measures the server's limit.
	chatPace = 200 * time.Millisecond
)

// BenchmarkChat measures live chat with 1,000 open shopper connections
// and 10 agents holding 100 conversations each, over real WebSockets on
// loopback: one iteration is one shopper message, stored and delivered
// to the agent's connection; p99-ms is the 99th percentile of the time
// from the shopper's send to the agent's receipt. The baseline is a bare
// WebSocket echo server with as many connections under the same paced
// closed loop (send, wait for the echo), in the same run.
func BenchmarkChat(b *testing.B) {
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	b.Cleanup(func() { slog.SetDefault(prev) })
	conns := chatConns
	if os.Getenv("STOREOPS_BENCH_SMOKE") != "" || testing.Short() {
		conns = 20
	}
	for _, d := range storetest.Kinds(b) {
		b.Run(string(d), func(b *testing.B) {
			b.Run("baseline", func(b *testing.B) { benchEcho(b, conns) })
			b.Run("chat", func(b *testing.B) { benchChat(b, d, conns) })
		})
	}
}

// pacedLoad runs b.N messages over the senders at once, each sender
// waiting for its message's delivery and for the pace before the next,
// and reports messages/s and latency percentiles.
func pacedLoad(b *testing.B, senders int, send func(conn, seq int) (time.Duration, error)) {
	var next atomic.Int64
	lat := make([][]time.Duration, senders)
	errs := make(chan error, senders)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for c := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last time.Time
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				if wait := chatPace - time.Since(last); wait > 0 {
					time.Sleep(wait)
				}
				last = time.Now()
				d, err := send(c, i)
				if err != nil {
					errs <- err
					return
				}
				lat[c] = append(lat[c], d)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2])/float64(time.Millisecond), "p50-ms")
		b.ReportMetric(float64(all[(len(all)*99)/100])/float64(time.Millisecond), "p99-ms")
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "msgs/s")
}

// benchEcho is the baseline: a WebSocket server that writes every frame
// back, on the same loopback, with conns connections.
func benchEcho(b *testing.B, conns int) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			typ, data, err := c.Read(r.Context())
			if err != nil {
				return
			}
			if err := c.Write(r.Context(), typ, data); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	clients := make([]*websocket.Conn, conns)
	for i := range clients {
		c, _, err := websocket.Dial(context.Background(), "ws"+srv.URL[len("http"):], nil)
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseNow()
		clients[i] = c
	}
	pacedLoad(b, conns, func(conn, seq int) (time.Duration, error) {
		c := clients[conn]
		frame, _ := json.Marshal(map[string]any{"type": "message", "body": "请问这件有 M 码吗？", "client_id": strconv.Itoa(seq)})
		t0 := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := c.Write(ctx, websocket.MessageText, frame); err != nil {
			return 0, err
		}
		if _, _, err := c.Read(ctx); err != nil {
			return 0, err
		}
		return time.Since(t0), nil
	})
}

// benchChat opens conns guest chats, has chatAgents agents take them,
// then measures shopper → agent delivery.
func benchChat(b *testing.B, d store.Dialect, conns int) {
	a := apptest.New(b, d, apptest.Options{})
	ctx := context.Background()
	if err := a.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		a.Stop(sctx)
	})
	base := apptest.Serve(b, a)
	agents := make([]*chattest.Conn, chatAgents)
	toks := make([]string, chatAgents)
	for i := range agents {
		toks[i] = apptest.StaffToken(b, a, platform.RoleService, fmt.Sprintf("agent%d@test.local", i))
		agents[i] = chattest.Dial(b, base+"/console/chat/ws", chattest.Bearer(toks[i]))
	}
	chattest.WaitOnline(b, base, chatAgents)
	// Deliveries: client id → the channel its sender waits on.
	var waiting sync.Map
	for _, ag := range agents {
		go func() {
			for ev := range ag.Events {
				if ev.Kind == chat.KindMessage && ev.Message != nil && ev.Message.Sender == chat.FromCustomer {
					if ch, ok := waiting.LoadAndDelete(ev.Message.ClientID); ok {
						ch.(chan struct{}) <- struct{}{}
					}
				}
			}
		}()
	}
	shoppers := make([]*chattest.Conn, conns)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for i := range shoppers {
		cookie, open := chattest.OpenAsGuest(b, client, base, fmt.Sprintf("顾客%d", i), fmt.Sprintf("139%08d", i))
		id := open.Conversation.ID.String()
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/admin/chat/conversations/"+id+"/accept", nil)
		req.Header.Set("Authorization", "Bearer "+toks[i%chatAgents])
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("accept: %d", res.StatusCode)
		}
		shoppers[i] = chattest.Dial(b, base+"/api/v1/chat/ws?conversation="+id, chattest.CookieHeader(cookie))
		// The shopper's own events are not measured; keep them drained.
		go func(c *chattest.Conn) {
			for range c.Events {
			}
		}(shoppers[i])
	}
	pacedLoad(b, conns, func(conn, seq int) (time.Duration, error) {
		id := "b" + strconv.Itoa(seq)
		done := make(chan struct{}, 1)
		waiting.Store(id, done)
		t0 := time.Now()
		if err := shoppers[conn].TrySend(map[string]any{"type": "message", "body": "请问这件有 M 码吗？", "client_id": id}); err != nil {
			return 0, err
		}
		select {
		case <-done:
			return time.Since(t0), nil
		case <-time.After(30 * time.Second):
			return 0, fmt.Errorf("message %s never reached the agent", id)
		}
	})
}

// Package chattest drives the live chat over real WebSockets in tests
// and benchmarks: a connection that collects events, and waits for the
// one a test expects.
package chattest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"storeops/internal/chat"
)

// Conn is a test's end of a chat WebSocket; Events receives what the
// server sends, in order.
type Conn struct {
	tb     testing.TB
	C      *websocket.Conn
	Events chan chat.Event
}

// Dial connects to url (http:// or ws://) with header (cookies,
// Authorization) and closes the connection when the test ends.
func Dial(tb testing.TB, url string, header http.Header) *Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, res, err := websocket.Dial(ctx, strings.Replace(url, "http://", "ws://", 1), &websocket.DialOptions{HTTPHeader: header})
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		tb.Fatalf("dial %s: %v (status %d)", url, err, status)
	}
	c.SetReadLimit(1 << 20)
	w := &Conn{tb: tb, C: c, Events: make(chan chat.Event, 1024)}
	go func() {
		defer close(w.Events)
		for {
			_, data, err := c.Read(context.Background())
			if err != nil {
				return
			}
			var ev chat.Event
			if json.Unmarshal(data, &ev) == nil {
				w.Events <- ev
			}
		}
	}()
	tb.Cleanup(func() { _ = c.CloseNow() })
	return w
}

// Send writes one frame.
func (w *Conn) Send(frame map[string]any) {
	w.tb.Helper()
	if err := w.TrySend(frame); err != nil {
		w.tb.Fatal(err)
	}
}

// TrySend writes one frame and returns the error (for goroutines, which
// must not call Fatal).
func (w *Conn) TrySend(frame map[string]any) error {
	data, _ := json.Marshal(frame)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return w.C.Write(ctx, websocket.MessageText, data)
}

// Await returns the first event that match accepts, failing the test
// after 10 seconds or when the connection closes.
func (w *Conn) Await(what string, match func(chat.Event) bool) chat.Event {
	w.tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-w.Events:
			if !ok {
				w.tb.Fatalf("connection closed while waiting for %s", what)
			}
			if match(ev) {
				return ev
			}
		case <-deadline:
			w.tb.Fatalf("no %s within 10 s", what)
		}
	}
}

// Message matches the message event with body.
func Message(body string) func(chat.Event) bool {
	return func(ev chat.Event) bool {
		return ev.Kind == chat.KindMessage && ev.Message != nil && ev.Message.Body == body
	}
}

// Status matches a conversation event with status s.
func Status(s chat.Status) func(chat.Event) bool {
	return func(ev chat.Event) bool {
		return ev.Kind == chat.KindConversation && ev.Conversation != nil && ev.Conversation.Status == s
	}
}

// IsError matches an error event.
func IsError(ev chat.Event) bool { return ev.Kind == chat.KindError }

// Bearer is the header of a staff API token.
func Bearer(tok string) http.Header {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+tok)
	return h
}

// CookieHeader is the header carrying the guest chat cookie value.
func CookieHeader(value string) http.Header {
	h := http.Header{}
	h.Set("Cookie", "so_chat="+value)
	return h
}

// OpenAsGuest opens a chat as a guest over HTTP and returns the chat
// cookie's value and the response.
func OpenAsGuest(tb testing.TB, client *http.Client, base, name, contact string) (string, chat.OpenResponse) {
	tb.Helper()
	body, _ := json.Marshal(chat.StartInput{Name: name, Contact: contact})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/chat/conversations", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	var out chat.OpenResponse
	if res.StatusCode != http.StatusCreated || json.NewDecoder(res.Body).Decode(&out) != nil {
		tb.Fatalf("open chat: status %d", res.StatusCode)
	}
	for _, c := range res.Cookies() {
		if c.Name == "so_chat" {
			return c.Value, out
		}
	}
	tb.Fatal("open chat: no chat cookie")
	return "", out
}

// WaitOnline waits until the node at base reports n agents online.
func WaitOnline(tb testing.TB, base string, n int) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, open := OpenAsGuest(tb, http.DefaultClient, base, "探针", "probe@example.com")
		if open.AgentsOnline == n {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatalf("never %d agents online at %s", n, base)
}

package chat

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// inFrame is what a connection sends: a message, typing, and for agents
// accept and close. Conversation is needed from agents only (a shopper's
// connection belongs to one conversation).
type inFrame struct {
	Type         string      `json:"type"`
	Conversation platform.ID `json:"conversation"`
	Body         string      `json:"body"`
	ClientID     string      `json:"client_id"`
}

// Connection limits: a frame is a chat line; a person types a few lines
// a second at most.
const (
	maxFrame     = 16 << 10
	framesPerSec = 10
	typingPerSec = 2
	writeTimeout = 10 * time.Second
	pingEvery    = 30 * time.Second
)

// serveWS upgrades the request and runs the connection until either side
// ends it: events from the hub go out through c.send, frames coming in
// go to onFrame, whose errors go back as error events in the request's
// language. hello events are sent first.
func (s *Service) serveWS(w http.ResponseWriter, r *http.Request, c *client, hello []Event, onFrame func(context.Context, inFrame) error) error {
	// The server's read and write timeouts are for requests; a chat
	// connection lives for as long as the page is open, with its own
	// pings to find dead peers.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	conn, err := websocket.Accept(w, r, nil) // same-origin only (cross-site WebSocket hijacking)
	if err != nil {
		return nil // Accept has answered the request
	}
	conn.SetReadLimit(maxFrame)
	lang := web.LangOf(r)
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	s.hub.add(c)
	defer s.hub.remove(c)
	for _, ev := range hello {
		if data, err := json.Marshal(ev); err == nil {
			c.push(data)
		}
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer cancel()
		s.writeLoop(ctx, conn, c)
	}()
	// Frames are limited per second; typing notices, sent on keystrokes,
	// have a budget of their own and are dropped silently beyond it.
	window, frames, typing := time.Now(), 0, 0
	for {
		typ, data, err := conn.Read(ctx)
		if err != nil {
			break
		}
		if now := time.Now(); now.Sub(window) >= time.Second {
			window, frames, typing = now, 0, 0
		}
		var f inFrame
		bad := typ != websocket.MessageText || json.Unmarshal(data, &f) != nil
		if !bad && f.Type == "typing" {
			if typing++; typing > typingPerSec {
				continue
			}
		} else {
			frames++
		}
		switch {
		case frames > framesPerSec:
			err = platform.E(platform.CodeRateLimited)
		case bad:
			err = platform.E(platform.CodeBadRequest)
		default:
			err = onFrame(ctx, f)
		}
		if err != nil {
			e := platform.AsError(err)
			if ctx.Err() != nil {
				break // the connection is closing
			}
			if e.Code == platform.CodeInternal {
				s.log.Error("chat: frame", "err", err)
			}
			if data, merr := json.Marshal(Event{Kind: KindError, Code: string(e.Code), Detail: e.Message(lang), ClientID: f.ClientID}); merr == nil {
				c.push(data)
			}
		}
	}
	c.drop()
	wg.Wait()
	return nil
}

func (s *Service) writeLoop(ctx context.Context, conn *websocket.Conn, c *client) {
	ping := time.NewTicker(pingEvery)
	defer ping.Stop()
	for {
		select {
		case data := <-c.send:
			wctx, cancel := context.WithTimeout(ctx, writeTimeout)
			err := conn.Write(wctx, websocket.MessageText, data)
			cancel()
			if err != nil {
				_ = conn.CloseNow()
				return
			}
		case <-ping.C:
			pctx, cancel := context.WithTimeout(ctx, writeTimeout)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				_ = conn.CloseNow()
				return
			}
		case <-c.gone:
			_ = conn.Close(websocket.StatusGoingAway, "")
			return
		case <-ctx.Done():
			_ = conn.CloseNow()
			return
		}
	}
}

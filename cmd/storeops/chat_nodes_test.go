package main

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/chat"
	"storeops/internal/chat/chattest"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// TestChatAcrossTwoNodes runs two `storeops serve` processes on one
// PostgreSQL database, the shopper connected to one and the agent to the
// other: the agent's presence, the shopper's messages, the agent's
// answers and the conversation's changes all cross between the
// processes. (SQLite is one node by design.)
func TestChatAcrossTwoNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs two servers")
	}
	if !slices.Contains(storetest.Kinds(t), store.Postgres) {
		t.Skip("needs PostgreSQL (STOREOPS_TEST_POSTGRES)")
	}
	bin := buildBinary(t, t.TempDir())
	a := apptest.New(t, store.Postgres, apptest.Options{})
	tok := apptest.StaffToken(t, a, platform.RoleService)
	shopNode := startServer(t, bin, a.DB.URL)
	agentNode := startServer(t, bin, a.DB.URL)

	agent := chattest.Dial(t, agentNode.base+"/console/chat/ws", chattest.Bearer(tok))
	// Presence written by the agent's node is seen by the shopper's.
	chattest.WaitOnline(t, shopNode.base, 1)
	cookie, open := chattest.OpenAsGuest(t, http.DefaultClient, shopNode.base, "跨节点", "13900139000")
	id := open.Conversation.ID.String()
	shopper := chattest.Dial(t, shopNode.base+"/api/v1/chat/ws?conversation="+id, chattest.CookieHeader(cookie))

	shopper.Send(map[string]any{"type": "message", "body": "你好，在吗？", "client_id": "s1"})
	agent.Await("the shopper's message on the other node", chattest.Message("你好，在吗？"))
	agent.Send(map[string]any{"type": "accept", "conversation": id})
	shopper.Await("the agent taking the chat", chattest.Status(chat.Active))
	agent.Send(map[string]any{"type": "typing", "conversation": id})
	shopper.Await("typing from the other node", func(ev chat.Event) bool { return ev.Kind == chat.KindTyping })
	agent.Send(map[string]any{"type": "message", "conversation": id, "body": "在的，请讲", "client_id": "a1"})
	shopper.Await("the agent's answer from the other node", chattest.Message("在的，请讲"))
	for i, body := range []string{"第一件", "第二件", "第三件"} {
		shopper.Send(map[string]any{"type": "message", "body": body, "client_id": "s" + string(rune('2'+i))})
		agent.Await("message "+body, chattest.Message(body))
	}
	agent.Send(map[string]any{"type": "close", "conversation": id})
	shopper.Await("the close from the other node", chattest.Status(chat.Closed))

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range []*serverProc{shopNode, agentNode} {
		if err := p.stop(ctx); err != nil {
			t.Errorf("graceful stop: %v\n%s", err, p.logs.String())
		}
	}
	if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM chat_messages WHERE conversation_id = $1`, open.Conversation.ID); n != 7 {
		t.Fatalf("%d messages stored, want 7 (5 typed, joined, closed)", n)
	}
}

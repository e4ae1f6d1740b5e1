package chat_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/chat"
	"storeops/internal/chat/chattest"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
)

// started builds, starts and serves the app on a fresh database.
func started(t *testing.T, a *app.App) string {
	t.Helper()
	ctx := context.Background()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		a.Stop(sctx)
	})
	return apptest.Serve(t, a)
}

// guest opens a chat as a guest and returns the client (holding the chat
// cookie) and the conversation.
func guest(t *testing.T, base, name string) (*apptest.Client, chat.OpenResponse) {
	t.Helper()
	c := apptest.NewClient(t, base)
	res, body := c.JSON(http.MethodPost, "/api/v1/chat/conversations", fmt.Sprintf(`{"name":%q,"contact":"13800138000"}`, name))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("open chat: %d %s", res.StatusCode, body)
	}
	return c, apptest.Decode[chat.OpenResponse](t, body)
}

func cookieHeader(c *apptest.Client) http.Header {
	if ck := c.Cookie("so_chat"); ck != nil {
		return chattest.CookieHeader(ck.Value)
	}
	return http.Header{}
}

func TestShopperAndAgentChat(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := started(t, a)
		tok := apptest.StaffToken(t, a, platform.RoleService)
		agent := chattest.Dial(t, base+"/console/chat/ws", chattest.Bearer(tok))
		// The agent counts as online once the inbox connection is up.
		chattest.WaitOnline(t, base, 1)

		shopper, open := guest(t, base, "小王")
		if open.AgentsOnline != 1 || open.Conversation.Status != chat.Waiting {
			t.Fatalf("open = %+v", open)
		}
		id := open.Conversation.ID
		sw := chattest.Dial(t, base+"/api/v1/chat/ws?conversation="+id.String(), cookieHeader(shopper))
		sw.Await("presence", func(ev chat.Event) bool {
			return ev.Kind == chat.KindPresence && ev.AgentsOnline != nil && *ev.AgentsOnline == 1
		})

		sw.Send(map[string]any{"type": "message", "body": "这件连衣裙有 M 码吗？", "client_id": "m1"})
		sw.Await("own message echoed", chattest.Message("这件连衣裙有 M 码吗？"))
		agent.Await("shopper's message in the queue", chattest.Message("这件连衣裙有 M 码吗？"))

		agent.Send(map[string]any{"type": "accept", "conversation": id.String()})
		sw.Await("conversation taken", chattest.Status(chat.Active))
		agent.Await("conversation taken", chattest.Status(chat.Active))

		agent.Send(map[string]any{"type": "typing", "conversation": id.String()})
		sw.Await("typing", func(ev chat.Event) bool { return ev.Kind == chat.KindTyping && ev.Sender == chat.FromAgent })
		agent.Send(map[string]any{"type": "message", "conversation": id.String(), "body": "有的，<b>M 码</b>有货", "client_id": "a1"})
		got := sw.Await("agent's answer", chattest.Message("有的，<b>M 码</b>有货"))
		if got.Message.Sender != chat.FromAgent {
			t.Fatalf("answer from %q", got.Message.Sender)
		}
		// A resend of the same client id stores nothing twice.
		sw.Send(map[string]any{"type": "message", "body": "这件连衣裙有 M 码吗？", "client_id": "m1"})
		sw.Send(map[string]any{"type": "message", "body": "好的，谢谢", "client_id": "m2"})
		agent.Await("second question", chattest.Message("好的，谢谢"))

		// The history, in order, for the shopper and for staff.
		res, body := shopper.Do(http.MethodGet, "/api/v1/chat/conversations/"+id.String()+"/messages", "", "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("history: %d %s", res.StatusCode, body)
		}
		var senders []string
		for _, m := range apptest.Decode[[]chat.Message](t, body) {
			senders = append(senders, string(m.Sender)+":"+m.Body)
		}
		want := []string{"customer:这件连衣裙有 M 码吗？", "system:joined:service", "agent:有的，<b>M 码</b>有货", "customer:好的，谢谢"}
		if strings.Join(senders, "|") != strings.Join(want, "|") {
			t.Fatalf("history\n got %q\nwant %q", senders, want)
		}
		staff := apptest.NewClient(t, base)
		res, body = staff.Do(http.MethodGet, "/api/v1/admin/chat/conversations/"+id.String()+"/messages", "", "", "Authorization", "Bearer "+tok)
		if res.StatusCode != http.StatusOK || len(apptest.Decode[[]chat.Message](t, body)) != 4 {
			t.Fatalf("staff history: %d %s", res.StatusCode, body)
		}

		// Someone else's conversation does not exist for them.
		other, _ := guest(t, base, "路人")
		res, body = other.Do(http.MethodGet, "/api/v1/chat/conversations/"+id.String()+"/messages", "", "")
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		res, body = other.Do(http.MethodGet, "/api/v1/chat/ws?conversation="+id.String(), "", "")
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)

		agent.Send(map[string]any{"type": "close", "conversation": id.String()})
		sw.Await("closed", chattest.Status(chat.Closed))
		sw.Send(map[string]any{"type": "message", "body": "还在吗", "client_id": "m3"})
		ev := sw.Await("refusal", func(ev chat.Event) bool { return ev.Kind == chat.KindError })
		if ev.Code != string(chat.CodeClosed) || ev.ClientID != "m3" || ev.Detail == "" {
			t.Fatalf("after close: %+v", ev)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action IN ('chat.accept', 'chat.close')`); n != 2 {
			t.Fatalf("%d audit rows for accept and close, want 2", n)
		}
	})
}

func TestUnansweredChatBecomesATicket(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := started(t, a)
		shopper, open := guest(t, base, "晚上来问")
		if open.AgentsOnline != 0 {
			t.Fatalf("%d agents online in an empty shop", open.AgentsOnline)
		}
		id := open.Conversation.ID
		sw := chattest.Dial(t, base+"/api/v1/chat/ws?conversation="+id.String(), cookieHeader(shopper))
		sw.Send(map[string]any{"type": "message", "body": "羽绒服能机洗吗？", "client_id": "q1"})
		ev := sw.Await("the ticket notice", func(ev chat.Event) bool {
			return ev.Kind == chat.KindMessage && ev.Message.Sender == chat.FromSystem && strings.HasPrefix(ev.Message.Body, "ticket:")
		})
		sw.Await("ticketed", chattest.Status(chat.Ticketed))
		ticket := strings.TrimPrefix(ev.Message.Body, "ticket:")
		var channel, phone, body string
		err := a.DB.R.QueryRow(`SELECT t.channel, t.contact_phone, m.body FROM support_tickets t
			JOIN support_messages m ON m.ticket_id = t.id WHERE t.id = $1 ORDER BY m.id LIMIT 1`, ticket).Scan(&channel, &phone, &body)
		if err != nil {
			t.Fatal(err)
		}
		if channel != "chat" || phone != "13800138000" || !strings.Contains(body, "羽绒服能机洗吗？") {
			t.Fatalf("ticket %s: channel %q phone %q body %q", ticket, channel, phone, body)
		}
		sw.Send(map[string]any{"type": "message", "body": "还有一个问题", "client_id": "q2"})
		if ev := sw.Await("refusal", func(ev chat.Event) bool { return ev.Kind == chat.KindError }); ev.Code != string(chat.CodeClosed) {
			t.Fatalf("after the ticket: %+v", ev)
		}
	})
}

func TestBadChatInput(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := started(t, a)
		c := apptest.NewClient(t, base)
		res, body := c.JSON(http.MethodPost, "/api/v1/chat/conversations", `{"name":"","contact":"not a contact"}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		if !strings.Contains(body, `"contact"`) || !strings.Contains(body, `"name"`) {
			t.Fatalf("field errors missing: %s", body)
		}
		res, body = c.Do(http.MethodGet, "/api/v1/chat/ws?conversation=abc", "", "")
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, body = c.Do(http.MethodGet, "/api/v1/chat/conversations/1/messages?after=-1", "", "")
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)

		tok := apptest.StaffToken(t, a, platform.RoleService)
		chattest.Dial(t, base+"/console/chat/ws", chattest.Bearer(tok))
		chattest.WaitOnline(t, base, 1)
		shopper, open := guest(t, base, "测试")
		sw := chattest.Dial(t, base+"/api/v1/chat/ws?conversation="+open.Conversation.ID.String(), cookieHeader(shopper))
		for _, frame := range []map[string]any{
			{"type": "message", "body": "   ", "client_id": "e1"},
			{"type": "message", "body": strings.Repeat("长", chat.MaxBody+1), "client_id": "e2"},
			{"type": "message", "body": "bell\a", "client_id": "e3"},
			{"type": "dance", "client_id": "e4"},
		} {
			sw.Send(frame)
			ev := sw.Await("refusal", func(ev chat.Event) bool { return ev.Kind == chat.KindError })
			if ev.ClientID != frame["client_id"] || ev.Detail == "" || ev.Code == string(platform.CodeInternal) {
				t.Fatalf("frame %v: %+v", frame["client_id"], ev)
			}
		}
		// Not JSON at all: refused, the connection stays.
		if err := sw.C.Write(context.Background(), websocket.MessageText, []byte("{")); err != nil {
			t.Fatal(err)
		}
		if ev := sw.Await("refusal", func(ev chat.Event) bool { return ev.Kind == chat.KindError }); ev.Code != string(platform.CodeBadRequest) {
			t.Fatalf("garbage: %+v", ev)
		}
		sw.Send(map[string]any{"type": "message", "body": "still here", "client_id": "ok"})
		sw.Await("a good message after the bad ones", chattest.Message("still here"))
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM chat_messages WHERE conversation_id = $1`, open.Conversation.ID); n != 1 {
			t.Fatalf("%d messages stored, want only the good one", n)
		}
	})
}

func TestOneAgentWinsARace(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := started(t, a)
		toks := []string{apptest.StaffToken(t, a, platform.RoleService, "a1@test.local"), apptest.StaffToken(t, a, platform.RoleService, "a2@test.local"),
			apptest.StaffToken(t, a, platform.RoleAdmin, "a3@test.local")}
		chattest.Dial(t, base+"/console/chat/ws", chattest.Bearer(toks[0]))
		chattest.WaitOnline(t, base, 1)
		_, open := guest(t, base, "抢单")
		id := open.Conversation.ID.String()
		codes := make([]int, len(toks))
		var wg sync.WaitGroup
		for i, tok := range toks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/admin/chat/conversations/"+id+"/accept", nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				codes[i] = res.StatusCode
			}()
		}
		wg.Wait()
		won, lost := 0, 0
		for _, c := range codes {
			switch c {
			case http.StatusOK:
				won++
			case http.StatusConflict:
				lost++
			}
		}
		if won != 1 || lost != len(toks)-1 {
			t.Fatalf("accept statuses %v: want one 200 and the rest 409", codes)
		}
		// An analyst reads history but cannot answer.
		an := apptest.StaffToken(t, a, platform.RoleAnalyst)
		c := apptest.NewClient(t, base)
		res, body := c.JSON(http.MethodPost, "/api/v1/admin/chat/conversations/"+id+"/messages", `{"body":"hi"}`, "Authorization", "Bearer "+an)
		apptest.Problem(t, res, body, http.StatusForbidden, platform.CodeForbidden)
		res, _ = c.Do(http.MethodGet, "/api/v1/admin/chat/conversations/"+id+"/messages", "", "", "Authorization", "Bearer "+an)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("analyst history: %d", res.StatusCode)
		}
	})
}

package chat_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/demo"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
)

func TestDemoChats(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		asOf := time.Date(2026, 11, 25, 0, 0, 0, 0, platform.ShopZone)
		if _, err := demo.Generate(context.Background(), a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.05, AsOf: asOf}); err != nil {
			t.Fatal(err)
		}
		closed := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM chat_conversations WHERE status = 'closed'`)
		if closed == 0 {
			t.Fatal("no demo chat history")
		}
		// Every closed chat was answered by a demo agent and has its five lines.
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM chat_conversations c WHERE c.status = 'closed'
			AND (c.agent_id IS NULL OR (SELECT COUNT(*) FROM chat_messages m WHERE m.conversation_id = c.id) <> 5)`); n != 0 {
			t.Fatalf("%d closed chats without an agent or with a wrong transcript", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM chat_conversations WHERE status = 'waiting'`); n == 0 {
			t.Fatal("nobody waiting in the demo queue")
		}
		// Chats precede their orders and belong to the order's customer.
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM chat_conversations c JOIN orders o ON o.id = c.id
			WHERE c.created_at > o.placed_at OR c.customer_id <> o.customer_id`); n != 0 {
			t.Fatalf("%d chats after their order or of another customer", n)
		}
		// Replace clears them with the rest.
		if _, err := demo.Generate(context.Background(), a.DB, demo.Steps(a.Modules), demo.Options{Seed: 1, Scale: 0.05, AsOf: asOf, Replace: true}); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM chat_conversations WHERE status = 'closed'`); n != closed {
			t.Fatalf("%d closed chats after replace with the same seed, want %d", n, closed)
		}
	})
}

package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"storeops/internal/app/apptest"
	"storeops/internal/browsertest"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// A shopper asks on the storefront's chat while nobody is online and
// gets a ticket; then an agent opens the console's inbox, the shopper
// asks again, the agent takes the chat and answers, and each side sees
// the other's message — two real browsers on one real server.
func TestBrowserLiveChat(t *testing.T) {
	a := apptest.New(t, store.SQLite, apptest.Options{})
	base := apptest.Serve(t, a)
	email, password := firstOwner(t, a)
	// Each browser's context has its own time limit: the shopper of the
	// second part is a new browser.
	shop := browsertest.New(t)

	startChat := func(shop context.Context, name string) {
		t.Helper()
		err := chromedp.Do(shop,
			chromedp.Navigate(base+"/chat"),
			chromedp.WaitVisible(chromedp.ID("chat-name")),
			chromedp.SendKeys(chromedp.ID("chat-name"), name),
			chromedp.SendKeys(chromedp.ID("chat-contact"), "13700137000"),
			chromedp.Click(chromedp.ID("chat-start-button")),
			chromedp.WaitVisible(chromedp.ID("chat-input")),
		)
		if err != nil {
			t.Fatalf("start chat: %v", err)
		}
	}
	say := func(ctx context.Context, input, button, text string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(input), text), chromedp.Click(chromedp.ID(button))); err != nil {
			t.Fatalf("send %q: %v", text, err)
		}
	}

	// Nobody online: the question becomes a ticket.
	startChat(shop, "夜猫子")
	say(shop, "chat-input", "chat-send", "半夜下单明天能发货吗？")
	waitText(t, shop, "chat-log", "工单")
	if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_tickets WHERE channel = 'chat' AND contact_phone = '13700137000'`); n != 1 {
		t.Fatalf("%d chat tickets, want 1", n)
	}
	browsertest.Screenshot(t, shop, "storefront-chat-ticket")

	// An agent opens the inbox; the shopper is answered live.
	agent := browsertest.New(t)
	signIn(t, agent, base, email, password)
	if err := chromedp.Do(agent, chromedp.Navigate(base+"/console/chat"), chromedp.WaitVisible(chromedp.CSS(`#inbox[data-connected="1"]`))); err != nil {
		t.Fatalf("open inbox: %v", err)
	}
	shop = browsertest.New(t)
	startChat(shop, "小李")
	waitText(t, shop, "chat-presence", "客服在线")
	say(shop, "chat-input", "chat-send", "这款羽绒服有 XL 吗？")
	waitText(t, agent, "conv-list", "小李")
	err := chromedp.Do(agent,
		chromedp.Click(chromedp.CSS(`#conv-list li[data-status="waiting"] .conv-open`)),
		chromedp.WaitVisible(chromedp.ID("pane-accept")),
	)
	if err != nil {
		t.Fatalf("open the conversation: %v", err)
	}
	waitText(t, agent, "pane-log", "这款羽绒服有 XL 吗？")
	if err := chromedp.Do(agent, chromedp.Click(chromedp.ID("pane-accept")), chromedp.WaitVisible(chromedp.ID("pane-input"))); err != nil {
		t.Fatalf("take the chat: %v", err)
	}
	waitText(t, shop, "chat-log", "为您服务")
	say(agent, "pane-input", "pane-send", "有的，XL 现货，今天下单明天发")
	waitText(t, shop, "chat-log", "有的，XL 现货，今天下单明天发")
	waitText(t, agent, "pane-log", "有的，XL 现货，今天下单明天发")
	say(shop, "chat-input", "chat-send", "好的<script>alert(1)</script>谢谢")
	waitText(t, agent, "pane-log", "好的<script>alert(1)</script>谢谢")
	browsertest.Screenshot(t, shop, "storefront-chat")
	browsertest.Screenshot(t, agent, "console-chat")
}

// waitText waits until the element with id contains text (as text, so
// markup a person typed shows as typed).
func waitText(t *testing.T, ctx context.Context, id, text string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function () { var e = document.getElementById("`+id+`"); return e ? e.textContent : ""; })()`))
		if err == nil {
			got = v
			if strings.Contains(v, text) {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("#%s never showed %q (last %q)", id, text, got)
}

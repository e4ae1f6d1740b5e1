package chat

import (
	"context"
	"io/fs"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/support"
	"storeops/internal/web"
)

// supportTickets opens the ticket of an unanswered chat at the service
// desk.
type supportTickets struct{ s *support.Service }

func (t supportTickets) OpenFromChat(ctx context.Context, customerID platform.ID, name, contact, transcript string) (platform.ID, error) {
	email, phone := "", ""
	if mobileRe.MatchString(contact) {
		phone = contact
	} else {
		email = contact
	}
	tk, err := t.s.OpenFromChat(ctx, customerID, name, email, phone, support.PreSale, transcript)
	return tk.ID, err
}

// Module registers the live chat: tables, permissions, texts, the
// storefront page and API, the agent inbox, and the bus between nodes.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	s := NewService(d.DB, Config{Tickets: supportTickets{s: support.NewService(d.DB)}, Log: d.Log})
	h := &handlers{s: s, secure: d.Secure}
	return &module.Module{
		Name:        "chat",
		Migrations:  []store.Migrations{Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu:        []web.MenuItem{{Section: "support.section", Label: "chat.nav", Path: "/console/chat", Perm: PermHandle, Order: 599}},
		Templates:   tpl,
		Routes:      func(r *web.Router, rd *web.Renderer) { h.rd = rd; r.Add(h.routes()...) },
		Collectors:  []prometheus.Collector{metricConns, metricEvents, metricDropped},
		Demo:        []module.DemoStep{DemoStep()},
		Start:       s.Start,
		Stop:        s.Stop,
	}, nil
}

func (h *handlers) routes() []web.Route {
	s := h.s
	conv := Conversation{ID: 1, Name: "张三", Status: Waiting}
	msg := Message{ID: 2, ConversationID: 1, Sender: FromCustomer, Body: "请问这件有 M 码吗？"}
	after := []web.QueryParam{{Name: "after", Description: "only messages after this message id"}}
	return []web.Route{
		{Method: http.MethodGet, Path: "/chat", Surface: web.Shop, Handler: h.shopPage},
		{Method: http.MethodPost, Path: "/api/v1/chat/conversations", Surface: web.API, Handler: h.apiOpen,
			Doc: &web.OpenAPIOp{Summary: "Open a chat (or return the open one)", Tag: "chat", Status: http.StatusCreated,
				Description: "A signed-in customer, or a guest with a name and an email or mobile number (the guest gets a chat cookie).",
				Request:     StartInput{Name: "张三", Contact: "13800138000"}, Response: OpenResponse{Conversation: conv, AgentsOnline: 1}}},
		{Method: http.MethodGet, Path: "/api/v1/chat/conversations/{id}/messages", Surface: web.API, Handler: h.apiMessages,
			Doc: &web.OpenAPIOp{Summary: "Messages of one of my chats", Tag: "chat", Query: after, Response: []Message{msg}}},
		{Method: http.MethodGet, Path: "/api/v1/chat/ws", Surface: web.API, Handler: h.shopperWS,
			Doc: &web.OpenAPIOp{Summary: "WebSocket of one of my chats", Tag: "chat",
				Description: `Upgrade to a WebSocket. Send {"type":"message","body":…,"client_id":…} or {"type":"typing"}; receive message, typing, conversation, presence and error events.`,
				Query:       []web.QueryParam{{Name: "conversation", Description: "the conversation id", Required: true}}}},
		{Method: http.MethodGet, Path: "/console/chat", Surface: web.Console, Perm: PermHandle, Handler: h.inboxPage},
		{Method: http.MethodGet, Path: "/console/chat/ws", Surface: web.Console, Perm: PermHandle, Handler: h.agentWS},
		{Method: http.MethodGet, Path: "/api/v1/admin/chat/conversations", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminList,
			Doc: &web.OpenAPIOp{Summary: "The chat queue and my chats, or chats by status", Tag: "chat",
				Query: []web.QueryParam{{Name: "status", Description: "waiting, active, closed or ticketed"}}, Response: []Conversation{conv}}},
		{Method: http.MethodGet, Path: "/api/v1/admin/chat/conversations/{id}/messages", Surface: web.AdminAPI, Perm: PermView, Handler: h.adminMessages,
			Doc: &web.OpenAPIOp{Summary: "Messages of a chat", Tag: "chat", Query: after, Response: []Message{msg}}},
		{Method: http.MethodPost, Path: "/api/v1/admin/chat/conversations/{id}/accept", Surface: web.AdminAPI, Perm: PermHandle, Handler: h.adminAct(s.Accept),
			Doc: &web.OpenAPIOp{Summary: "Take a waiting chat", Tag: "chat", Response: conv}},
		{Method: http.MethodPost, Path: "/api/v1/admin/chat/conversations/{id}/messages", Surface: web.AdminAPI, Perm: PermHandle, Handler: h.adminReply,
			Doc: &web.OpenAPIOp{Summary: "Answer in a chat I hold", Tag: "chat", Status: http.StatusCreated,
				Request: ReplyInput{Body: "有的，M 码有货", ClientID: "a1"}, Response: msg}},
		{Method: http.MethodPost, Path: "/api/v1/admin/chat/conversations/{id}/close", Surface: web.AdminAPI, Perm: PermHandle, Handler: h.adminAct(s.Close),
			Doc: &web.OpenAPIOp{Summary: "End a chat I hold", Tag: "chat", Response: conv}},
	}
}

var messages = platform.Texts{
	"kind.chat":                {"在线咨询", "chat"},
	"chat.nav":                 {"在线咨询", "Live chat"},
	"chat.title":               {"在线客服", "Chat with us"},
	"chat.inbox_title":         {"在线咨询", "Live chat"},
	"chat.status.waiting":      {"排队中", "waiting"},
	"chat.status.active":       {"接待中", "active"},
	"chat.status.closed":       {"已结束", "closed"},
	"chat.status.ticketed":     {"已转工单", "ticket"},
	"chat.field.name":          {"请填写称呼（不超过 40 字）", "enter your name (up to 40 characters)"},
	"chat.field.contact":       {"请填写手机号或邮箱，以便客服回复", "enter a mobile number or an email so we can answer"},
	"chat.field.body":          {"消息不能为空，且不超过 %d 字", "a message must not be empty or longer than %d characters"},
	"chat.field.client_id":     {"消息编号过长", "client id too long"},
	"chat.field.after":         {"不是有效的消息编号", "not a valid message id"},
	"chat.field.conversation":  {"不是有效的会话编号", "not a valid conversation id"},
	"chat.field.status":        {"状态只能是 waiting、active、closed 或 ticketed", "status is one of waiting, active, closed, ticketed"},
	"chat.name":                {"称呼", "Name"},
	"chat.contact":             {"手机号或邮箱", "Mobile or email"},
	"chat.start":               {"开始咨询", "Start chat"},
	"chat.send":                {"发送", "Send"},
	"chat.placeholder":         {"输入您的问题…", "Type your question…"},
	"chat.online":              {"客服在线，通常几分钟内回复", "An agent is online and usually answers within minutes"},
	"chat.offline":             {"客服暂时不在线，您的问题将转为工单，我们会尽快通过您的联系方式回复", "No agent is online right now: your question becomes a ticket and we will answer by your contact"},
	"chat.ticketed":            {"您的问题已转为工单 #%s，我们会尽快回复", "Your question is now ticket #%s; we will answer soon"},
	"chat.joined":              {"客服 %s 为您服务", "%s has joined"},
	"chat.closed":              {"会话已结束，感谢您的咨询", "The chat has ended. Thank you"},
	"chat.new":                 {"重新发起咨询", "Start a new chat"},
	"chat.typing":              {"对方正在输入…", "typing…"},
	"chat.queue":               {"排队中的咨询", "Waiting"},
	"chat.mine":                {"我接待的咨询", "My chats"},
	"chat.accept":              {"接待", "Take"},
	"chat.close":               {"结束会话", "End chat"},
	"chat.empty":               {"暂无咨询", "No chats"},
	"chat.pick":                {"从左侧选择一个会话", "Pick a conversation"},
	"chat.agent_placeholder":   {"输入回复…", "Type a reply…"},
	"chat.connection_lost":     {"连接已断开，正在重连…", "Connection lost, reconnecting…"},
	"chat.customer":            {"顾客", "Customer"},
	"chat.you":                 {"我", "Me"},
	"chat.agent":               {"客服", "Agent"},
	"chat.guest":               {"访客", "Guest"},
	"chat.signed_in_hint":      {"您已登录，客服可以查看您的订单", "You are signed in; the agent can see your orders"},
	"chat.ticket_link_hint":    {"可在「我的工单」查看回复", "See the answer under My tickets"},
	"chat.agents_online_label": {"在线客服", "Agents online"},
}

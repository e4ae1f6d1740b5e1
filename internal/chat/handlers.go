package chat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// guestCookie holds a guest's random chat token; only its hash is
// stored, so a database leak reveals no usable token.
const guestCookie = "so_chat"

type handlers struct {
	s      *Service
	rd     *web.Renderer
	secure bool
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// shopper is who makes the request: the signed-in customer, else the
// guest of the chat cookie (made when create is set).
func (h *handlers) shopper(w http.ResponseWriter, r *http.Request, create bool) Shopper {
	if p := web.PrincipalFrom(r.Context()); p != nil && p.CustomerID != 0 {
		return Shopper{CustomerID: p.CustomerID}
	}
	if c, err := r.Cookie(guestCookie); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
		return Shopper{GuestHash: hashToken(c.Value)}
	}
	if !create {
		return Shopper{}
	}
	tok := randomToken()
	http.SetCookie(w, &http.Cookie{Name: guestCookie, Value: tok, Path: "/", HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode, Expires: time.Now().Add(30 * 24 * time.Hour)})
	return Shopper{GuestHash: hashToken(tok)}
}

// OpenResponse is the shopper's conversation and whether anyone is
// there to answer.
type OpenResponse struct {
	Conversation Conversation `json:"conversation"`
	AgentsOnline int          `json:"agents_online"`
}

func (h *handlers) apiOpen(w http.ResponseWriter, r *http.Request) error {
	var in StartInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	who := h.shopper(w, r, true)
	c, err := h.s.Open(r.Context(), who, in)
	if err != nil {
		return err
	}
	n, err := h.s.AgentsOnline(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusCreated, OpenResponse{Conversation: c, AgentsOnline: n})
}

// afterParam reads the ?after= message id (0 when absent).
func afterParam(r *http.Request) (platform.ID, error) {
	v := r.URL.Query().Get("after")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, platform.Invalid("after", "chat.field.after")
	}
	return platform.ID(n), nil
}

func (h *handlers) apiMessages(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "chat")
	if err != nil {
		return err
	}
	after, err := afterParam(r)
	if err != nil {
		return err
	}
	if _, err := h.s.ForShopper(r.Context(), h.shopper(w, r, false), id); err != nil {
		return err
	}
	msgs, err := h.s.Messages(r.Context(), id, after)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, msgs)
}

// shopperWS is the shopper's connection to one of their conversations.
func (h *handlers) shopperWS(w http.ResponseWriter, r *http.Request) error {
	id, err := platform.ParseID(r.URL.Query().Get("conversation"))
	if err != nil {
		return platform.Invalid("conversation", "chat.field.conversation")
	}
	who := h.shopper(w, r, false)
	conv, err := h.s.ForShopper(r.Context(), who, id)
	if err != nil {
		return err
	}
	n, err := h.s.AgentsOnline(r.Context())
	if err != nil {
		return err
	}
	hello := []Event{{Kind: KindPresence, ConversationID: id, AgentsOnline: &n}, {Kind: KindConversation, ConversationID: id, Conversation: &conv}}
	return h.s.serveWS(w, r, newClient(id, 0), hello, func(ctx context.Context, f inFrame) error {
		switch f.Type {
		case "message":
			_, err := h.s.Say(ctx, who, id, f.Body, f.ClientID)
			return err
		case "typing":
			c, err := h.s.ForShopper(ctx, who, id)
			if err != nil {
				return err
			}
			return h.s.Typing(ctx, c, FromCustomer)
		}
		return platform.E(platform.CodeBadRequest)
	})
}

// agentWS is an agent's inbox connection: the queue, their
// conversations, and their presence while it is open.
func (h *handlers) agentWS(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	by := audit.ActorFrom(r)
	ctx := r.Context()
	if err := h.s.agentOnline(ctx, p.StaffID); err != nil {
		return err
	}
	defer func() { _ = h.s.agentOffline(context.WithoutCancel(ctx), p.StaffID) }()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		t := time.NewTicker(heartbeat)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if err := h.s.beat(context.WithoutCancel(ctx), p.StaffID); err != nil {
					h.s.log.Warn("chat: presence", "err", err)
				}
			}
		}
	}()
	return h.s.serveWS(w, r, newClient(0, p.StaffID), nil, func(ctx context.Context, f inFrame) error {
		switch f.Type {
		case "accept":
			_, err := h.s.Accept(ctx, by, f.Conversation)
			return err
		case "message":
			_, err := h.s.Reply(ctx, by, f.Conversation, f.Body, f.ClientID)
			return err
		case "close":
			_, err := h.s.Close(ctx, by, f.Conversation)
			return err
		case "typing":
			c, err := h.s.Get(ctx, f.Conversation)
			if err != nil {
				return err
			}
			if c.Status != Active || c.AgentID != p.StaffID {
				return platform.E(CodeNotYours)
			}
			return h.s.Typing(ctx, c, FromAgent)
		}
		return platform.E(platform.CodeBadRequest)
	})
}

// ReplyInput is an agent's message.
type ReplyInput struct {
	Body     string `json:"body"`
	ClientID string `json:"client_id"`
}

func (h *handlers) adminList(w http.ResponseWriter, r *http.Request) error {
	st := Status(r.URL.Query().Get("status"))
	switch st {
	case "", Waiting, Active, Closed, Ticketed:
	default:
		return platform.Invalid("status", "chat.field.status")
	}
	p := web.PrincipalFrom(r.Context())
	list, err := h.s.Inbox(r.Context(), p.StaffID, st)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, list)
}

func (h *handlers) adminMessages(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "chat")
	if err != nil {
		return err
	}
	after, err := afterParam(r)
	if err != nil {
		return err
	}
	if _, err := h.s.Get(r.Context(), id); err != nil {
		return err
	}
	msgs, err := h.s.Messages(r.Context(), id, after)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, msgs)
}

// adminAct is a staff action on the conversation in the path, answered
// with the conversation as it then stands (accept, close).
func (h *handlers) adminAct(act func(context.Context, audit.Actor, platform.ID) (Conversation, error)) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "id", "chat")
		if err != nil {
			return err
		}
		c, err := act(r.Context(), audit.ActorFrom(r), id)
		if err != nil {
			return err
		}
		return web.WriteJSON(w, http.StatusOK, c)
	}
}

func (h *handlers) adminReply(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "chat")
	if err != nil {
		return err
	}
	var in ReplyInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	m, err := h.s.Reply(r.Context(), audit.ActorFrom(r), id, in.Body, in.ClientID)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, m)
}

// ShopPage is the storefront chat page.
type ShopPage struct {
	SignedIn bool
}

func (h *handlers) shopPage(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, http.StatusOK, "chat/shop", ShopPage{SignedIn: p != nil && p.CustomerID != 0})
}

// InboxPage is the agent's console inbox.
type InboxPage struct {
	Conversations []Conversation
	StaffID       platform.ID
}

func (h *handlers) inboxPage(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	list, err := h.s.Inbox(r.Context(), p.StaffID, "")
	if err != nil {
		return err
	}
	return h.rd.Render(w, r, http.StatusOK, "chat/inbox", InboxPage{Conversations: list, StaffID: p.StaffID})
}

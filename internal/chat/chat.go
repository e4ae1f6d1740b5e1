// Package chat is the live chat between shoppers on the storefront and
// agents in the console: conversations and their messages in the
// database, a hub on every node holding that node's WebSocket
// connections, and a bus that carries each event to every node (LISTEN/
// NOTIFY on PostgreSQL, in process on SQLite's single node). A question
// asked while no agent is online anywhere becomes a support ticket.
package chat

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

//go:embed templates
var templatesFS embed.FS

// Migrations are the chat tables for both dialects.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "chat", FS: sub}
}

// The chat's permissions: agents answer chats; analysts and admins read
// the history.
const (
	PermHandle platform.Permission = "chat.handle"
	PermView   platform.Permission = "chat.view"
)

// Permissions is the chat's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermHandle, Label: platform.Message{ZH: "接待在线咨询", EN: "Answer live chats"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
	{Perm: PermView, Label: platform.Message{ZH: "查看在线咨询记录", EN: "View chat history"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService, platform.RoleAnalyst}},
}

// Status is where a conversation stands.
type Status string

// The conversation states.
const (
	Waiting  Status = "waiting"  // in the queue, no agent yet
	Active   Status = "active"   // an agent took it
	Closed   Status = "closed"   // ended by the agent
	Ticketed Status = "ticketed" // nobody was online: it became a ticket
)

// Label is the status's message key.
func (s Status) Label() string { return "chat.status." + string(s) }

// Sender says who wrote a message.
type Sender string

// The senders.
const (
	FromCustomer Sender = "customer"
	FromAgent    Sender = "agent"
	FromSystem   Sender = "system"
)

// Conversation is one chat.
type Conversation struct {
	ID            platform.ID `json:"id"`
	CustomerID    platform.ID `json:"customer_id,omitempty"`
	Name          string      `json:"name"`
	Contact       string      `json:"-"`
	Status        Status      `json:"status"`
	AgentID       platform.ID `json:"agent_id,omitempty"`
	AgentName     string      `json:"agent_name,omitempty"`
	TicketID      platform.ID `json:"ticket_id,omitempty"`
	CreatedAt     time.Time   `json:"created_at"`
	LastMessageAt time.Time   `json:"last_message_at"`
	ClosedAt      *time.Time  `json:"closed_at,omitempty"`
	Preview       string      `json:"preview,omitempty"`
	guestHash     string
}

// Message is one line of a chat.
type Message struct {
	ID             platform.ID `json:"id"`
	ConversationID platform.ID `json:"conversation_id"`
	Sender         Sender      `json:"sender"`
	StaffID        platform.ID `json:"staff_id,omitempty"`
	Body           string      `json:"body"`
	ClientID       string      `json:"client_id,omitempty"`
	CreatedAt      time.Time   `json:"created_at"`
}

// MaxBody bounds a message (runes): a chat line, not a document. It also
// keeps every event under PostgreSQL's 8,000-byte NOTIFY payload.
const MaxBody = 1000

// The chat's error codes.
var (
	// CodeClosed (409): the conversation is closed or became a ticket.
	CodeClosed = platform.NewCode("chat_closed", http.StatusConflict,
		platform.Message{ZH: "该会话已结束，请重新发起咨询", EN: "This conversation has ended; start a new one"})
	// CodeTaken (409): another agent took the conversation first.
	CodeTaken = platform.NewCode("chat_taken", http.StatusConflict,
		platform.Message{ZH: "该会话已被其他客服接待", EN: "Another agent has taken this conversation"})
	// CodeNotYours (409): the agent does not hold the conversation.
	CodeNotYours = platform.NewCode("chat_not_yours", http.StatusConflict,
		platform.Message{ZH: "请先接待该会话", EN: "Take the conversation first"})
)

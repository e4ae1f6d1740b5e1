// Package support is the service desk: tickets from the storefront's
// contact form and API, from email (an SMTP listener), from phone calls
// that agents log, from offline chat and from proactive care rules;
// assignment to agents and teams by skill, round-robin; SLA timers for
// the first response and the resolution in working hours (see workcal);
// canned replies, internal notes and linked orders; a customer 360 view;
// the complaints-and-suggestions report with CSAT and repeat contacts;
// and the service metrics per agent and team.
package support

import (
	"embed"
	"io/fs"
	"slices"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Migrations are the service desk's tables for both dialects.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "support", FS: sub}
}

// Channel is where a ticket came from.
type Channel string

// The channels.
const (
	Web   Channel = "web"   // contact form or API
	Email Channel = "email" // the inbound SMTP listener
	Phone Channel = "phone" // a call an agent logged
	Chat  Channel = "chat"  // a chat nobody was online to answer
	Care  Channel = "care"  // a proactive care rule
)

// Channels lists every channel in display order.
var Channels = []Channel{Web, Email, Phone, Chat, Care}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// Label is the channel's message key.
func (c Channel) Label() string { return "support.channel." + string(c) }

// Type is what the contact is about.
type Type string

// The ticket types.
const (
	PreSale    Type = "pre_sale"   // 售前
	InOrder    Type = "in_order"   // 售中
	AfterSale  Type = "after_sale" // 售后
	Complaint  Type = "complaint"  // 投诉
	Suggestion Type = "suggestion" // 建议
)

// Types lists every type in display order.
var Types = []Type{PreSale, InOrder, AfterSale, Complaint, Suggestion}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return slices.Contains(Types, t) }

// Label is the type's message key.
func (t Type) Label() string { return "support.type." + string(t) }

// Priority orders the queue and picks the SLA policy.
type Priority string

// The priorities.
const (
	Low    Priority = "low"
	Normal Priority = "normal"
	High   Priority = "high"
	Urgent Priority = "urgent"
)

// Priorities lists every priority, lowest first.
var Priorities = []Priority{Low, Normal, High, Urgent}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }

// Label is the priority's message key.
func (p Priority) Label() string { return "support.priority." + string(p) }

// Status is where a ticket stands.
type Status string

// The statuses: open → pending (an agent answered, waiting on the
// customer) → resolved → closed. A customer's message reopens a pending
// or resolved ticket; a closed one stays closed (a new contact is a new
// ticket, counted as a repeat contact).
const (
	Open     Status = "open"
	Pending  Status = "pending"
	Resolved Status = "resolved"
	Closed   Status = "closed"
)

// Statuses lists every status in display order.
var Statuses = []Status{Open, Pending, Resolved, Closed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Label is the status's message key.
func (s Status) Label() string { return "support.status." + string(s) }

// Active reports whether the ticket still needs the desk (open or
// pending): the backlog.
func (s Status) Active() bool { return s == Open || s == Pending }

// Ticket is one customer contact.
type Ticket struct {
	ID           platform.ID `json:"id"`
	CustomerID   platform.ID `json:"customer_id,omitempty"`
	ContactName  string      `json:"contact_name,omitempty"`
	ContactEmail string      `json:"contact_email,omitempty"`
	ContactPhone string      `json:"contact_phone,omitempty"`
	Channel      Channel     `json:"channel"`
	Type         Type        `json:"type"`
	Priority     Priority    `json:"priority"`
	Status       Status      `json:"status"`
	Subject      string      `json:"subject"`
	OrderID      platform.ID `json:"order_id,omitempty"`
	// Cause is the contact reason an agent recorded, with what it points
	// at (staff only).
	Cause     string      `json:"-"`
	ProductID platform.ID `json:"-"`
	Carrier   string      `json:"-"`
	Policy    string      `json:"-"`
	TeamID    platform.ID `json:"-"`
	// AssigneeID is the staff user handling the ticket (staff only).
	AssigneeID platform.ID `json:"-"`
	// ReplyToken threads emails: replies carry it in the subject.
	ReplyToken       string     `json:"-"`
	FirstResponseDue time.Time  `json:"-"`
	ResolutionDue    time.Time  `json:"-"`
	FirstRespondedAt *time.Time `json:"first_responded_at,omitempty"`
	ResolvedAt       *time.Time `json:"resolved_at,omitempty"`
	ClosedAt         *time.Time `json:"closed_at,omitempty"`
	// FirstResponseWork and ResolutionWork are the working time taken.
	FirstResponseWork time.Duration `json:"-"`
	ResolutionWork    time.Duration `json:"-"`
	ResponseBreached  bool          `json:"-"`
	ResolveBreached   bool          `json:"-"`
	ResponseWarned    bool          `json:"-"`
	ResolveWarned     bool          `json:"-"`
	CSATScore         int           `json:"csat_score,omitempty"`
	CSATComment       string        `json:"csat_comment,omitempty"`
	// CSATToken is the survey link's secret (sent to the customer).
	CSATToken string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Message is one entry of a ticket's conversation.
type Message struct {
	ID       platform.ID `json:"id"`
	TicketID platform.ID `json:"ticket_id"`
	// Author is customer, agent or system.
	Author     string      `json:"author"`
	AuthorID   platform.ID `json:"-"`
	AuthorName string      `json:"author_name,omitempty"`
	Via        Channel     `json:"via"`
	// Internal notes are for staff only; customers never receive them.
	Internal  bool      `json:"-"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// The message authors.
const (
	ByCustomer = "customer"
	ByAgent    = "agent"
	BySystem   = "system"
)

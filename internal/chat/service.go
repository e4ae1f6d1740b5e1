package chat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Ticketer turns a chat nobody answered into a support ticket and
// returns the ticket's id. customerID is 0 for a guest, who left a name
// and an email or mobile number as contact.
type Ticketer interface {
	OpenFromChat(ctx context.Context, customerID platform.ID, name, contact, transcript string) (platform.ID, error)
}

// Service holds the conversations and routes their events.
type Service struct {
	db      *store.DB
	hub     *Hub
	bus     bus
	tickets Ticketer
	log     *slog.Logger
	// node names this process in the presence table.
	node string
	// presenceTTL is how long an agent counts as online after the last
	// heartbeat of one of their connections.
	presenceTTL time.Duration

	// ticketMu keeps one node from turning a conversation into two
	// tickets when two messages arrive at once.
	ticketMu sync.Mutex
	pres     presence
}

// Config tunes a Service. The zero value is fine but for Tickets.
type Config struct {
	Tickets     Ticketer
	Log         *slog.Logger
	PresenceTTL time.Duration
}

// NewService makes the chat of db: a hub for this node's connections and
// the bus that carries events between nodes.
func NewService(db *store.DB, cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.PresenceTTL <= 0 {
		cfg.PresenceTTL = 60 * time.Second
	}
	s := &Service{db: db, hub: newHub(), tickets: cfg.Tickets, log: cfg.Log, presenceTTL: cfg.PresenceTTL,
		pres: presence{conns: map[platform.ID]int{}},
		node: randomToken()[:12]}
	if db != nil && db.Dialect == store.Postgres {
		s.bus = newPGBus(db, s.hub, cfg.Log)
	} else {
		s.bus = localBus{hub: s.hub}
	}
	return s
}

// Start begins following the other nodes' events (PostgreSQL) and
// returns once this node hears them.
func (s *Service) Start(ctx context.Context) error { return s.bus.start(ctx) }

// Stop ends every connection of this node (clients reconnect to another
// node) and the bus.
func (s *Service) Stop(ctx context.Context) {
	s.hub.closeAll()
	s.bus.stop(ctx)
}

const convCols = `c.id, COALESCE(c.customer_id, 0), COALESCE(c.guest_hash, ''), c.name, c.contact, c.status,
	COALESCE(c.agent_id, 0), COALESCE(u.name, ''), COALESCE(c.ticket_id, 0), c.created_at, c.last_message_at, c.closed_at`

const convFrom = ` FROM chat_conversations c LEFT JOIN staff_users u ON u.id = c.agent_id`

func scanConv(row interface{ Scan(...any) error }) (Conversation, error) {
	var c Conversation
	var closed sql.NullTime
	err := row.Scan(&c.ID, &c.CustomerID, &c.guestHash, &c.Name, &c.Contact, &c.Status, &c.AgentID, &c.AgentName,
		&c.TicketID, &c.CreatedAt, &c.LastMessageAt, &closed)
	if closed.Valid {
		t := closed.Time
		c.ClosedAt = &t
	}
	return c, err
}

func getConv(ctx context.Context, q store.Querier, id platform.ID) (Conversation, error) {
	c, err := scanConv(q.QueryRowContext(ctx, `SELECT `+convCols+convFrom+` WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, platform.NotFound("chat")
	}
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: conversation %d: %w", id, err)
	}
	return c, nil
}

// Shopper is who is chatting on the storefront: a signed-in customer, or
// a guest known by the hash of their chat cookie.
type Shopper struct {
	CustomerID platform.ID
	GuestHash  string
}

func (sh Shopper) owns(c Conversation) bool {
	if sh.CustomerID != 0 {
		return c.CustomerID == sh.CustomerID
	}
	return sh.GuestHash != "" && c.CustomerID == 0 && c.guestHash == sh.GuestHash
}

// StartInput opens a conversation. A guest gives a name and a contact
// (email or mobile) so an unanswered question can be answered later.
type StartInput struct {
	Name    string `json:"name"`
	Contact string `json:"contact"`
}

var (
	mobileRe = regexp.MustCompile(`^1[3-9]\d{9}$`)
	emailRe  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

func (in *StartInput) validate(guest bool) error {
	in.Name, in.Contact = strings.TrimSpace(in.Name), strings.TrimSpace(in.Contact)
	var e *platform.Error
	add := func(field, key string) {
		if e == nil {
			e = platform.E(platform.CodeInvalid)
		}
		e.With(field, key)
	}
	if n := utf8.RuneCountInString(in.Name); n > 40 || (guest && n == 0) {
		add("name", "chat.field.name")
	}
	if guest || in.Contact != "" {
		if !mobileRe.MatchString(in.Contact) && !emailRe.MatchString(in.Contact) || len(in.Contact) > 120 {
			add("contact", "chat.field.contact")
		}
	}
	if e != nil {
		return e
	}
	return nil
}

// Open returns the shopper's open conversation, or starts one in the
// queue.
//
// Errors: CodeInvalid (a guest without name or contact).
func (s *Service) Open(ctx context.Context, who Shopper, in StartInput) (Conversation, error) {
	if err := in.validate(who.CustomerID == 0); err != nil {
		return Conversation{}, err
	}
	if who.CustomerID == 0 && who.GuestHash == "" {
		return Conversation{}, platform.E(platform.CodeUnauthenticated)
	}
	if c, ok, err := s.openOf(ctx, s.db.R, who); err != nil || ok {
		return c, err
	}
	var id platform.ID
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if c, ok, err := s.openOf(ctx, tx, who); err != nil || ok {
			id = c.ID
			return err
		}
		id = tx.NewID()
		var cust, guest any
		if who.CustomerID != 0 {
			cust = who.CustomerID
		} else {
			guest = who.GuestHash
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO chat_conversations
			(id, customer_id, guest_hash, name, contact, status, created_at, updated_at, last_message_at)
			VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $6, $6)`, id, cust, guest, in.Name, in.Contact, tx.Now); err != nil {
			return fmt.Errorf("chat: open: %w", err)
		}
		c, err := getConv(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.bus.publish(ctx, tx, Event{Kind: KindConversation, ConversationID: id, Conversation: &c})
	})
	if err != nil {
		return Conversation{}, err
	}
	return getConv(ctx, s.db.R, id)
}

func (s *Service) openOf(ctx context.Context, q store.Querier, who Shopper) (Conversation, bool, error) {
	where, arg := `c.customer_id = $1`, any(who.CustomerID)
	if who.CustomerID == 0 {
		where, arg = `c.customer_id IS NULL AND c.guest_hash = $1`, who.GuestHash
	}
	c, err := scanConv(q.QueryRowContext(ctx, `SELECT `+convCols+convFrom+` WHERE `+where+
		` AND c.status IN ('waiting', 'active') ORDER BY c.id DESC LIMIT 1`, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, false, nil
	}
	if err != nil {
		return Conversation{}, false, fmt.Errorf("chat: open conversation: %w", err)
	}
	return c, true, nil
}

// ForShopper is one of the shopper's conversations; anybody else's is
// not found.
//
// Errors: CodeNotFound.
func (s *Service) ForShopper(ctx context.Context, who Shopper, id platform.ID) (Conversation, error) {
	c, err := getConv(ctx, s.db.R, id)
	if err != nil {
		return Conversation{}, err
	}
	if !who.owns(c) {
		return Conversation{}, platform.NotFound("chat")
	}
	return c, nil
}

// Get is a conversation by id (staff).
//
// Errors: CodeNotFound.
func (s *Service) Get(ctx context.Context, id platform.ID) (Conversation, error) {
	return getConv(ctx, s.db.R, id)
}

// cleanBody trims a message and refuses one that is empty, too long or
// carries control characters (line breaks and tabs are text).
func cleanBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" || !utf8.ValidString(body) || utf8.RuneCountInString(body) > MaxBody {
		return "", platform.Invalid("body", "chat.field.body", MaxBody)
	}
	for _, r := range body {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return "", platform.Invalid("body", "chat.field.body", MaxBody)
		}
	}
	return body, nil
}

// insertMessage stores m in tx, or finds the one already stored under
// its client id (a resend), and publishes it.
func (s *Service) insertMessage(ctx context.Context, tx *store.Tx, conv Conversation, m *Message) error {
	m.ID, m.ConversationID, m.CreatedAt = tx.NewID(), conv.ID, tx.Now
	var staff any
	if m.StaffID != 0 {
		staff = m.StaffID
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO chat_messages (id, conversation_id, sender, staff_id, body, client_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`, m.ID, conv.ID, m.Sender, staff, m.Body, m.ClientID, tx.Now)
	if err != nil {
		return fmt.Errorf("chat: message: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Stored before: answer with that message, publish nothing new.
		err := tx.QueryRowContext(ctx, `SELECT id, created_at FROM chat_messages WHERE conversation_id = $1 AND client_id = $2`,
			conv.ID, m.ClientID).Scan(&m.ID, &m.CreatedAt)
		if err != nil {
			return fmt.Errorf("chat: resent message: %w", err)
		}
		return nil
	}
	return s.bus.publish(ctx, tx, Event{Kind: KindMessage, ConversationID: conv.ID, AgentID: conv.AgentID, Message: m})
}

// touch moves the conversation's last-message time if it is still open
// (and, for an agent, held by them), returning it as it stands.
func touch(ctx context.Context, tx *store.Tx, id, agentID platform.ID) (Conversation, error) {
	q := `UPDATE chat_conversations SET last_message_at = $1, updated_at = $1 WHERE id = $2 AND status IN ('waiting', 'active')`
	args := []any{tx.Now, id}
	if agentID != 0 {
		q = `UPDATE chat_conversations SET last_message_at = $1, updated_at = $1 WHERE id = $2 AND status = 'active' AND agent_id = $3`
		args = append(args, agentID)
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return Conversation{}, fmt.Errorf("chat: touch %d: %w", id, err)
	}
	c, err := getConv(ctx, tx, id)
	if err != nil {
		return Conversation{}, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if c.Status == Closed || c.Status == Ticketed {
			return c, platform.E(CodeClosed)
		}
		return c, platform.E(CodeNotYours)
	}
	return c, nil
}

// Say stores the shopper's message in their conversation. When the
// conversation is still in the queue and no agent is online anywhere,
// the conversation becomes a support ticket (the shopper is told).
//
// Errors: CodeNotFound (not theirs), CodeInvalid (body), CodeClosed.
func (s *Service) Say(ctx context.Context, who Shopper, id platform.ID, body, clientID string) (Message, error) {
	body, err := cleanBody(body)
	if err != nil {
		return Message{}, err
	}
	if len(clientID) > 64 {
		return Message{}, platform.Invalid("client_id", "chat.field.client_id")
	}
	if _, err := s.ForShopper(ctx, who, id); err != nil {
		return Message{}, err
	}
	m := Message{Sender: FromCustomer, Body: body, ClientID: clientID}
	var conv Conversation
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := touch(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		conv = c
		return s.insertMessage(ctx, tx, c, &m)
	})
	if err != nil {
		return Message{}, err
	}
	if conv.Status == Waiting {
		n, err := s.AgentsOnline(ctx)
		if err != nil {
			return m, err
		}
		if n == 0 {
			if err := s.toTicket(ctx, id); err != nil {
				return m, err
			}
		}
	}
	return m, nil
}

// toTicket turns a waiting conversation into a support ticket carrying
// its transcript, and tells the shopper.
func (s *Service) toTicket(ctx context.Context, id platform.ID) error {
	s.ticketMu.Lock()
	defer s.ticketMu.Unlock()
	c, err := getConv(ctx, s.db.R, id)
	if err != nil || c.Status != Waiting {
		return err
	}
	if s.tickets == nil {
		return nil
	}
	msgs, err := s.Messages(ctx, id, 0)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, m := range msgs {
		if m.Sender == FromCustomer {
			fmt.Fprintf(&b, "[%s] %s\n", m.CreatedAt.In(platform.ShopZone).Format("2006-01-02 15:04"), m.Body)
		}
	}
	name, contact := c.Name, c.Contact
	ticketID, err := s.tickets.OpenFromChat(ctx, c.CustomerID, name, contact, strings.TrimSpace(b.String()))
	if err != nil {
		return fmt.Errorf("chat: ticket for %d: %w", id, err)
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE chat_conversations SET status = 'ticketed', ticket_id = $1, closed_at = $2, updated_at = $2
			WHERE id = $3 AND status = 'waiting'`, ticketID, tx.Now, id)
		if err != nil {
			return fmt.Errorf("chat: ticketed %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // an agent took it meanwhile; the ticket stays as a record
		}
		c, err := getConv(ctx, tx, id)
		if err != nil {
			return err
		}
		m := Message{Sender: FromSystem, Body: fmt.Sprintf("ticket:%s", ticketID)}
		if err := s.insertMessage(ctx, tx, c, &m); err != nil {
			return err
		}
		return s.bus.publish(ctx, tx, Event{Kind: KindConversation, ConversationID: id, Conversation: &c})
	})
}

// Accept gives a waiting conversation to the agent. Taking one's own
// conversation again is a no-op.
//
// Errors: CodeNotFound, CodeTaken, CodeClosed.
func (s *Service) Accept(ctx context.Context, by audit.Actor, id platform.ID) (Conversation, error) {
	var out Conversation
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		before, err := getConv(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE chat_conversations SET status = 'active', agent_id = $1, updated_at = $2
			WHERE id = $3 AND status = 'waiting'`, by.StaffID, tx.Now, id)
		if err != nil {
			return fmt.Errorf("chat: accept %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			switch {
			case before.Status == Active && before.AgentID == by.StaffID:
				out = before
				return nil
			case before.Status == Active:
				return platform.E(CodeTaken)
			default:
				return platform.E(CodeClosed)
			}
		}
		c, err := getConv(ctx, tx, id)
		if err != nil {
			return err
		}
		out = c
		if err := audit.Change(ctx, tx, by, "chat.accept", "chat", id,
			map[string]any{"status": before.Status}, map[string]any{"status": c.Status, "agent_id": by.StaffID}); err != nil {
			return err
		}
		m := Message{Sender: FromSystem, StaffID: by.StaffID, Body: "joined:" + c.AgentName}
		if err := s.insertMessage(ctx, tx, c, &m); err != nil {
			return err
		}
		return s.bus.publish(ctx, tx, Event{Kind: KindConversation, ConversationID: id, AgentID: by.StaffID, Conversation: &c})
	})
	return out, err
}

// Reply stores the agent's message in a conversation they hold.
//
// Errors: CodeNotFound, CodeInvalid, CodeNotYours, CodeClosed.
func (s *Service) Reply(ctx context.Context, by audit.Actor, id platform.ID, body, clientID string) (Message, error) {
	body, err := cleanBody(body)
	if err != nil {
		return Message{}, err
	}
	if len(clientID) > 64 {
		return Message{}, platform.Invalid("client_id", "chat.field.client_id")
	}
	m := Message{Sender: FromAgent, StaffID: by.StaffID, Body: body, ClientID: clientID}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := touch(ctx, tx, id, by.StaffID)
		if err != nil {
			return err
		}
		return s.insertMessage(ctx, tx, c, &m)
	})
	return m, err
}

// Close ends a conversation the agent holds.
//
// Errors: CodeNotFound, CodeNotYours, CodeClosed.
func (s *Service) Close(ctx context.Context, by audit.Actor, id platform.ID) (Conversation, error) {
	var out Conversation
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		before, err := getConv(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE chat_conversations SET status = 'closed', closed_at = $1, updated_at = $1
			WHERE id = $2 AND status = 'active' AND agent_id = $3`, tx.Now, id, by.StaffID)
		if err != nil {
			return fmt.Errorf("chat: close %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if before.Status == Closed || before.Status == Ticketed {
				return platform.E(CodeClosed)
			}
			return platform.E(CodeNotYours)
		}
		c, err := getConv(ctx, tx, id)
		if err != nil {
			return err
		}
		out = c
		if err := audit.Change(ctx, tx, by, "chat.close", "chat", id,
			map[string]any{"status": before.Status}, map[string]any{"status": c.Status}); err != nil {
			return err
		}
		m := Message{Sender: FromSystem, StaffID: by.StaffID, Body: "closed"}
		if err := s.insertMessage(ctx, tx, c, &m); err != nil {
			return err
		}
		return s.bus.publish(ctx, tx, Event{Kind: KindConversation, ConversationID: id, AgentID: by.StaffID, Conversation: &c})
	})
	return out, err
}

// Typing tells the other side that someone is writing. Nothing is
// stored.
func (s *Service) Typing(ctx context.Context, c Conversation, from Sender) error {
	return s.bus.publishNow(ctx, Event{Kind: KindTyping, ConversationID: c.ID, AgentID: c.AgentID, Sender: from})
}

// Messages are a conversation's messages after the message id after
// (0: from the start), oldest first, at most 500.
func (s *Service) Messages(ctx context.Context, id, after platform.ID) ([]Message, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, conversation_id, sender, COALESCE(staff_id, 0), body, client_id, created_at
		FROM chat_messages WHERE conversation_id = $1 AND id > $2 ORDER BY id LIMIT 500`, id, after)
	if err != nil {
		return nil, fmt.Errorf("chat: messages of %d: %w", id, err)
	}
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		var m Message
		if err := rows.Scan(&m.ID, &m.ConversationID, &m.Sender, &m.StaffID, &m.Body, &m.ClientID, &m.CreatedAt); err != nil {
			return nil, fmt.Errorf("chat: message: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Inbox lists conversations for the agent's inbox: the queue and the
// agent's own open ones, then the most recent others when status is
// given ("closed", "ticketed"…), newest activity first, at most 200.
func (s *Service) Inbox(ctx context.Context, agentID platform.ID, status Status) ([]Conversation, error) {
	where, args := `c.status = 'waiting' OR (c.status = 'active' AND c.agent_id = $1)`, []any{agentID}
	if status != "" {
		where, args = `c.status = $1`, []any{status}
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+convCols+`,
		COALESCE((SELECT m.body FROM chat_messages m WHERE m.conversation_id = c.id AND m.sender = 'customer' ORDER BY m.id DESC LIMIT 1), '')`+
		convFrom+` WHERE `+where+` ORDER BY c.last_message_at DESC, c.id DESC LIMIT 200`, args...)
	if err != nil {
		return nil, fmt.Errorf("chat: inbox: %w", err)
	}
	defer rows.Close()
	out := []Conversation{}
	for rows.Next() {
		var c Conversation
		var closed sql.NullTime
		if err := rows.Scan(&c.ID, &c.CustomerID, &c.guestHash, &c.Name, &c.Contact, &c.Status, &c.AgentID, &c.AgentName,
			&c.TicketID, &c.CreatedAt, &c.LastMessageAt, &closed, &c.Preview); err != nil {
			return nil, fmt.Errorf("chat: inbox row: %w", err)
		}
		if closed.Valid {
			t := closed.Time
			c.ClosedAt = &t
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

package chat

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"storeops/internal/platform"
)

// The kinds of event a connection receives.
const (
	KindMessage      = "message"      // a stored message
	KindTyping       = "typing"       // someone is writing (not stored)
	KindConversation = "conversation" // a conversation opened, was taken, closed or ticketed
	KindPresence     = "presence"     // how many agents are online (to a shopper, on connect)
	KindResync       = "resync"       // events may have been missed: fetch the history again
	KindError        = "error"        // a frame was refused
)

// Event is what the bus carries and what a connection receives, as JSON.
// AgentID is the agent holding the conversation (0 while it waits), so a
// node can route without reading the database.
type Event struct {
	Kind           string        `json:"type"`
	ConversationID platform.ID   `json:"conversation,omitempty"`
	AgentID        platform.ID   `json:"agent,omitempty"`
	Message        *Message      `json:"message,omitempty"`
	Conversation   *Conversation `json:"conv,omitempty"`
	Sender         Sender        `json:"sender,omitempty"`
	AgentsOnline   *int          `json:"agents_online,omitempty"`
	Code           string        `json:"code,omitempty"`
	Detail         string        `json:"detail,omitempty"`
	// ClientID names the refused frame of an error event.
	ClientID string `json:"client_id,omitempty"`
}

var (
	metricConns = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "storeops_chat_connections",
		Help: "Open chat WebSocket connections on this node, by side."}, []string{"side"})
	metricEvents = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "storeops_chat_events_total",
		Help: "Chat events delivered to this node, by kind."}, []string{"kind"})
	metricDropped = prometheus.NewCounter(prometheus.CounterOpts{Name: "storeops_chat_slow_clients_total",
		Help: "Chat connections closed because they did not keep up with their events."})
)

// client is one open connection: a shopper's (conv set) or an agent's
// (staff set). send is drained by the connection's writer; a client
// whose buffer fills is dropped rather than allowed to stall the hub.
type client struct {
	conv  platform.ID
	staff platform.ID
	send  chan []byte
	once  sync.Once
	gone  chan struct{}
}

func newClient(conv, staff platform.ID) *client {
	// An agent's inbox hears every conversation's changes and the
	// messages of all they hold: it gets the deeper buffer.
	size := 64
	if staff != 0 {
		size = 4096
	}
	return &client{conv: conv, staff: staff, send: make(chan []byte, size), gone: make(chan struct{})}
}

// drop ends the client's writer.
func (c *client) drop() { c.once.Do(func() { close(c.gone) }) }

// Hub holds this node's connections and hands each event to the ones it
// concerns: a shopper sees their conversation; an agent sees the queue,
// every conversation's status, and the messages of the conversations
// they hold or that still wait.
type Hub struct {
	mu     sync.RWMutex
	convs  map[platform.ID]map[*client]struct{}
	agents map[*client]struct{}
}

func newHub() *Hub {
	return &Hub{convs: map[platform.ID]map[*client]struct{}{}, agents: map[*client]struct{}{}}
}

func (h *Hub) add(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.staff != 0 {
		h.agents[c] = struct{}{}
		metricConns.WithLabelValues("agent").Inc()
		return
	}
	set := h.convs[c.conv]
	if set == nil {
		set = map[*client]struct{}{}
		h.convs[c.conv] = set
	}
	set[c] = struct{}{}
	metricConns.WithLabelValues("shopper").Inc()
}

func (h *Hub) remove(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.staff != 0 {
		if _, ok := h.agents[c]; ok {
			delete(h.agents, c)
			metricConns.WithLabelValues("agent").Dec()
		}
		return
	}
	if set := h.convs[c.conv]; set != nil {
		if _, ok := set[c]; ok {
			delete(set, c)
			metricConns.WithLabelValues("shopper").Dec()
		}
		if len(set) == 0 {
			delete(h.convs, c.conv)
		}
	}
}

// deliver hands ev to the clients it concerns.
func (h *Hub) deliver(ev Event) {
	metricEvents.WithLabelValues(ev.Kind).Inc()
	data, err := json.Marshal(ev)
	if err != nil {
		return
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	if ev.Kind == KindResync {
		for _, set := range h.convs {
			for c := range set {
				c.push(data)
			}
		}
		for c := range h.agents {
			c.push(data)
		}
		return
	}
	for c := range h.convs[ev.ConversationID] {
		if ev.Kind == KindTyping && ev.Sender == FromCustomer {
			continue
		}
		c.push(data)
	}
	for c := range h.agents {
		switch {
		case ev.Kind == KindConversation:
		case ev.Kind == KindTyping && ev.Sender == FromAgent:
			continue
		case ev.AgentID != 0 && ev.AgentID != c.staff:
			continue
		}
		c.push(data)
	}
}

// push queues data for the client, dropping a client that lags.
func (c *client) push(data []byte) {
	select {
	case c.send <- data:
	default:
		metricDropped.Inc()
		c.drop()
	}
}

// closeAll drops every connection (shutdown).
func (h *Hub) closeAll() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, set := range h.convs {
		for c := range set {
			c.drop()
		}
	}
	for c := range h.agents {
		c.drop()
	}
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

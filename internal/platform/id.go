package platform

import (
	"fmt"
	"strconv"
	"sync"
	"time"
)

// ID is a sortable 64-bit identifier: milliseconds since 2025-01-01 UTC in
// the high 41 bits, a node number in the next 10 and a per-millisecond
// sequence in the low 12. Ids from one node increase strictly; ids from
// different nodes never collide while their node numbers differ (the store
// leases node numbers). In JSON an ID is a string, because JavaScript loses
// integer precision past 2^53.
type ID int64

var idEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

const (
	idNodeBits = 10
	idSeqBits  = 12
	// MaxNode is the largest node number.
	MaxNode = 1<<idNodeBits - 1
)

func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// Time is when the id was made, to the millisecond.
func (id ID) Time() time.Time {
	return time.UnixMilli(int64(id)>>(idNodeBits+idSeqBits) + idEpoch).UTC()
}

func (id ID) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatInt(int64(id), 10) + `"`), nil
}

// UnmarshalJSON accepts the string form and, for convenience, a bare number.
func (id *ID) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := ParseID(s)
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// ParseID reads an id from its decimal form; zero and negatives are invalid.
func ParseID(s string) (ID, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("id: %q is not an id", s)
	}
	return ID(v), nil
}

// IDGen makes ids for one node.
type IDGen struct {
	mu     sync.Mutex
	node   int64
	lastMS int64
	seq    int64
	now    func() time.Time
}

// NewIDGen makes a generator for node (0..MaxNode) reading the wall clock.
// Ids follow real time even when the business clock is fixed, so they stay
// unique across restarts of a test clock.
func NewIDGen(node int) *IDGen {
	if node < 0 || node > MaxNode {
		panic("platform: node number out of range")
	}
	return &IDGen{node: int64(node), now: time.Now}
}

// Node is the generator's node number.
func (g *IDGen) Node() int { return int(g.node) }

// Observe makes every later id larger than seen, an id already stored.
// A process calls it at start with the largest id of the logs that readers
// follow by id (the outbox), so a wall clock that stepped back across a
// restart cannot hand out ids below a consumer's position.
func (g *IDGen) Observe(seen ID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := int64(seen) >> (idNodeBits + idSeqBits)
	if ms >= g.lastMS {
		g.lastMS = ms
		g.seq = 1<<idSeqBits - 1 // the next id moves to the next millisecond
	}
}

// Next returns a new id, larger than every id this generator made before.
// When the sequence of a millisecond runs out it borrows the next
// millisecond rather than sleeping, so a burst never blocks.
func (g *IDGen) Next() ID {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := g.now().UnixMilli() - idEpoch
	if ms <= g.lastMS {
		g.seq++
		if g.seq >= 1<<idSeqBits {
			g.lastMS++
			g.seq = 0
		}
	} else {
		g.lastMS = ms
		g.seq = 0
	}
	return ID(g.lastMS<<(idNodeBits+idSeqBits) | g.node<<idSeqBits | g.seq)
}

// IDAt is the id a generator for node would make at t with sequence seq
// (0..4095). Tools that must reproduce the same ids on every run (the demo
// shop) compose them with it; t must not be before 2025-01-01 UTC.
func IDAt(t time.Time, node, seq int) ID {
	if node < 0 || node > MaxNode || seq < 0 || seq >= 1<<idSeqBits {
		panic("platform: id part out of range")
	}
	ms := t.UnixMilli() - idEpoch
	return ID(ms<<(idNodeBits+idSeqBits) | int64(node)<<idSeqBits | int64(seq))
}

package platform

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
)

// Page limits: a client asks for up to MaxPageSize rows, DefaultPageSize by
// default.
const (
	DefaultPageSize = 20
	MaxPageSize     = 200
)

// Cursor marks a position in a keyset-ordered listing: the sort key of the
// last row seen and its id as a tie-breaker. It travels as opaque base64url
// so clients do not build their own.
type Cursor struct {
	Key string `json:"k,omitempty"`
	ID  ID     `json:"i"`
}

// Encode makes the opaque form.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor reads an opaque cursor. Empty means the first page (nil).
// Anything else that does not decode is CodeBadCursor.
func ParseCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	// A cursor carries one sort key (a title, a date) and an id; 4 KiB
	// leaves room for any key a listing sorts by.
	if len(s) > 4096 {
		return nil, E(CodeBadCursor)
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, E(CodeBadCursor).Wrap(err)
	}
	var c Cursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID <= 0 {
		return nil, E(CodeBadCursor).Wrap(err)
	}
	return &c, nil
}

// PageRequest is a parsed ?cursor=&limit= pair.
type PageRequest struct {
	After *Cursor
	Limit int
}

// ParsePage reads cursor and limit query values, applying the defaults.
func ParsePage(cursor, limit string) (PageRequest, error) {
	p := PageRequest{Limit: DefaultPageSize}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxPageSize {
			return p, Invalid("limit", "field.page_limit", MaxPageSize)
		}
		p.Limit = n
	}
	c, err := ParseCursor(cursor)
	if err != nil {
		return p, err
	}
	p.After = c
	return p, nil
}

// Page is one page of a listing, as the API returns it.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// NewPage trims a listing fetched with limit+1 rows to limit and sets the
// next cursor from the last row kept.
func NewPage[T any](rows []T, limit int, cursorOf func(T) Cursor) Page[T] {
	p := Page[T]{Items: rows}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(rows) > limit {
		p.Items = rows[:limit]
		p.NextCursor = cursorOf(rows[limit-1]).Encode()
	}
	return p
}

func init() {
	RegisterMessages(map[string]Message{
		"field.page_limit": {"必须是 1 到 %d 之间的整数", "must be a whole number from 1 to %d"},
	})
}

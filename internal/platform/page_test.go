package platform

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePage(t *testing.T) {
	valid := Cursor{Key: "2026-11-11", ID: 42}.Encode()
	ok := []struct {
		cursor, limit string
		want          PageRequest
	}{
		{"", "", PageRequest{Limit: DefaultPageSize}},
		{"", "1", PageRequest{Limit: 1}},
		{"", "200", PageRequest{Limit: MaxPageSize}},
		{valid, "50", PageRequest{Limit: 50, After: &Cursor{Key: "2026-11-11", ID: 42}}},
	}
	for _, tt := range ok {
		got, err := ParsePage(tt.cursor, tt.limit)
		if err != nil {
			t.Errorf("ParsePage(%q, %q): %v", tt.cursor, tt.limit, err)
			continue
		}
		if got.Limit != tt.want.Limit || (got.After == nil) != (tt.want.After == nil) ||
			(got.After != nil && *got.After != *tt.want.After) {
			t.Errorf("ParsePage(%q, %q) = %+v, want %+v", tt.cursor, tt.limit, got, tt.want)
		}
	}
	for _, limit := range []string{"0", "-1", "201", "abc", "1.5", " 5", "99999999999999999999"} {
		_, err := ParsePage("", limit)
		if ErrorCode(err) != CodeInvalid {
			t.Errorf("ParsePage(limit %q) = %v, want code %s", limit, err, CodeInvalid)
			continue
		}
		var e *Error
		if errors.As(err, &e); len(e.Fields) != 1 || e.Fields[0].Field != "limit" || !HasMessage(e.Fields[0].Key) {
			t.Errorf("ParsePage(limit %q): fields %+v, want one on limit with a known message", limit, e.Fields)
		}
	}
	for _, cursor := range []string{"!!!", "e30", "eyJpIjowfQ", "bnVsbA", strings.Repeat("A", 600)} {
		if _, err := ParsePage(cursor, ""); ErrorCode(err) != CodeBadCursor {
			t.Errorf("ParsePage(cursor %q) = %v, want code %s", cursor, err, CodeBadCursor)
		}
	}
}

func TestNewPage(t *testing.T) {
	rows := []int{1, 2, 3}
	cur := func(i int) Cursor { return Cursor{ID: ID(i)} }
	p := NewPage(rows, 2, cur)
	if len(p.Items) != 2 || p.NextCursor == "" {
		t.Fatalf("NewPage(3 rows, limit 2) = %+v", p)
	}
	c, err := ParseCursor(p.NextCursor)
	if err != nil || c.ID != 2 {
		t.Fatalf("next cursor %q = %+v, %v; want id 2", p.NextCursor, c, err)
	}
	if p := NewPage(rows[:2], 2, cur); p.NextCursor != "" || len(p.Items) != 2 {
		t.Fatalf("NewPage(2 rows, limit 2) = %+v, want no next cursor", p)
	}
	if p := NewPage[int](nil, 2, cur); p.Items == nil {
		t.Fatal("NewPage(nil) items are nil; the API must render []")
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add("")
	f.Add(Cursor{ID: 1}.Encode())
	f.Add(Cursor{Key: "价格:1999", ID: 7373737373}.Encode())
	f.Add(Cursor{Key: "<a&b>", ID: 5}.Encode())
	f.Add("eyJpIjoiMTIifQ") // {"i":"12"}
	f.Add("e30")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCursor(s)
		if err != nil {
			if ErrorCode(err) != CodeBadCursor {
				t.Fatalf("ParseCursor(%q): error code %s, want %s", s, ErrorCode(err), CodeBadCursor)
			}
			return
		}
		if c == nil {
			if s != "" {
				t.Fatalf("ParseCursor(%q) = nil, nil", s)
			}
			return
		}
		if c.ID <= 0 {
			t.Fatalf("ParseCursor(%q) accepted id %d", s, c.ID)
		}
		enc := c.Encode()
		if len(enc) > 512 {
			// JSON escaping can lengthen a key (< becomes \u003c); such a
			// cursor was never made by Encode.
			return
		}
		back, err := ParseCursor(enc)
		if err != nil || back == nil || *back != *c {
			t.Fatalf("ParseCursor(%q) = %+v; re-encoded %q parses to %+v, %v", s, c, enc, back, err)
		}
	})
}

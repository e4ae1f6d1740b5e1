// Package review keeps shoppers' reviews of the products they received:
// verified purchases only (one review per delivered order line), rated
// 1–5 with text. Automatic checks hold back reviews with links, ads,
// contact details or profanity for moderation; the merchant answers in
// public (one reply per review), with a target of 24 hours for negative
// reviews; a lexicon tags each review with the topics it praises or
// complains about, summed per product and shop-wide.
package review

import (
	"embed"
	"io/fs"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Migrations are the review tables for both dialects.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "review", FS: sub}
}

// Status is where a review stands.
type Status string

// The statuses. A clean review is published at once; a flagged one is
// pending until staff approve (published) or reject it.
const (
	Published Status = "published" // 已发布
	Pending   Status = "pending"   // 待审核
	Rejected  Status = "rejected"  // 已驳回
)

// Statuses lists every status in display order.
var Statuses = []Status{Pending, Published, Rejected}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == Published || s == Pending || s == Rejected }

// Label is the status's message key.
func (s Status) Label() string { return "review.status." + string(s) }

// Negative is the highest rating that counts as a negative review (差评),
// which the merchant should answer within ReplyTarget.
const Negative = 2

// ReplyTarget is how soon a negative review should have its reply.
const ReplyTarget = 24 * time.Hour

// Review is one shopper's review of one product they bought.
type Review struct {
	ID          platform.ID `json:"id"`
	ProductID   platform.ID `json:"product_id"`
	OrderID     platform.ID `json:"order_id"`
	OrderLineID platform.ID `json:"order_line_id"`
	// CustomerID is the author (not shown to other shoppers).
	CustomerID platform.ID `json:"-"`
	// Author is the masked display name (王**).
	Author   string     `json:"author"`
	SpecText string     `json:"spec_text,omitempty"`
	Rating   int        `json:"rating"`
	Body     string     `json:"body"`
	Status   Status     `json:"status"`
	Flags    []Flag     `json:"flags,omitempty"`
	Topics   []TopicHit `json:"topics,omitempty"`
	// Images are the shopper's photos, in the order added.
	Images []Image `json:"images,omitempty"`
	// RejectReason says why staff hid the review (shown to its author).
	RejectReason string `json:"reject_reason,omitempty"`
	ModeratedBy  string `json:"-"`
	// Reply is the merchant's public answer, "" before one.
	Reply          string     `json:"reply,omitempty"`
	RepliedBy      string     `json:"-"`
	RepliedAt      *time.Time `json:"replied_at,omitempty"`
	ReplyUpdatedAt *time.Time `json:"reply_updated_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	// ProductTitle is filled in staff listings.
	ProductTitle string `json:"product_title,omitempty"`
}

// IsNegative reports whether the review is a 差评.
func (v Review) IsNegative() bool { return v.Rating <= Negative }

// ReplyDue is when a negative review's reply is due.
func (v Review) ReplyDue() time.Time { return v.CreatedAt.Add(ReplyTarget) }

// Overdue reports whether a negative review still waits for its reply
// past the target at now.
func (v Review) Overdue(now time.Time) bool {
	return v.IsNegative() && v.RepliedAt == nil && now.After(v.ReplyDue())
}

// Stars is the rating as ★ and ☆.
func (v Review) Stars() string { return Stars(v.Rating) }

// Stars draws a rating of 0–5 as five stars.
func Stars(n int) string {
	n = max(0, min(5, n))
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// Field limits.
const (
	maxBody   = 1000
	maxReply  = 500
	maxReason = 200
)

// Input is a shopper's review of one line of their order.
type Input struct {
	OrderLineID platform.ID `json:"order_line_id"`
	Rating      int         `json:"rating"`
	Body        string      `json:"body"`
}

// Validate normalises in place and reports every invalid field (422
// CodeInvalid with field errors).
func (in *Input) Validate() error {
	e := platform.E(platform.CodeInvalid)
	in.Body = cleanText(in.Body)
	if in.OrderLineID <= 0 {
		e.With("order_line_id", "field.required")
	}
	if in.Rating < 1 || in.Rating > 5 {
		e.With("rating", "review.field.rating")
	}
	if n := utf8.RuneCountInString(in.Body); n > maxBody {
		e.With("body", "field.too_long", maxBody)
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// ReplyInput is the merchant's reply.
type ReplyInput struct {
	Body string `json:"body"`
}

// Validate trims the reply and requires one of at most maxReply
// characters.
func (in *ReplyInput) Validate() error {
	in.Body = cleanText(in.Body)
	switch n := utf8.RuneCountInString(in.Body); {
	case n == 0:
		return platform.Invalid("body", "field.required")
	case n > maxReply:
		return platform.Invalid("body", "field.too_long", maxReply)
	}
	return nil
}

// RejectInput is why staff hide a review.
type RejectInput struct {
	Reason string `json:"reason"`
}

// cleanText trims text and drops control characters other than line
// breaks and tabs (text is stored as typed and escaped where shown).
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if r == '\r' || unicode.IsControl(r) || bidiControl(r) {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// bidiControl reports the invisible direction overrides that can make
// text read differently from what is stored.
func bidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f
}

// checkReason trims a rejection reason and requires one.
func checkReason(reason string) (string, error) {
	reason = cleanText(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "", platform.Invalid("reason", "field.required")
	case n > maxReason:
		return "", platform.Invalid("reason", "field.too_long", maxReason)
	}
	return reason, nil
}

// maskName shows a shopper's name as its first character and two stars
// (王**), or a default when they gave none.
func maskName(name, email string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		if at := strings.IndexByte(email, '@'); at > 0 {
			name = email[:at]
		}
	}
	r, _ := utf8.DecodeRuneInString(name)
	if name == "" || r == utf8.RuneError {
		return "匿名用户"
	}
	return string(r) + "**"
}

package support

import (
	"strings"
	"unicode/utf8"

	"storeops/internal/customer"
	"storeops/internal/platform"
)

// Field limits.
const (
	maxSubject = 200
	maxBody    = 5000
	maxName    = 50
	maxCause   = 60
)

// NewTicket is a contact to open as a ticket.
type NewTicket struct {
	// CustomerID is the signed-in shopper, 0 for a guest (who must give
	// an email or a phone number).
	CustomerID platform.ID `json:"-"`
	Name       string      `json:"name,omitempty"`
	Email      string      `json:"email,omitempty"`
	Phone      string      `json:"phone,omitempty"`
	Channel    Channel     `json:"-"`
	Type       Type        `json:"type"`
	// Priority defaults to normal (high for a complaint); shoppers cannot
	// set it.
	Priority Priority    `json:"-"`
	Subject  string      `json:"subject"`
	Body     string      `json:"body"`
	OrderID  platform.ID `json:"order_id,omitempty"`
}

// Validate normalises in place and reports every invalid field (422
// CodeInvalid with field errors).
func (in *NewTicket) Validate() error {
	e := platform.E(platform.CodeInvalid)
	in.Name = strings.TrimSpace(in.Name)
	in.Subject = strings.TrimSpace(in.Subject)
	in.Body = strings.TrimSpace(in.Body)
	in.Email = strings.TrimSpace(in.Email)
	in.Phone = strings.TrimSpace(in.Phone)
	if in.Type == "" {
		in.Type = PreSale
	}
	if !in.Type.Valid() {
		e.With("type", "field.invalid")
	}
	if in.Priority == "" {
		in.Priority = Normal
		if in.Type == Complaint {
			in.Priority = High
		}
	}
	if !in.Priority.Valid() {
		e.With("priority", "field.invalid")
	}
	if !in.Channel.Valid() {
		e.With("channel", "field.invalid")
	}
	if utf8.RuneCountInString(in.Name) > maxName {
		e.With("name", "field.too_long", maxName)
	}
	if in.Subject == "" {
		in.Subject = firstLine(in.Body, 40)
	}
	text(e, "subject", in.Subject, maxSubject)
	text(e, "body", in.Body, maxBody)
	if in.Email != "" {
		email, ok := customer.NormalizeEmail(in.Email)
		if !ok {
			e.With("email", "support.field.email_invalid")
		}
		in.Email = email
	}
	if in.Phone != "" {
		phone, ok := customer.NormalizeMobile(in.Phone)
		if !ok {
			e.With("phone", "support.field.phone_invalid")
		}
		in.Phone = phone
	}
	if in.CustomerID == 0 && in.Email == "" && in.Phone == "" && in.Channel != Care {
		e.With("email", "support.field.contact_required")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// text checks a required free-text field's length.
func text(e *platform.Error, field, v string, max int) {
	switch n := utf8.RuneCountInString(v); {
	case n == 0:
		e.With(field, "field.required")
	case n > max:
		e.With(field, "field.too_long", max)
	}
}

// checkBody trims a reply or note and requires one.
func checkBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	e := platform.E(platform.CodeInvalid)
	text(e, "body", body, maxBody)
	if len(e.Fields) > 0 {
		return "", e
	}
	return body, nil
}

// firstLine is the start of s up to the first line break, at most n
// characters: a subject for a message that came without one.
func firstLine(s string, n int) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	r := []rune(strings.TrimSpace(s))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}

// Classify is what an agent records about a ticket: its type, priority
// and cause, and what the cause points at.
type Classify struct {
	Type      Type        `json:"type"`
	Priority  Priority    `json:"priority"`
	Cause     string      `json:"cause"`
	ProductID platform.ID `json:"product_id,omitempty"`
	Carrier   string      `json:"carrier,omitempty"`
	Policy    string      `json:"policy,omitempty"`
}

// Validate checks the classification (422 CodeInvalid).
func (c *Classify) Validate() error {
	e := platform.E(platform.CodeInvalid)
	c.Cause, c.Carrier, c.Policy = strings.TrimSpace(c.Cause), strings.TrimSpace(c.Carrier), strings.TrimSpace(c.Policy)
	if !c.Type.Valid() {
		e.With("type", "field.invalid")
	}
	if !c.Priority.Valid() {
		e.With("priority", "field.invalid")
	}
	if c.Cause != "" && !validCause(c.Cause) {
		e.With("cause", "field.invalid")
	}
	for f, v := range map[string]string{"carrier": c.Carrier, "policy": c.Policy} {
		if utf8.RuneCountInString(v) > maxCause {
			e.With(f, "field.too_long", maxCause)
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// Package sms sends text messages (one-time sign-in codes) through a
// provider behind the Sender interface, and offers a sandbox provider that
// behaves like a real SMS API: signed HTTP requests, per-number rate
// limits, a record of what was sent, and the code written to the log so a
// developer can sign in without a phone.
package sms

import (
	"context"
	"errors"
)

// Message is one text to send: a provider template and its parameters
// (real providers in China only send pre-approved templates).
type Message struct {
	Mobile   string            `json:"mobile"`
	Template string            `json:"template"`
	Params   map[string]string `json:"params"`
}

// Sender sends one message.
//
// Errors: ErrRateLimited when the provider refuses the number for now,
// ErrRejected when it refuses the request for good (bad number or
// signature), anything else is transient.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Provider errors.
var (
	ErrRateLimited = errors.New("sms: provider rate limit for this number")
	ErrRejected    = errors.New("sms: provider rejected the request")
)

// TemplateCode is the sign-in code template; its parameter is "code".
const TemplateCode = "SMS_LOGIN_CODE"

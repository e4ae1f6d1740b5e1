package payment

import (
	"context"
	"net/http"

	"storeops/internal/platform"
)

// Provider is one way of taking money. Online gateways implement every
// method; offline ones (cash on delivery, bank transfer) answer Start with
// instructions and refund by hand.
type Provider interface {
	// Name is the payments.provider value ("sandbox", "cod"…).
	Name() string
	// Method is the payments.method of its payments.
	Method() Method
	// Start opens the payment with the provider. Calling it again for the
	// same payment returns the same result (gateways key trades by the
	// payment id), so a retry never opens a second charge. Errors:
	// CodeProviderUnavailable.
	Start(ctx context.Context, req StartRequest) (StartResult, error)
	// ParseNotification verifies a notification's signature and timestamp
	// and parses it. The caller refuses a Nonce it has seen. Errors:
	// CodeBadSignature, CodeBadRequest, CodeWrongMethod (offline providers).
	ParseNotification(ctx context.Context, h http.Header, body []byte) (Notice, error)
	// Refund asks the provider to return money; the same refund id again
	// is the same refund. Done reports the money is back already
	// (offline), otherwise a notification follows. Errors:
	// CodeProviderUnavailable.
	Refund(ctx context.Context, req RefundRequest) (RefundResult, error)
	// Query asks the provider where a payment stands, for a shopper back
	// from the pay page before the notification, or a sweep of old pending
	// payments. A captured payment comes back as a Notice of kind
	// NoticeCaptured (ID "query:"+ref). Errors: CodeProviderUnavailable.
	Query(ctx context.Context, p Payment) (Notice, error)
}

// StartRequest is what a provider needs to open a payment.
type StartRequest struct {
	Payment   Payment
	OrderNo   string
	Subject   string
	NotifyURL string
	ReturnURL string
}

// StartResult is where the shopper goes next: a pay page, or instructions
// for an offline payment.
type StartResult struct {
	RedirectURL  string `json:"redirect_url,omitempty"`
	Instructions string `json:"instructions,omitempty"`
}

// RefundRequest asks for money back on a captured payment.
type RefundRequest struct {
	RefundID platform.ID
	Payment  Payment
	Amount   platform.Money
}

// RefundResult is the provider's answer.
type RefundResult struct {
	Done        bool
	ExternalRef string
}

// NoticeKind is what a notification says happened.
type NoticeKind string

const (
	NoticeCaptured NoticeKind = "captured"
	NoticeClosed   NoticeKind = "closed"
	NoticeRefunded NoticeKind = "refunded"
	// NoticePending is Query's answer for a payment still open.
	NoticePending NoticeKind = "pending"
)

// Notice is a verified notification (or a query's answer).
type Notice struct {
	// ID is the provider's notification id: the same for every retry and
	// duplicate of one notification.
	ID string
	// Nonce is this delivery's nonce ("" for a query).
	Nonce       string
	Kind        NoticeKind
	PaymentID   platform.ID
	RefundID    platform.ID
	ExternalRef string
	Amount      platform.Money
	Currency    string
	Body        []byte
}

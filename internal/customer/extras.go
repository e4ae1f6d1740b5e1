package customer

import (
	"net/http"
	"time"

	"storeops/internal/customer/sms"
	"storeops/internal/jobs"
	"storeops/internal/platform"
)

// Extras are the services the account features beyond passwords need:
// the job queue (email), an SMS provider (sign-in codes) and the shop's
// public address (links in email).
type Extras struct {
	// Jobs returns the queue once the app has built it.
	Jobs func() *jobs.Queue
	SMS  sms.Sender
	// PublicURL is the shop's address, e.g. https://shop.example.cn; when
	// empty, links use the address the request came to.
	PublicURL string
}

// Use gives the service its extras.
func (s *Service) Use(x Extras) { s.x = x }

func (s *Service) queue() *jobs.Queue {
	if s.x.Jobs == nil {
		return nil
	}
	return s.x.Jobs()
}

// Error codes of the account features.
var (
	// CodeCodeInvalid: a sign-in code that is wrong, expired, used or burnt
	// by too many tries (401).
	CodeCodeInvalid = platform.NewCode("customer_code_invalid", http.StatusUnauthorized,
		platform.Message{ZH: "验证码错误或已失效，请重新获取", EN: "The code is wrong or no longer valid; ask for a new one"})
	// CodeSMSUnavailable: the SMS provider could not send (503).
	CodeSMSUnavailable = platform.NewCode("customer_sms_unavailable", http.StatusServiceUnavailable,
		platform.Message{ZH: "短信暂时无法发送，请稍后再试", EN: "Text messages cannot be sent right now; try again later"})
	// CodeResetInvalid: a password reset link that is unknown, expired or
	// used (400).
	CodeResetInvalid = platform.NewCode("customer_reset_invalid", http.StatusBadRequest,
		platform.Message{ZH: "重置链接无效或已过期，请重新申请", EN: "The reset link is invalid or has expired; ask for a new one"})
	// CodeConfirmRequired: account deletion without the confirmation (422).
	CodeConfirmRequired = platform.NewCode("customer_confirm_required", http.StatusUnprocessableEntity,
		platform.Message{ZH: "请确认注销账号", EN: "Confirm that the account should be deleted"})
)

// Timings and limits of the account features, with their defaults.
type accountLimits struct {
	CodeTTL, CodeResend, ResetTTL time.Duration
	CodeAttempts                  int
	CodeMobile, CodeIP, ResetIP   Limit
	ResetEmail                    Limit
}

var defaultAccountLimits = accountLimits{
	CodeTTL: 5 * time.Minute, CodeResend: time.Minute, ResetTTL: 30 * time.Minute, CodeAttempts: 5,
	CodeMobile: Limit{Failures: 5, Window: time.Hour, Lockout: time.Hour},
	CodeIP:     Limit{Failures: 20, Window: time.Hour, Lockout: time.Hour},
	ResetEmail: Limit{Failures: 3, Window: time.Hour, Lockout: time.Hour},
	ResetIP:    Limit{Failures: 10, Window: time.Hour, Lockout: time.Hour},
}

// Throttle scopes of the account features.
const (
	scopeCodeMobile = "code_mobile"
	scopeCodeIP     = "code_ip"
	scopeResetEmail = "reset_email"
	scopeResetIP    = "reset_ip"
)

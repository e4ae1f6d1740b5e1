package customer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"os"

	"storeops/internal/customer/sms"
	"storeops/internal/jobs"
	"storeops/internal/module"
	"storeops/internal/password"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// CookieName is the storefront session cookie.
const CookieName = "storeops_shop"

// Module is the customer domain's contribution to the app: its tables,
// texts, API routes and the storefront session authenticator.
func Module(d *module.Deps) (*module.Module, error) {
	params := password.Default
	if d.Dev {
		params = password.Cheap
	}
	svc := NewService(d.DB, password.NewHasher(params, 0), Config{})
	h := &handlers{svc: svc, secure: d.Secure}
	x := Extras{Jobs: func() *jobs.Queue { return d.Jobs }, PublicURL: os.Getenv("STOREOPS_PUBLIC_URL")}
	if SMSSandboxEnabled(d) {
		h.sandbox = newSandbox(d)
		x.SMS = &sms.HTTPSender{URL: SMSSandboxPrefix + "/send", Key: h.sandbox.Key, Secret: h.sandbox.Secret,
			Client: &http.Client{Transport: sms.HandlerTransport{Handler: h.sandbox}}, Now: d.DB.Now}
	}
	svc.Use(x)
	return &module.Module{
		Name:        "customer",
		Migrations:  []store.Migrations{Migrations()},
		Messages:    mergeTexts(texts, accountTexts),
		Permissions: Permissions,
		Templates:   pageTemplates(),
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(h.routes()...)
			r.Add(h.accountRoutes()...)
			r.Add(h.pageRoutes()...)
			r.Add(h.accountPageRoutes()...)
			r.Add(h.adminRoutes()...)
			if h.sandbox != nil {
				r.Add(web.Route{Method: http.MethodPost, Path: SMSSandboxPrefix + "/send", Surface: web.Shop,
					Handler: func(w http.ResponseWriter, req *http.Request) error { h.sandbox.ServeHTTP(w, req); return nil }})
			}
		},
		Start: func(context.Context) error {
			if h.sandbox != nil {
				d.Log.Warn("customer: sign-in codes go to the SMS sandbox (development); each code is written to the log")
			}
			return nil
		},
		Auth: web.AuthenticatorFunc(h.authenticate),
	}, nil
}

// handlers serve the customer API on top of the Service.
type handlers struct {
	svc     *Service
	secure  bool
	rd      *web.Renderer
	sandbox *sms.Sandbox
}

// SMSSandboxPrefix is where the SMS sandbox answers.
const SMSSandboxPrefix = "/sandbox/sms"

// SMSSandboxEnabled reports whether codes go to the SMS sandbox: in
// development mode, or when STOREOPS_SMS_SANDBOX=1 asks for it (a demo
// deployment). A real shop plugs its provider's Sender in instead.
func SMSSandboxEnabled(d *module.Deps) bool {
	return d.Dev || os.Getenv("STOREOPS_SMS_SANDBOX") == "1"
}

// newSandbox makes the sandbox with a per-process secret (the app is its
// only client) unless STOREOPS_SMS_SANDBOX_SECRET names one.
func newSandbox(d *module.Deps) *sms.Sandbox {
	secret := os.Getenv("STOREOPS_SMS_SANDBOX_SECRET")
	if secret == "" {
		var b [32]byte
		_, _ = rand.Read(b[:])
		secret = hex.EncodeToString(b[:])
	}
	return &sms.Sandbox{DB: d.DB, Key: "storeops-sandbox", Secret: secret, Log: d.Log}
}

// authenticate recognises the storefront session cookie. A stale or
// unknown cookie makes the request anonymous rather than failing it, so a
// shopper whose session ended still sees the storefront; routes that need
// a customer answer 401 themselves.
func (h *handlers) authenticate(r *http.Request) (*web.Principal, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	sess, err := h.svc.SessionByToken(r.Context(), c.Value)
	if platform.ErrorCode(err) == platform.CodeUnauthenticated {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &web.Principal{CustomerID: sess.CustomerID, SessionID: sess.TokenHash, Via: "session"}, nil
}

// setSession sends the session cookie.
func (h *handlers) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: token, Path: "/", HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(h.svc.cfg.SessionMax.Seconds()),
	})
}

// clearSession removes the session cookie.
func (h *handlers) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true, Secure: h.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// clientIP is the address the per-IP throttle counts against (see
// web.ClientIP for proxies).
func clientIP(r *http.Request) string { return web.ClientIP(r) }

// customerID is the signed-in customer of a Customer route.
func customerID(r *http.Request) platform.ID {
	if p := web.PrincipalFrom(r.Context()); p != nil {
		return p.CustomerID
	}
	return 0
}

// withRetryAfter sets Retry-After for a throttled sign-in or sign-up before the
// error is rendered.
func withRetryAfter(w http.ResponseWriter, err error) error {
	var e *platform.Error
	if errors.As(err, &e) && e.Extra != nil {
		if s, ok := e.Extra["retry_after"].(int); ok {
			w.Header().Set("Retry-After", itoa(s))
		}
	}
	return err
}

var texts = platform.Texts{
	"account.signin":               {"登录", "Sign in"},
	"account.signup":               {"注册", "Create an account"},
	"account.signout":              {"退出登录", "Sign out"},
	"account.login":                {"邮箱或手机号", "Email or mobile"},
	"account.email":                {"邮箱", "Email"},
	"account.mobile":               {"手机号", "Mobile"},
	"account.name":                 {"昵称", "Name"},
	"account.password":             {"密码", "Password"},
	"account.no_account":           {"还没有账号？", "No account yet?"},
	"account.have_account":         {"已有账号？", "Already registered?"},
	"account.email_or_mobile":      {"邮箱和手机号至少填写一项", "Give an email, a mobile number or both"},
	"customer.login_required":      {"请填写邮箱或手机号", "Enter an email or a mobile number"},
	"customer.email_invalid":       {"邮箱格式不正确", "is not a valid email address"},
	"customer.mobile_invalid":      {"请输入 11 位中国大陆手机号", "must be an 11-digit mainland China mobile number"},
	"customer.password_short":      {"密码至少 %d 位", "must be at least %d characters"},
	"customer.email_taken":         {"该邮箱已注册", "is already registered"},
	"customer.mobile_taken":        {"该手机号已注册", "is already registered"},
	"customer.region_invalid":      {"不是有效的行政区划代码", "is not a valid GB/T 2260 region code"},
	"customer.region_mismatch":     {"与上级行政区不匹配", "does not belong to the region above it"},
	"customer.postal_code_invalid": {"邮政编码应为 6 位数字", "must be 6 digits"},
	"kind.customer":                {"用户", "customer"},
	"kind.address":                 {"收货地址", "address"},
}

func init() { platform.RegisterTexts(texts) }

func mergeTexts(sets ...platform.Texts) platform.Texts {
	out := platform.Texts{}
	for _, s := range sets {
		for k, v := range s {
			out[k] = v
		}
	}
	return out
}

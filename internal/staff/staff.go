// Package staff is the identity and security domain for shop staff: users
// in departments with one role each, argon2id passwords, database-backed
// console sessions, sign-in throttling and lockout shared by every node,
// API tokens, and the console pages that manage them. Every write records
// an audit entry in its own transaction.
package staff

import (
	"log/slog"
	"net/http"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/scs/v2"

	"storeops/internal/audit"
	"storeops/internal/password"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// Department is where a staff user works.
type Department string

const (
	DeptManagement Department = "management" // 管理层
	DeptCatalog    Department = "catalog"    // 商品部
	DeptMarketing  Department = "marketing"  // 市场部
	DeptService    Department = "service"    // 客服部
	DeptSupply     Department = "supply"     // 供应链部
)

// Departments lists every department in display order.
var Departments = []Department{DeptManagement, DeptCatalog, DeptMarketing, DeptService, DeptSupply}

// Valid reports whether d is a known department.
func (d Department) Valid() bool {
	for _, x := range Departments {
		if x == d {
			return true
		}
	}
	return false
}

// User is a staff user. The password hash never leaves the package.
type User struct {
	ID         platform.ID   `json:"id"`
	Email      string        `json:"email"`
	Name       string        `json:"name"`
	Mobile     string        `json:"mobile"`
	Department Department    `json:"department"`
	Role       platform.Role `json:"role"`
	Active     bool          `json:"active"`
	CreatedAt  time.Time     `json:"created_at"`
	UpdatedAt  time.Time     `json:"updated_at"`

	passwordHash string
	// authVersion changes whenever the user's console sessions must end
	// (password set or changed, deactivation, reactivation).
	authVersion int64
}

// snapshot is what the audit log keeps of a user: everything but the
// password hash and the update stamp (which would show in every diff).
type snapshot struct {
	Email      string        `json:"email"`
	Name       string        `json:"name"`
	Mobile     string        `json:"mobile"`
	Department Department    `json:"department"`
	Role       platform.Role `json:"role"`
	Active     bool          `json:"active"`
}

func (u User) snapshot() snapshot {
	return snapshot{Email: u.Email, Name: u.Name, Mobile: u.Mobile, Department: u.Department, Role: u.Role, Active: u.Active}
}

// Entity is the audit entity type of staff users.
const Entity = "staff_user"

// Acting is who performs a change and with which role: the console's
// principal, or the command line and first run acting as owner.
type Acting struct {
	Actor audit.Actor
	Role  platform.Role
}

// ActingFrom is the signed-in staff user of a request.
func ActingFrom(r *http.Request) Acting {
	p := web.PrincipalFrom(r.Context())
	a := Acting{Actor: audit.ActorFrom(r)}
	if p != nil {
		a.Role = p.Role
	}
	return a
}

// Operator is the command line acting with the owner's rights.
func Operator(who string) Acting { return Acting{Actor: audit.CLI(who), Role: platform.RoleOwner} }

// Limits bound sign-in attempts.
type Limits struct {
	// AccountFailures wrong passwords within AccountWindow lock the
	// account for AccountLock.
	AccountFailures int
	AccountWindow   time.Duration
	AccountLock     time.Duration
	// IPAttempts sign-in attempts per IPWindow from one address; more are
	// refused with 429.
	IPAttempts int
	IPWindow   time.Duration
}

// DefaultLimits: 5 failures in 15 minutes lock an account for 15 minutes;
// one address may try 20 times a minute.
var DefaultLimits = Limits{AccountFailures: 5, AccountWindow: 15 * time.Minute, AccountLock: 15 * time.Minute,
	IPAttempts: 20, IPWindow: time.Minute}

// Config configures the service.
type Config struct {
	Params password.Params
	// MaxHashes bounds concurrent password hashes (default NumCPU).
	MaxHashes int
	Limits    Limits
	// IdleTimeout ends a session unused this long; Lifetime ends any
	// session this long after sign-in.
	IdleTimeout time.Duration
	Lifetime    time.Duration
	// SecureCookie marks the session cookie Secure (HTTPS).
	SecureCookie bool
	Log          *slog.Logger
}

// DefaultConfig is the production configuration, or cheap hashing when
// dev is set (local runs and tests).
func DefaultConfig(dev, secure bool) Config {
	c := Config{Params: password.Default, Limits: DefaultLimits, IdleTimeout: 12 * time.Hour, Lifetime: 7 * 24 * time.Hour, SecureCookie: secure}
	if dev {
		c.Params = password.Cheap
	}
	return c
}

// CookieName is the console session cookie.
const CookieName = "storeops_staff"

// Service is the staff domain.
type Service struct {
	db       *store.DB
	hasher   *password.Hasher
	limits   Limits
	sessions *scs.SessionManager
	log      *slog.Logger
}

// New makes the service on db.
func New(db *store.DB, cfg Config) *Service {
	if cfg.Params == (password.Params{}) {
		cfg.Params = password.Default
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 12 * time.Hour
	}
	if cfg.Lifetime <= 0 {
		cfg.Lifetime = 7 * 24 * time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	sm := scs.New()
	sm.Store = &SessionStore{db: db}
	sm.IdleTimeout = cfg.IdleTimeout
	sm.Lifetime = cfg.Lifetime
	sm.HashTokenInStore = true
	sm.Cookie.Name = CookieName
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookie
	sm.Cookie.Path = "/"
	// A browser-session cookie: the server enforces idle and absolute
	// expiry, so the cookie need not be rewritten on every request.
	sm.Cookie.Persist = false
	return &Service{db: db, hasher: password.NewHasher(cfg.Params, cfg.MaxHashes), limits: cfg.Limits, sessions: sm, log: cfg.Log}
}

// Hasher is the service's password hasher.
func (s *Service) Hasher() *password.Hasher { return s.hasher }

// NewUser is the input of Create.
type NewUser struct {
	Email      string
	Name       string
	Mobile     string
	Department Department
	Role       platform.Role
	Password   string
}

// Normalize trims the fields and lower-cases the email.
func (n *NewUser) Normalize() {
	n.Email = NormalizeEmail(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	n.Mobile = strings.TrimSpace(n.Mobile)
}

// Validate checks every field (CodeInvalid naming each bad one).
func (n NewUser) Validate() error {
	var e *platform.Error
	add := func(field, key string, args ...any) {
		if e == nil {
			e = platform.E(platform.CodeInvalid)
		}
		e.With(field, key, args...)
	}
	if n.Email == "" {
		add("email", "field.required")
	} else if !validEmail(n.Email) {
		add("email", "field.invalid")
	}
	validateProfile(n.Name, n.Mobile, n.Department, n.Role, add)
	if msg, args := passwordProblem(n.Password); msg != "" {
		add("password", msg, args...)
	}
	if e != nil {
		return e
	}
	return nil
}

func validateProfile(name, mobile string, dept Department, role platform.Role, add func(field, key string, args ...any)) {
	if name == "" {
		add("name", "field.required")
	} else if utf8.RuneCountInString(name) > 64 {
		add("name", "field.too_long", 64)
	}
	if mobile != "" && !validMobile(mobile) {
		add("mobile", "field.invalid")
	}
	if !dept.Valid() {
		add("department", "field.invalid")
	}
	if !role.Valid() {
		add("role", "field.invalid")
	}
}

// MinPassword and MaxPassword bound password length in characters.
const (
	MinPassword = 8
	MaxPassword = 128
)

func passwordProblem(pw string) (string, []any) {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPassword:
		return "staff.password_short", []any{MinPassword}
	case n > MaxPassword:
		return "field.too_long", []any{MaxPassword}
	}
	return "", nil
}

// NormalizeEmail trims and lower-cases an email, so lookups and the unique
// index ignore case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

func validMobile(s string) bool {
	if len(s) < 5 || len(s) > 20 {
		return false
	}
	for i, c := range s {
		if !(c >= '0' && c <= '9' || c == '-' || c == ' ' || (c == '+' && i == 0)) {
			return false
		}
	}
	return true
}

// Error codes of the domain.
var (
	CodeInvalidCredentials = platform.NewCode("invalid_credentials", http.StatusUnauthorized,
		platform.Message{ZH: "邮箱或密码不正确", EN: "Wrong email or password"})
	CodeLastOwner = platform.NewCode("last_owner", http.StatusConflict,
		platform.Message{ZH: "必须至少保留一位启用中的店主", EN: "The shop must keep at least one active owner"})
	CodeOwnerOnly = platform.NewCode("owner_only", http.StatusForbidden,
		platform.Message{ZH: "只有店主可以创建或修改店主和管理员", EN: "Only an owner may create or change owners and administrators"})
	CodeEmailTaken = platform.NewCode("email_taken", http.StatusConflict,
		platform.Message{ZH: "该邮箱已被使用", EN: "This email is already in use"})
)

// Package customer is the shopper's account: sign-up and sign-in by email
// or China mobile number, database-backed sessions, sign-in throttling
// and the address book.
//
// Service holds the rules and the SQL; the HTTP handlers in this package
// (api_*.go) translate requests to Service calls, and Module wires both
// into the app. Later features (one-time codes, tiers, points, personal
// data deletion) extend Customer and Service here.
package customer

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"time"

	"storeops/internal/password"
	"storeops/internal/platform"
	"storeops/internal/store"
)

//go:embed migrations
var migrationsFS embed.FS

// Migrations are the customer tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrationsFS, "migrations")
	return store.Migrations{Name: "customer", FS: sub}
}

// Status is an account's state. Only active accounts may sign in.
type Status string

const (
	StatusActive   Status = "active"
	StatusDisabled Status = "disabled"
	// StatusDeleted: deleted on the customer's request; personal data is
	// anonymised and the row stays for the orders that name it.
	StatusDeleted Status = "deleted"
)

// Customer is a shopper's account as clients see it. The password hash
// never leaves the package.
type Customer struct {
	ID        platform.ID `json:"id"`
	Email     string      `json:"email,omitempty"`
	Mobile    string      `json:"mobile,omitempty"`
	Name      string      `json:"name"`
	Status    Status      `json:"status"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// Error codes of the customer domain.
var (
	// CodeEmailTaken: sign-up with an email another account uses (409).
	CodeEmailTaken = platform.NewCode("customer_email_taken", http.StatusConflict,
		platform.Message{ZH: "该邮箱已注册，请直接登录", EN: "This email is already registered; please sign in"})
	// CodeMobileTaken: sign-up with a mobile number another account uses (409).
	CodeMobileTaken = platform.NewCode("customer_mobile_taken", http.StatusConflict,
		platform.Message{ZH: "该手机号已注册，请直接登录", EN: "This mobile number is already registered; please sign in"})
	// CodeInvalidCredentials: unknown login, wrong password or a disabled
	// account, deliberately indistinguishable (401).
	CodeInvalidCredentials = platform.NewCode("customer_invalid_credentials", http.StatusUnauthorized,
		platform.Message{ZH: "账号或密码错误", EN: "Wrong login or password"})
	// CodeAddressLimit: the address book is full (422).
	CodeAddressLimit = platform.NewCode("customer_address_limit", http.StatusUnprocessableEntity,
		platform.Message{ZH: "收货地址最多保存 %d 个，请先删除不用的地址", EN: "You can keep at most %d addresses; delete one first"})
)

// Config tunes the service. The zero value takes the defaults.
type Config struct {
	// SessionIdle ends a session not used for this long (default 30 days);
	// SessionMax ends any session this long after sign-in (default 90 days).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// LoginLimit throttles failed sign-ins per login, IPLimit per client
	// address.
	LoginLimit Limit
	IPLimit    Limit
	// SignUpLimit throttles sign-up attempts per client address (default
	// 10 an hour).
	SignUpLimit Limit
	// MaxAddresses bounds one customer's address book (default 50).
	MaxAddresses int
}

// Limit allows Failures failed attempts within Window, then locks for
// Lockout.
type Limit struct {
	Failures int
	Window   time.Duration
	Lockout  time.Duration
}

func (c Config) withDefaults() Config {
	if c.SessionIdle <= 0 {
		c.SessionIdle = 30 * 24 * time.Hour
	}
	if c.SessionMax <= 0 {
		c.SessionMax = 90 * 24 * time.Hour
	}
	if c.LoginLimit.Failures <= 0 {
		c.LoginLimit = Limit{Failures: 5, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
	}
	if c.IPLimit.Failures <= 0 {
		c.IPLimit = Limit{Failures: 30, Window: 15 * time.Minute, Lockout: 15 * time.Minute}
	}
	if c.SignUpLimit.Failures <= 0 {
		c.SignUpLimit = Limit{Failures: 10, Window: time.Hour, Lockout: time.Hour}
	}
	if c.MaxAddresses <= 0 {
		c.MaxAddresses = 50
	}
	return c
}

// Service is the customer domain's API.
type Service struct {
	db     *store.DB
	hasher *password.Hasher
	cfg    Config
	x      Extras
}

// NewService makes the service. The hasher's parameters decide how new
// passwords are stored; older hashes are upgraded at the next sign-in.
func NewService(db *store.DB, hasher *password.Hasher, cfg Config) *Service {
	return &Service{db: db, hasher: hasher, cfg: cfg.withDefaults()}
}

const customerColumns = `id, COALESCE(email, ''), COALESCE(mobile, ''), name, status, created_at, updated_at`

func scanCustomer(row interface{ Scan(...any) error }) (*Customer, error) {
	var c Customer
	if err := row.Scan(&c.ID, &c.Email, &c.Mobile, &c.Name, &c.Status, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

// Find returns the customer with id, or a not-found error.
func (s *Service) Find(ctx context.Context, id platform.ID) (*Customer, error) {
	var c *Customer
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		c, err = scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = $1`, id))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("customer: find: %w", store.NotFound(err, "customer"))
	}
	return c, nil
}

// nullable stores "" as NULL, so the unique indexes ignore absent values.
func nullable(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

var errNoRows = sql.ErrNoRows

// isNoRows reports sql.ErrNoRows.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

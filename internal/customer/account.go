package customer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// SignUp creates an active account for a client at ip.
//
// Every valid attempt counts against the address first (SignUpLimit), a
// taken email or mobile included, so the form can neither mass-create
// accounts nor probe for registered logins quickly. Whether the login is
// taken is checked before the password is hashed, so a refused sign-up
// costs no argon2 work; the password is hashed outside any transaction,
// so the writer is never held during argon2. The unique indexes still
// decide a race between two sign-ups for the same login.
//
// Errors: CodeInvalid (fields), CodeEmailTaken, CodeMobileTaken,
// CodeRateLimited with Extra["retry_after"] in seconds.
func (s *Service) SignUp(ctx context.Context, in SignUpInput, ip string) (*Customer, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var takenErr error
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := s.throttleHit(ctx, tx, []throttleKey{{scopeSignUp, ip, s.cfg.SignUpLimit}}); err != nil {
			return err
		}
		// Reported after the commit, so the attempt stays counted.
		takenErr = taken(ctx, tx, in.Email, in.Mobile)
		var pe *platform.Error
		if takenErr != nil && !errors.As(takenErr, &pe) {
			return takenErr // a database error: roll back
		}
		return nil
	})
	if err == nil {
		err = takenErr
	}
	if err != nil {
		return nil, fmt.Errorf("customer: sign up: %w", err)
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return nil, fmt.Errorf("customer: sign up: %w", err)
	}
	var c *Customer
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		id := tx.NewID()
		_, err := tx.ExecContext(ctx, `INSERT INTO customers (id, email, mobile, name, password_hash, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
			id, nullable(in.Email), nullable(in.Mobile), in.Name, hash, StatusActive, tx.Now)
		if store.IsUniqueViolation(err) {
			return takenCode(err)
		}
		if err != nil {
			return err
		}
		c = &Customer{ID: id, Email: in.Email, Mobile: in.Mobile, Name: in.Name, Status: StatusActive, CreatedAt: tx.Now, UpdatedAt: tx.Now}
		for _, ch := range in.Marketing {
			if _, err := tx.ExecContext(ctx, `INSERT INTO customer_consents (id, customer_id, channel, granted, source, created_at)
				VALUES ($1, $2, $3, TRUE, 'signup', $4)`, tx.NewID(), id, ch, tx.Now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("customer: sign up: %w", err)
	}
	return c, nil
}

func taken(ctx context.Context, tx *store.Tx, email, mobile string) error {
	var n int
	if email != "" {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers WHERE email = $1`, email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return platform.E(CodeEmailTaken).With("email", "customer.email_taken")
		}
	}
	if mobile != "" {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers WHERE mobile = $1`, mobile).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return platform.E(CodeMobileTaken).With("mobile", "customer.mobile_taken")
		}
	}
	return nil
}

// takenCode maps a unique violation on insert to the column's code.
func takenCode(err error) error {
	if strings.Contains(err.Error(), "mobile") {
		return platform.E(CodeMobileTaken).With("mobile", "customer.mobile_taken").Wrap(err)
	}
	return platform.E(CodeEmailTaken).With("email", "customer.email_taken").Wrap(err)
}

// SignInInput is a sign-in attempt. IP is the client address the per-IP
// throttle counts against.
type SignInInput struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// SignIn checks a login (email or mobile) and password from the client at
// ip and returns the account.
//
// Every attempt counts against the login and the address before the
// password is checked, so parallel guesses cannot slip past the limit; a
// success clears the login's counter and gives the address its attempt
// back. An unknown login costs the same hashing work as a wrong password.
//
// Errors: CodeInvalid (empty fields), CodeInvalidCredentials (unknown
// login, wrong password, disabled account — deliberately one code),
// CodeLocked or CodeRateLimited with Extra["retry_after"] in seconds.
func (s *Service) SignIn(ctx context.Context, in SignInInput, ip string) (*Customer, error) {
	e := platform.E(platform.CodeInvalid)
	checkLen(e, "login", strings.TrimSpace(in.Login), 254, true)
	if in.Password == "" {
		e.With("password", "field.required")
	} else if len(in.Password) > 4*MaxPassword {
		e.With("password", "field.too_long", MaxPassword)
	}
	if err := orNil(e); err != nil {
		return nil, err
	}
	column, login, ok := loginKind(in.Login)
	if !ok {
		// Still counted against the address: a stream of junk logins is
		// an attack too.
		column, login = "invalid", strings.ToLower(strings.TrimSpace(in.Login))
	}
	subjects := []throttleKey{{scopeLogin, column + ":" + login, s.cfg.LoginLimit}, {scopeIP, ip, s.cfg.IPLimit}}

	var (
		c    *Customer
		hash string
	)
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := s.throttleHit(ctx, tx, subjects); err != nil {
			return err
		}
		if !ok {
			return nil
		}
		var err error
		row := tx.QueryRowContext(ctx, `SELECT `+customerColumns+`, password_hash FROM customers WHERE `+column+` = $1`, login)
		c, err = scanCustomerHash(row, &hash)
		if isNoRows(err) {
			c = nil
			return nil
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("customer: sign in: %w", err)
	}
	if c == nil || hash == "" {
		// Unknown, or an account that signs in by code only (or was
		// deleted): the same work and answer as a wrong password.
		s.hasher.VerifyNone(in.Password)
		return nil, platform.E(CodeInvalidCredentials)
	}
	match, rehash, err := s.hasher.Verify(in.Password, hash)
	if err != nil {
		return nil, fmt.Errorf("customer: sign in %s: %w", c.ID, err)
	}
	if !match || c.Status != StatusActive {
		return nil, platform.E(CodeInvalidCredentials)
	}
	var newHash string
	if rehash {
		if newHash, err = s.hasher.Hash(in.Password); err != nil {
			return nil, fmt.Errorf("customer: rehash: %w", err)
		}
	}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := s.throttleSucceeded(ctx, tx, subjects); err != nil {
			return err
		}
		if newHash != "" {
			_, err := tx.ExecContext(ctx, `UPDATE customers SET password_hash = $1 WHERE id = $2`, newHash, c.ID)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("customer: sign in: %w", err)
	}
	return c, nil
}

func scanCustomerHash(row interface{ Scan(...any) error }, hash *string) (*Customer, error) {
	var c Customer
	if err := row.Scan(&c.ID, &c.Email, &c.Mobile, &c.Name, &c.Status, &c.CreatedAt, &c.UpdatedAt, hash); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

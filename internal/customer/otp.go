package customer

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/big"
	"time"

	"storeops/internal/customer/sms"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// CodeSent tells the client how long the code lives and when another may
// be asked for.
type CodeSent struct {
	ExpiresIn   int `json:"expires_in"`   // seconds
	ResendAfter int `json:"resend_after"` // seconds
}

// codeHash is the stored form of a code: bound to the number, so a row
// copied to another number does not verify.
func codeHash(mobile, code string) string {
	sum := sha256.Sum256([]byte("otp\x00" + mobile + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

// SendCode sends a six-digit sign-in code by SMS to mobile, for the client
// at ip. Every request counts against the number and the address; a new
// code within a minute of the last is refused; sending one invalidates
// the codes sent before. The code is hashed before it is stored.
//
// Errors: CodeInvalid (number), CodeRateLimited with
// Extra["retry_after"], CodeSMSUnavailable.
func (s *Service) SendCode(ctx context.Context, mobile, ip string) (*CodeSent, error) {
	m, ok := NormalizeMobile(mobile)
	if !ok {
		return nil, platform.Invalid("mobile", "customer.mobile_invalid")
	}
	if s.x.SMS == nil {
		return nil, platform.E(CodeSMSUnavailable)
	}
	lim := defaultAccountLimits
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return nil, fmt.Errorf("customer: code: %w", err)
	}
	code := fmt.Sprintf("%06d", n.Int64())
	var id platform.ID
	var wait time.Duration
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var last time.Time
		err := tx.QueryRowContext(ctx, `SELECT created_at FROM customer_otp_codes WHERE mobile = $1 ORDER BY id DESC LIMIT 1`, m).Scan(&last)
		if err != nil && !isNoRows(err) {
			return err
		}
		if err == nil && tx.Now.Sub(last) < lim.CodeResend {
			wait = lim.CodeResend - tx.Now.Sub(last)
			return nil
		}
		if err := s.throttleHit(ctx, tx, []throttleKey{{scopeCodeMobile, m, lim.CodeMobile}, {scopeCodeIP, ip, lim.CodeIP}}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE customer_otp_codes SET used_at = $1 WHERE mobile = $2 AND used_at IS NULL`, tx.Now, m); err != nil {
			return err
		}
		id = tx.NewID()
		_, err = tx.ExecContext(ctx, `INSERT INTO customer_otp_codes (id, mobile, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			int64(id), m, codeHash(m, code), tx.Now, tx.Now.Add(lim.CodeTTL))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("customer: send code: %w", err)
	}
	if wait > 0 {
		return nil, retryAfter(wait)
	}
	sendErr := s.x.SMS.Send(ctx, sms.Message{Mobile: m, Template: sms.TemplateCode, Params: map[string]string{"code": code}})
	if sendErr == nil {
		return &CodeSent{ExpiresIn: int(lim.CodeTTL.Seconds()), ResendAfter: int(lim.CodeResend.Seconds())}, nil
	}
	// The code never reached the phone: retire it.
	if err := s.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE customer_otp_codes SET used_at = $1 WHERE id = $2`, tx.Now, int64(id))
		return err
	}); err != nil {
		return nil, fmt.Errorf("customer: send code: %w", err)
	}
	if errors.Is(sendErr, sms.ErrRateLimited) {
		return nil, retryAfter(lim.CodeResend)
	}
	return nil, platform.E(CodeSMSUnavailable).Wrap(sendErr)
}

func retryAfter(d time.Duration) error {
	e := platform.E(platform.CodeRateLimited)
	e.Extra = map[string]any{"retry_after": int(math.Ceil(d.Seconds()))}
	return e
}

// CodeSignInInput is a sign-in with a mobile number and the code sent to it.
type CodeSignInInput struct {
	Mobile string `json:"mobile"`
	Code   string `json:"code"`
}

// SignInWithCode checks the newest code sent to the number and signs the
// customer in; a number with no account gets one (sign-up by code), with
// no password. Each try counts against the number and the address like a
// password sign-in; a wrong code also counts against the code, which is
// burnt after a few tries. A code works once, even for two simultaneous
// requests (the use is a conditional update).
//
// Errors: CodeInvalid, CodeCodeInvalid, CodeInvalidCredentials (a
// disabled or deleted account), CodeLocked or CodeRateLimited.
func (s *Service) SignInWithCode(ctx context.Context, in CodeSignInInput, ip string) (c *Customer, created bool, err error) {
	m, ok := NormalizeMobile(in.Mobile)
	if !ok {
		return nil, false, platform.Invalid("mobile", "customer.mobile_invalid")
	}
	if len(in.Code) != 6 {
		return nil, false, platform.Invalid("code", "customer.code_format")
	}
	lim := defaultAccountLimits
	keys := []throttleKey{{scopeLogin, "mobile:" + m, s.cfg.LoginLimit}, {scopeIP, ip, s.cfg.IPLimit}}
	var result error
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		result = nil
		if err := s.throttleHit(ctx, tx, keys); err != nil {
			return err
		}
		var id platform.ID
		var hash string
		var attempts int
		var expires time.Time
		err := tx.QueryRowContext(ctx, `SELECT id, code_hash, attempts, expires_at FROM customer_otp_codes
			WHERE mobile = $1 AND used_at IS NULL ORDER BY id DESC LIMIT 1`, m).Scan(&id, &hash, &attempts, &expires)
		if isNoRows(err) {
			result = platform.E(CodeCodeInvalid)
			return nil
		}
		if err != nil {
			return err
		}
		if !expires.After(tx.Now) || attempts >= lim.CodeAttempts {
			result = platform.E(CodeCodeInvalid)
			return nil
		}
		if subtle.ConstantTimeCompare([]byte(hash), []byte(codeHash(m, in.Code))) != 1 {
			_, err := tx.ExecContext(ctx, `UPDATE customer_otp_codes SET attempts = attempts + 1 WHERE id = $1`, int64(id))
			result = platform.E(CodeCodeInvalid)
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE customer_otp_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, tx.Now, int64(id))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			result = platform.E(CodeCodeInvalid)
			return err
		}
		if err := s.throttleSucceeded(ctx, tx, keys); err != nil {
			return err
		}
		c, err = scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE mobile = $1`, m))
		if isNoRows(err) {
			cid := tx.NewID()
			if _, err := tx.ExecContext(ctx, `INSERT INTO customers (id, mobile, name, password_hash, status, source, created_at, updated_at)
				VALUES ($1, $2, '', '', $3, 'sms', $4, $4)`, cid, m, StatusActive, tx.Now); err != nil {
				return err
			}
			c, created = &Customer{ID: cid, Mobile: m, Status: StatusActive, CreatedAt: tx.Now, UpdatedAt: tx.Now}, true
			return nil
		}
		if err != nil {
			return err
		}
		if c.Status != StatusActive {
			c, result = nil, platform.E(CodeInvalidCredentials)
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("customer: sign in with code: %w", err)
	}
	if result != nil {
		return nil, false, result
	}
	return c, created, nil
}

package customer

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"

	"storeops/internal/mail"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// The password reset email.
const mailReset = "customer.password_reset"

func init() {
	mail.Register(mailReset, mail.Template{
		Subject: mail.Localized{ZH: "重置您的密码", EN: "Reset your password"},
		Text: mail.Localized{
			ZH: "{{.Name}}，您好：\n\n请在 {{.Minutes}} 分钟内打开下面的链接设置新密码（链接只能使用一次）：\n{{.Link}}\n\n如果不是您本人操作，请忽略这封邮件，您的密码不会改变。\n",
			EN: "Hello {{.Name}},\n\nOpen this link within {{.Minutes}} minutes to choose a new password (it works once):\n{{.Link}}\n\nIf you did not ask for this, ignore this email; your password stays as it is.\n",
		},
		HTML: mail.Localized{
			ZH: `<p>{{.Name}}，您好：</p><p>请在 {{.Minutes}} 分钟内点击下面的链接设置新密码（链接只能使用一次）：</p><p><a href="{{.Link}}">重置密码</a></p><p>如果不是您本人操作，请忽略这封邮件，您的密码不会改变。</p>`,
			EN: `<p>Hello {{.Name}},</p><p>Open this link within {{.Minutes}} minutes to choose a new password (it works once):</p><p><a href="{{.Link}}">Reset password</a></p><p>If you did not ask for this, ignore this email; your password stays as it is.</p>`,
		},
	})
}

type resetMail struct {
	Name    string
	Link    string
	Minutes int
}

// RequestPasswordReset emails a single-use reset link to the account with
// this email, if there is one. The answer is the same either way, so the
// form cannot tell whether an address is registered; every request counts
// against the address and the client. base is the shop's address the
// link points at (Extras.PublicURL wins when set).
//
// Errors: CodeInvalid (email), CodeRateLimited.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip, base string) error {
	e, ok := NormalizeEmail(email)
	if !ok {
		return platform.Invalid("email", "customer.email_invalid")
	}
	if s.x.PublicURL != "" {
		base = s.x.PublicURL
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("customer: reset token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	lim := defaultAccountLimits
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := s.throttleHit(ctx, tx, []throttleKey{{scopeResetEmail, e, lim.ResetEmail}, {scopeResetIP, ip, lim.ResetIP}}); err != nil {
			return err
		}
		var id platform.ID
		var name, lang string
		err := tx.QueryRowContext(ctx, `SELECT id, name, lang FROM customers WHERE email = $1 AND status = $2`, e, StatusActive).Scan(&id, &name, &lang)
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO customer_reset_tokens (token_hash, customer_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			hashToken(token), id, tx.Now, tx.Now.Add(lim.ResetTTL)); err != nil {
			return err
		}
		if name == "" {
			name = platform.T(platform.Lang(lang), "account.customer")
		}
		link := strings.TrimRight(base, "/") + "/password/reset?token=" + url.QueryEscape(token)
		_, err = mail.Enqueue(ctx, tx, s.queue(), mail.Message{To: e, Lang: platform.Lang(lang), Template: mailReset, CustomerID: id,
			Data: resetMail{Name: name, Link: link, Minutes: int(lim.ResetTTL.Minutes())}})
		return err
	})
	if err != nil {
		return fmt.Errorf("customer: request reset: %w", err)
	}
	return nil
}

// ResetInput is a new password for a reset token.
type ResetInput struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

// ResetPassword sets a new password with a reset token. The token works
// once (a conditional update decides between two simultaneous uses),
// every other reset token of the account is retired, and every session
// is signed out, so whoever knew the old password is out.
//
// Errors: CodeInvalid (password), CodeResetInvalid.
func (s *Service) ResetPassword(ctx context.Context, in ResetInput) (platform.ID, error) {
	e := platform.E(platform.CodeInvalid)
	checkPassword(e, "password", in.Password)
	if err := orNil(e); err != nil {
		return 0, err
	}
	if in.Token == "" || len(in.Token) > 100 {
		return 0, platform.E(CodeResetInvalid)
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return 0, fmt.Errorf("customer: reset: %w", err)
	}
	var id platform.ID
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE customer_reset_tokens SET used_at = $1
			WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING customer_id`, tx.Now, hashToken(in.Token)).Scan(&id)
		if isNoRows(err) {
			return platform.E(CodeResetInvalid)
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE customers SET password_hash = $1, updated_at = $2 WHERE id = $3 AND status = $4`,
			hash, tx.Now, id, StatusActive)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return platform.E(CodeResetInvalid)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE customer_reset_tokens SET used_at = $1 WHERE customer_id = $2 AND used_at IS NULL`, tx.Now, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM customer_sessions WHERE customer_id = $1`, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("customer: reset: %w", err)
	}
	return id, nil
}

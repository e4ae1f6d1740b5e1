package customer

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/mail"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// EraseHook anonymises one domain's personal data about a customer, in
// the transaction of the deletion (a ticket's contact details, an
// invoice's email…). Records the shop must keep for accounting stay, with
// their personal fields masked.
type EraseHook func(ctx context.Context, tx *store.Tx, customerID platform.ID) error

var (
	hookMu     sync.Mutex
	eraseHooks = map[string]EraseHook{}
)

// OnErase registers a domain's hook under name (a second registration
// under the same name replaces the first, so rebuilding modules in tests
// is harmless).
func OnErase(name string, fn EraseHook) {
	hookMu.Lock()
	defer hookMu.Unlock()
	eraseHooks[name] = fn
}

func eraseHookList() []EraseHook {
	hookMu.Lock()
	defer hookMu.Unlock()
	names := make([]string, 0, len(eraseHooks))
	for n := range eraseHooks {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]EraseHook, 0, len(names))
	for _, n := range names {
		out = append(out, eraseHooks[n])
	}
	return out
}

// DeleteConfirm is the word a deletion request must carry.
const DeleteConfirm = "DELETE"

// DeleteInput confirms a deletion request.
type DeleteInput struct {
	Confirm string `json:"confirm"`
	// Reason is optional: why the customer leaves, or how staff received
	// the request; it goes to the audit log.
	Reason string `json:"reason,omitempty"`
}

// erased is the audit snapshot of an account before and after deletion:
// masked, so the audit log does not keep what the deletion removed.
type erased struct {
	ID     platform.ID `json:"id"`
	Email  string      `json:"email,omitempty"`
	Mobile string      `json:"mobile,omitempty"`
	Status Status      `json:"status"`
	Reason string      `json:"reason,omitempty"`
}

// Delete deletes the account on its owner's request (PIPL): name, email,
// mobile, profile, addresses, consents, sessions, codes and reset links
// are removed or anonymised, the email outbox's copies are blanked, and
// every domain's EraseHook runs; orders stay for accounting and tax, with
// the city masked. The account can never sign in again, and its email and
// mobile are free for a new account. The change is audited.
//
// Errors: CodeConfirmRequired, CodeNotFound (already deleted).
func (s *Service) Delete(ctx context.Context, actor audit.Actor, id platform.ID, in DeleteInput) error {
	if in.Confirm != DeleteConfirm {
		return platform.E(CodeConfirmRequired)
	}
	if utf8.RuneCountInString(in.Reason) > 200 {
		return platform.Invalid("reason", "field.too_long", 200)
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		c, err := scanCustomer(tx.QueryRowContext(ctx, `SELECT `+customerColumns+` FROM customers WHERE id = $1 AND status <> $2`, id, StatusDeleted))
		if err != nil {
			return store.NotFound(err, "customer")
		}
		res, err := tx.ExecContext(ctx, `UPDATE customers SET email = NULL, mobile = NULL, name = '', password_hash = '', gender = '', birthday = '',
			province_code = '', province = '', city = '', status = $1, deleted_at = $2, updated_at = $2 WHERE id = $3 AND status <> $1`,
			StatusDeleted, tx.Now, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return store.NotFound(noRows(err), "customer")
		}
		for _, q := range []string{
			`DELETE FROM customer_addresses WHERE customer_id = $1`,
			`DELETE FROM customer_sessions WHERE customer_id = $1`,
			`DELETE FROM customer_reset_tokens WHERE customer_id = $1`,
			`DELETE FROM customer_consents WHERE customer_id = $1`,
			`UPDATE orders SET city = '' WHERE customer_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		if c.Mobile != "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM customer_otp_codes WHERE mobile = $1`, c.Mobile); err != nil {
				return err
			}
		}
		if err := mail.Erase(ctx, tx, id, c.Email); err != nil {
			return err
		}
		for _, h := range eraseHookList() {
			if err := h(ctx, tx, id); err != nil {
				return err
			}
		}
		before := erased{ID: id, Email: platform.MaskEmail(c.Email), Mobile: platform.MaskPhone(c.Mobile), Status: c.Status}
		return audit.Change(ctx, tx, actor, "customer.delete", "customer", id, before, erased{ID: id, Status: StatusDeleted, Reason: in.Reason})
	})
	if err != nil {
		return fmt.Errorf("customer: delete: %w", err)
	}
	return nil
}

package staff

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

const userColumns = `id, email, name, mobile, department, role, active, password_hash, created_at, updated_at, auth_version`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Mobile, &u.Department, &u.Role, &u.Active, &u.passwordHash, &u.CreatedAt, &u.UpdatedAt, &u.authVersion)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, err
}

func getUser(ctx context.Context, q store.Querier, id platform.ID) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM staff_users WHERE id = $1`, int64(id)))
	if err != nil {
		return User{}, store.NotFound(err, "staff")
	}
	return u, nil
}

func getUserByEmail(ctx context.Context, q store.Querier, email string) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM staff_users WHERE email = $1`, NormalizeEmail(email)))
	if err != nil {
		return User{}, store.NotFound(err, "staff")
	}
	return u, nil
}

// Get returns a user; platform not-found when there is none.
func (s *Service) Get(ctx context.Context, id platform.ID) (User, error) {
	return getUser(ctx, s.db.R, id)
}

// GetByEmail returns a user by email, case-insensitively.
func (s *Service) GetByEmail(ctx context.Context, email string) (User, error) {
	return getUserByEmail(ctx, s.db.R, email)
}

// Filter narrows List.
type Filter struct {
	Department *Department
	Role       *platform.Role
	Active     *bool
	Page       platform.PageRequest
}

// List returns users in creation order, a page at a time.
func (s *Service) List(ctx context.Context, f Filter) (platform.Page[User], error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Department != nil {
		where = append(where, "department = "+arg(string(*f.Department)))
	}
	if f.Role != nil {
		where = append(where, "role = "+arg(string(*f.Role)))
	}
	if f.Active != nil {
		where = append(where, "active = "+arg(*f.Active))
	}
	if f.Page.After != nil {
		where = append(where, "id > "+arg(int64(f.Page.After.ID)))
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = platform.DefaultPageSize
	}
	q := `SELECT ` + userColumns + ` FROM staff_users`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id LIMIT " + arg(limit+1)
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return platform.Page[User]{}, fmt.Errorf("staff: list: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return platform.Page[User]{}, fmt.Errorf("staff: list: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[User]{}, fmt.Errorf("staff: list: %w", err)
	}
	return platform.NewPage(out, limit, func(u User) platform.Cursor { return platform.Cursor{ID: u.ID} }), nil
}

// privileged roles may only be granted, changed or removed by an owner.
func privileged(r platform.Role) bool { return r == platform.RoleOwner || r == platform.RoleAdmin }

// Create adds a user. Errors: CodeInvalid, CodeOwnerOnly (a non-owner
// creating an owner or admin), CodeEmailTaken.
func (s *Service) Create(ctx context.Context, by Acting, n NewUser) (User, error) {
	n.Normalize()
	if err := n.Validate(); err != nil {
		return User{}, err
	}
	if privileged(n.Role) && by.Role != platform.RoleOwner {
		return User{}, platform.E(CodeOwnerOnly)
	}
	// Hash before the transaction: it is slow, and SQLite has one writer.
	hash, err := s.hasher.Hash(n.Password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		u, err = createUser(ctx, tx, by, n, hash)
		return err
	})
	return u, err
}

func createUser(ctx context.Context, tx *store.Tx, by Acting, n NewUser, hash string) (User, error) {
	u := User{ID: tx.NewID(), Email: n.Email, Name: n.Name, Mobile: n.Mobile, Department: n.Department, Role: n.Role,
		Active: true, CreatedAt: tx.Now, UpdatedAt: tx.Now, passwordHash: hash, authVersion: 1}
	_, err := tx.ExecContext(ctx, `INSERT INTO staff_users (`+userColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		int64(u.ID), u.Email, u.Name, u.Mobile, string(u.Department), string(u.Role), u.Active, hash, u.CreatedAt, u.UpdatedAt, u.authVersion)
	if store.IsUniqueViolation(err) {
		return User{}, platform.E(CodeEmailTaken).With("email", "error.email_taken")
	}
	if err != nil {
		return User{}, fmt.Errorf("staff: create: %w", err)
	}
	if err := audit.Change(ctx, tx, by.Actor, "staff.create", Entity, u.ID, nil, u.snapshot()); err != nil {
		return User{}, err
	}
	return u, nil
}

// Update changes a user's profile, role or active flag. Nil fields stay.
type Update struct {
	Name       *string
	Mobile     *string
	Department *Department
	Role       *platform.Role
	Active     *bool
}

// Update applies u to user id and records the change. Errors: not found,
// CodeInvalid, CodeOwnerOnly (a non-owner touching an owner or admin, or
// granting either role), CodeLastOwner (demoting or deactivating the last
// active owner).
func (s *Service) Update(ctx context.Context, by Acting, id platform.ID, up Update) (User, error) {
	var after User
	// Serializable on PostgreSQL: two owners demoting each other at once
	// must not both succeed.
	err := s.db.WriteSerializable(ctx, func(tx *store.Tx) error {
		before, err := getUser(ctx, tx, id)
		if err != nil {
			return err
		}
		after = before
		if up.Name != nil {
			after.Name = strings.TrimSpace(*up.Name)
		}
		if up.Mobile != nil {
			after.Mobile = strings.TrimSpace(*up.Mobile)
		}
		if up.Department != nil {
			after.Department = *up.Department
		}
		if up.Role != nil {
			after.Role = *up.Role
		}
		if up.Active != nil {
			after.Active = *up.Active
		}
		var e *platform.Error
		validateProfile(after.Name, after.Mobile, after.Department, after.Role, func(field, key string, args ...any) {
			if e == nil {
				e = platform.E(platform.CodeInvalid)
			}
			e.With(field, key, args...)
		})
		if e != nil {
			return e
		}
		if after.snapshot() == before.snapshot() {
			return nil
		}
		if by.Role != platform.RoleOwner && (privileged(before.Role) || privileged(after.Role)) {
			return platform.E(CodeOwnerOnly)
		}
		if before.Role == platform.RoleOwner && before.Active && (after.Role != platform.RoleOwner || !after.Active) {
			if err := ensureAnotherOwner(ctx, tx, id); err != nil {
				return err
			}
		}
		after.UpdatedAt = tx.Now
		bump := 0
		if after.Active != before.Active {
			// Deactivating or reactivating ends the user's console
			// sessions: a reactivated account signs in afresh.
			bump = 1
			after.authVersion++
		}
		_, err = tx.ExecContext(ctx, `UPDATE staff_users SET name = $1, mobile = $2, department = $3, role = $4, active = $5, updated_at = $6, auth_version = auth_version + $7 WHERE id = $8`,
			after.Name, after.Mobile, string(after.Department), string(after.Role), after.Active, after.UpdatedAt, bump, int64(id))
		if err != nil {
			return fmt.Errorf("staff: update: %w", err)
		}
		return audit.Change(ctx, tx, by.Actor, "staff.update", Entity, id, before.snapshot(), after.snapshot())
	})
	if err != nil {
		return User{}, err
	}
	return after, nil
}

// ensureAnotherOwner fails with CodeLastOwner unless an active owner other
// than id exists.
func ensureAnotherOwner(ctx context.Context, tx *store.Tx, id platform.ID) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_users WHERE role = $1 AND active = $2 AND id <> $3`,
		string(platform.RoleOwner), true, int64(id)).Scan(&n)
	if err != nil {
		return fmt.Errorf("staff: count owners: %w", err)
	}
	if n == 0 {
		return platform.E(CodeLastOwner)
	}
	return nil
}

// SetPassword replaces a user's password (an administrator's reset) and
// ends every console session of the user; API tokens stay valid. Errors:
// not found, CodeInvalid, CodeOwnerOnly (a non-owner resetting an owner's
// or admin's password).
func (s *Service) SetPassword(ctx context.Context, by Acting, id platform.ID, password string) error {
	_, err := s.setPassword(ctx, by, id, password)
	return err
}

// setPassword stores a new password and bumps the user's auth version,
// which it returns.
func (s *Service) setPassword(ctx context.Context, by Acting, id platform.ID, password string) (int64, error) {
	if msg, args := passwordProblem(password); msg != "" {
		return 0, platform.Invalid("password", msg, args...)
	}
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return 0, err
	}
	var version int64
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		u, err := getUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if by.Role != platform.RoleOwner && privileged(u.Role) && by.Actor.StaffID != id {
			return platform.E(CodeOwnerOnly)
		}
		err = tx.QueryRowContext(ctx, `UPDATE staff_users SET password_hash = $1, updated_at = $2, auth_version = auth_version + 1 WHERE id = $3 RETURNING auth_version`,
			hash, tx.Now, int64(id)).Scan(&version)
		if err != nil {
			return fmt.Errorf("staff: set password: %w", err)
		}
		return audit.Change(ctx, tx, by.Actor, "staff.password_reset", Entity, id, nil, map[string]bool{"password_changed": true})
	})
	if err != nil {
		return 0, err
	}
	return version, nil
}

// ChangeOwnPassword lets a signed-in user replace their password after
// proving the current one. Wrong current passwords count against the
// account like failed sign-ins, so a stolen session cannot guess it.
// Every console session of the user ends; the handler renews the
// caller's own. Errors: CodeInvalid (a wrong current password is a field
// error), CodeLocked (too many wrong ones).
func (s *Service) ChangeOwnPassword(ctx context.Context, by Acting, current, next string) error {
	_, err := s.changeOwnPassword(ctx, by, current, next)
	return err
}

// changeOwnPassword is ChangeOwnPassword returning the new auth version.
func (s *Service) changeOwnPassword(ctx context.Context, by Acting, current, next string) (int64, error) {
	u, err := s.Get(ctx, by.Actor.StaffID)
	if err != nil {
		return 0, err
	}
	if len(current) > 4*MaxPassword {
		return 0, platform.Invalid("current", "staff.current_password_wrong")
	}
	// A bad new password is refused before it costs an attempt.
	if msg, args := passwordProblem(next); msg != "" {
		return 0, platform.Invalid("password", msg, args...)
	}
	if err := s.countAccountAttempt(ctx, u.Email); err != nil {
		return 0, err
	}
	ok, _, err := s.hasher.Verify(current, u.passwordHash)
	if err != nil {
		return 0, err
	}
	if !ok {
		// The user is signed in: a wrong current password is a field
		// error (422), not a failed authentication (401).
		return 0, platform.Invalid("current", "staff.current_password_wrong")
	}
	if err := s.clearFailures(ctx, u.Email); err != nil {
		return 0, err
	}
	return s.setPassword(ctx, by, u.ID, next)
}

// FirstOwnerEmail is the account the first run creates.
const FirstOwnerEmail = "owner@storeops.local"

// EnsureOwner creates the first owner with a random password when the
// shop has no owner yet, and returns the line to show once; "" otherwise.
// Other staff users do not count: the demo shop brings service agents
// who cannot sign in, and a shop still needs someone who can.
func (s *Service) EnsureOwner(ctx context.Context) (string, error) {
	var n int
	if err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_users WHERE role = $1`, platform.RoleOwner).Scan(&n); err != nil {
		return "", fmt.Errorf("staff: first run: %w", err)
	}
	if n > 0 {
		return "", nil
	}
	password := RandomPassword(16)
	hash, err := s.hasher.Hash(password)
	if err != nil {
		return "", err
	}
	created := false
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		created = false
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_users WHERE role = $1`, platform.RoleOwner).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil // another node was first
		}
		_, err := createUser(ctx, tx, Acting{Actor: audit.System, Role: platform.RoleOwner}, NewUser{
			Email: FirstOwnerEmail, Name: "店主", Department: DeptManagement, Role: platform.RoleOwner}, hash)
		if platform.ErrorCode(err) == CodeEmailTaken {
			return nil
		}
		created = err == nil
		return err
	})
	if err != nil || !created {
		return "", err
	}
	return fmt.Sprintf("owner login: %s / %s (shown once; change it in the console)", FirstOwnerEmail, password), nil
}

// RandomPassword makes a password of n characters from an alphabet
// without look-alikes (no 0/O, 1/l/I).
func RandomPassword(n int) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	out := make([]byte, n)
	buf := make([]byte, 1)
	for i := 0; i < n; {
		if _, err := rand.Read(buf); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		// Reject bytes past the largest multiple of the alphabet size to
		// keep the choice uniform.
		if int(buf[0]) >= 256-256%len(alphabet) {
			continue
		}
		out[i] = alphabet[int(buf[0])%len(alphabet)]
		i++
	}
	return string(out)
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }

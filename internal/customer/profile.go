package customer

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Genders a profile may state ("" is not stated).
const (
	GenderMale   = "male"
	GenderFemale = "female"
)

// Consent channels.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// Channels lists the consent channels.
var Channels = []string{ChannelSMS, ChannelEmail}

// Consent is the customer's current choice on one marketing channel:
// never asked (At nil, not granted), granted or withdrawn, when and where.
type Consent struct {
	Channel string     `json:"channel"`
	Granted bool       `json:"granted"`
	Source  string     `json:"source,omitempty"`
	At      *time.Time `json:"at,omitempty"`
}

// Profile is the customer's own view of their account.
type Profile struct {
	Customer
	Gender string `json:"gender"`
	// Birthday is YYYY-MM-DD or empty; the loyalty programme's birthday
	// reward reads it.
	Birthday    string    `json:"birthday"`
	Lang        string    `json:"lang"`
	HasPassword bool      `json:"has_password"`
	Consents    []Consent `json:"consents"`
}

// ProfileInput replaces the editable profile fields.
type ProfileInput struct {
	Name     string `json:"name"`
	Gender   string `json:"gender"`
	Birthday string `json:"birthday"`
	Lang     string `json:"lang,omitempty"`
}

// Validate normalises in and reports every invalid field; today bounds
// the birthday.
func (in *ProfileInput) Validate(today time.Time) error {
	e := platform.E(platform.CodeInvalid)
	in.Name = strings.TrimSpace(in.Name)
	if utf8.RuneCountInString(in.Name) > 50 {
		e.With("name", "field.too_long", 50)
	}
	if in.Gender != "" && in.Gender != GenderMale && in.Gender != GenderFemale {
		e.With("gender", "field.invalid")
	}
	in.Birthday = strings.TrimSpace(in.Birthday)
	if in.Birthday != "" {
		d, err := time.Parse(time.DateOnly, in.Birthday)
		if err != nil || d.Year() < 1900 || d.After(today) {
			e.With("birthday", "field.invalid")
		}
	}
	switch in.Lang {
	case "":
		in.Lang = string(platform.ZH)
	case string(platform.ZH), string(platform.EN):
	default:
		e.With("lang", "field.invalid")
	}
	return orNil(e)
}

// Profile returns the customer's profile and current consents.
func (s *Service) Profile(ctx context.Context, id platform.ID) (*Profile, error) {
	var p Profile
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var hash string
		c, err := scanCustomerHash(tx.QueryRowContext(ctx, `SELECT `+customerColumns+`, password_hash FROM customers WHERE id = $1 AND status <> $2`,
			id, StatusDeleted), &hash)
		if err != nil {
			return err
		}
		p.Customer, p.HasPassword = *c, hash != ""
		if err := tx.QueryRowContext(ctx, `SELECT gender, birthday, lang FROM customers WHERE id = $1`, id).Scan(&p.Gender, &p.Birthday, &p.Lang); err != nil {
			return err
		}
		p.Consents, err = currentConsents(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("customer: profile: %w", store.NotFound(err, "customer"))
	}
	return &p, nil
}

func currentConsents(ctx context.Context, q store.Querier, id platform.ID) ([]Consent, error) {
	out := make([]Consent, 0, len(Channels))
	for _, ch := range Channels {
		c := Consent{Channel: ch}
		var at time.Time
		err := q.QueryRowContext(ctx, `SELECT granted, source, created_at FROM customer_consents
			WHERE customer_id = $1 AND channel = $2 ORDER BY id DESC LIMIT 1`, id, ch).Scan(&c.Granted, &c.Source, &at)
		if err != nil && !isNoRows(err) {
			return nil, err
		}
		if err == nil {
			at = at.UTC()
			c.At = &at
		}
		out = append(out, c)
	}
	return out, nil
}

// UpdateProfile replaces the name, gender, birthday and language.
//
// Errors: CodeInvalid, CodeNotFound.
func (s *Service) UpdateProfile(ctx context.Context, id platform.ID, in ProfileInput) (*Profile, error) {
	if err := in.Validate(s.db.Now().In(platform.ShopZone)); err != nil {
		return nil, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE customers SET name = $1, gender = $2, birthday = $3, lang = $4, updated_at = $5
			WHERE id = $6 AND status = $7`, in.Name, in.Gender, in.Birthday, in.Lang, tx.Now, id, StatusActive)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return store.NotFound(noRows(err), "customer")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("customer: update profile: %w", err)
	}
	return s.Profile(ctx, id)
}

// ConsentInput changes one channel's consent.
type ConsentInput struct {
	Channel string `json:"channel"`
	Granted bool   `json:"granted"`
}

// SetConsent records the customer's choice on a channel, with where it
// was made (source: "account_page", "api", "signup"…). Every change is a
// new row, so the history proves what was agreed when.
//
// Errors: CodeInvalid (channel), CodeNotFound.
func (s *Service) SetConsent(ctx context.Context, id platform.ID, in ConsentInput, source string) ([]Consent, error) {
	if in.Channel != ChannelSMS && in.Channel != ChannelEmail {
		return nil, platform.Invalid("channel", "field.invalid")
	}
	var out []Consent
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers WHERE id = $1 AND status = $2`, id, StatusActive).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return platform.E(platform.CodeNotFound)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO customer_consents (id, customer_id, channel, granted, source, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, tx.NewID(), id, in.Channel, in.Granted, source, tx.Now); err != nil {
			return err
		}
		var err error
		out, err = currentConsents(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("customer: consent: %w", err)
	}
	return out, nil
}

// noRows turns a nil error (no row affected) into sql.ErrNoRows for
// store.NotFound.
func noRows(err error) error {
	if err != nil {
		return err
	}
	return errNoRows
}

package loyalty

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service holds the loyalty rules; its exported methods own their
// transactions.
type Service struct {
	db    *store.DB
	rules Rules
}

// NewService makes the service over db with the shop's points rules.
func NewService(db *store.DB, rules Rules) *Service {
	return &Service{db: db, rules: rules.withDefaults()}
}

const tierCols = `id, code, name_zh, name_en, min_spend, percent_off, free_shipping_over, points_multiplier, priority, birthday_points, tier_up_points`

func scanTier(row interface{ Scan(...any) error }) (Tier, error) {
	var t Tier
	err := row.Scan(&t.ID, &t.Code, &t.NameZH, &t.NameEN, &t.MinSpend, &t.PercentOff, &t.FreeShippingOver, &t.PointsMultiplier,
		&t.Priority, &t.BirthdayPoints, &t.TierUpPoints)
	return t, err
}

// Tiers are the shop's tiers, lowest first.
func Tiers(ctx context.Context, q store.Querier) ([]Tier, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+tierCols+` FROM loyalty_tiers ORDER BY min_spend, id`)
	if err != nil {
		return nil, fmt.Errorf("loyalty: tiers: %w", err)
	}
	defer rows.Close()
	var out []Tier
	for rows.Next() {
		t, err := scanTier(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// tierFor is the highest tier spend reaches (tiers lowest first).
func tierFor(tiers []Tier, spend platform.Money) Tier {
	var best Tier
	for _, t := range tiers {
		if t.MinSpend <= spend {
			best = t
		}
	}
	if best.Code == "" && len(tiers) > 0 {
		best = tiers[0]
	}
	return best
}

// TierOf is the customer's current tier and its benefits, for the other
// domains that honour them (the service desk's priority queue).
func TierOf(ctx context.Context, q store.Querier, customerID platform.ID) (Tier, error) {
	return accountTier(ctx, q, customerID)
}

// accountTier is the customer's current tier; a customer without an
// account, or whose tier was deleted, holds the lowest.
func accountTier(ctx context.Context, q store.Querier, customerID platform.ID) (Tier, error) {
	t, err := scanTier(q.QueryRowContext(ctx, `SELECT `+tierCols+` FROM loyalty_tiers
		WHERE code = (SELECT tier_code FROM loyalty_accounts WHERE customer_id = $1)`, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		t, err = scanTier(q.QueryRowContext(ctx, `SELECT `+tierCols+` FROM loyalty_tiers ORDER BY min_spend, id LIMIT 1`))
	}
	if err != nil {
		return Tier{}, fmt.Errorf("loyalty: tier of %d: %w", customerID, err)
	}
	return t, nil
}

var tierCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// Validate checks a tier's settings (422 with field errors).
func (t *Tier) Validate() error {
	e := platform.E(platform.CodeInvalid)
	t.Code = strings.TrimSpace(t.Code)
	t.NameZH, t.NameEN = strings.TrimSpace(t.NameZH), strings.TrimSpace(t.NameEN)
	if !tierCode.MatchString(t.Code) {
		e.With("code", "loyalty.field.code")
	}
	for f, v := range map[string]string{"name_zh": t.NameZH, "name_en": t.NameEN} {
		if n := utf8.RuneCountInString(v); n == 0 || !utf8.ValidString(v) {
			e.With(f, "field.required")
		} else if n > 32 {
			e.With(f, "field.too_long", 32)
		}
	}
	if t.MinSpend < 0 || t.MinSpend > 1_000_000_000_00 {
		e.With("min_spend", "field.invalid")
	}
	if t.PercentOff < 0 || t.PercentOff > 50 {
		e.With("percent_off", "loyalty.field.range", 0, 50)
	}
	if t.FreeShippingOver < 0 || t.FreeShippingOver > 1_000_000_00 {
		e.With("free_shipping_over", "field.invalid")
	}
	if t.PointsMultiplier < 100 || t.PointsMultiplier > 1000 {
		e.With("points_multiplier", "loyalty.field.range", 100, 1000)
	}
	if t.BirthdayPoints < 0 || t.BirthdayPoints > MaxAdjust {
		e.With("birthday_points", "loyalty.field.range", 0, MaxAdjust)
	}
	if t.TierUpPoints < 0 || t.TierUpPoints > MaxAdjust {
		e.With("tier_up_points", "loyalty.field.range", 0, MaxAdjust)
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// SaveTier creates a tier (t.ID 0) or changes one, audited as by. The
// lowest tier keeps a minimum spend of 0, so every customer has a tier;
// customers move to the new thresholds at the next daily evaluation.
//
// Errors: CodeInvalid (422), CodeNotFound, CodeConflict (409, the code is
// taken), or a database error.
func (s *Service) SaveTier(ctx context.Context, by audit.Actor, t Tier) (Tier, error) {
	if err := t.Validate(); err != nil {
		return Tier{}, err
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var before *Tier
		if t.ID != 0 {
			b, err := scanTier(tx.QueryRowContext(ctx, `SELECT `+tierCols+` FROM loyalty_tiers WHERE id = $1`, t.ID))
			if errors.Is(err, sql.ErrNoRows) {
				return platform.NotFound("tier")
			}
			if err != nil {
				return err
			}
			before = &b
			_, err = tx.ExecContext(ctx, `UPDATE loyalty_tiers SET code = $1, name_zh = $2, name_en = $3, min_spend = $4, percent_off = $5,
				free_shipping_over = $6, points_multiplier = $7, priority = $8, birthday_points = $9, tier_up_points = $10, updated_at = $11
				WHERE id = $12`, t.Code, t.NameZH, t.NameEN, t.MinSpend, t.PercentOff, t.FreeShippingOver, t.PointsMultiplier, t.Priority,
				t.BirthdayPoints, t.TierUpPoints, tx.Now, t.ID)
			if store.IsUniqueViolation(err) {
				return platform.E(platform.CodeConflict).With("code", "loyalty.field.code_taken")
			}
			if err != nil {
				return fmt.Errorf("loyalty: save tier %d: %w", t.ID, err)
			}
			if b.Code != t.Code {
				if _, err := tx.ExecContext(ctx, `UPDATE loyalty_accounts SET tier_code = $1 WHERE tier_code = $2`, t.Code, b.Code); err != nil {
					return fmt.Errorf("loyalty: rename tier: %w", err)
				}
			}
		} else {
			t.ID = tx.NewID()
			_, err := tx.ExecContext(ctx, `INSERT INTO loyalty_tiers (id, code, name_zh, name_en, min_spend, percent_off, free_shipping_over,
				points_multiplier, priority, birthday_points, tier_up_points, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				t.ID, t.Code, t.NameZH, t.NameEN, t.MinSpend, t.PercentOff, t.FreeShippingOver, t.PointsMultiplier, t.Priority,
				t.BirthdayPoints, t.TierUpPoints, tx.Now)
			if store.IsUniqueViolation(err) {
				return platform.E(platform.CodeConflict).With("code", "loyalty.field.code_taken")
			}
			if err != nil {
				return fmt.Errorf("loyalty: add tier: %w", err)
			}
		}
		tiers, err := Tiers(ctx, tx)
		if err != nil {
			return err
		}
		if len(tiers) > 0 && tiers[0].MinSpend != 0 {
			return platform.Invalid("min_spend", "loyalty.field.lowest_zero")
		}
		if before == nil {
			return audit.Change(ctx, tx, by, "loyalty.tier_add", "loyalty_tier", t.ID, nil, t)
		}
		return audit.Change(ctx, tx, by, "loyalty.tier_save", "loyalty_tier", t.ID, before, t)
	})
	return t, err
}

// DeleteTier removes a tier nobody holds, audited as by.
//
// Errors: CodeNotFound, CodeTierInUse (409), or a database error.
func (s *Service) DeleteTier(ctx context.Context, by audit.Actor, id platform.ID) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		t, err := scanTier(tx.QueryRowContext(ctx, `SELECT `+tierCols+` FROM loyalty_tiers WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return platform.NotFound("tier")
		}
		if err != nil {
			return err
		}
		tiers, err := Tiers(ctx, tx)
		if err != nil {
			return err
		}
		var held bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM loyalty_accounts WHERE tier_code = $1)`, t.Code).Scan(&held); err != nil {
			return err
		}
		if held || tiers[0].ID == id {
			return platform.E(CodeTierInUse)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM loyalty_tiers WHERE id = $1`, id); err != nil {
			return fmt.Errorf("loyalty: delete tier %d: %w", id, err)
		}
		return audit.Change(ctx, tx, by, "loyalty.tier_delete", "loyalty_tier", id, t, nil)
	})
}

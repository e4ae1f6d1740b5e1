package promotion

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// RuleRecord is a stored price rule.
type RuleRecord struct {
	ID        platform.ID  `json:"id"`
	Status    Status       `json:"status"`
	Rule      pricing.Rule `json:"rule"`
	CreatedBy string       `json:"created_by"`
	UpdatedBy string       `json:"updated_by"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// Live reports whether the rule prices orders at t: active and in its
// window (its daily hours are the engine's to check).
func (r *RuleRecord) Live(t time.Time) bool {
	return r.Status == Active && (r.Rule.StartsAt.IsZero() || !t.Before(r.Rule.StartsAt)) &&
		(r.Rule.EndsAt.IsZero() || t.Before(r.Rule.EndsAt))
}

const ruleCols = `id, status, rule_json, created_by, updated_by, created_at, updated_at`

func scanRule(sc interface{ Scan(...any) error }) (RuleRecord, error) {
	var r RuleRecord
	var js string
	if err := sc.Scan(&r.ID, &r.Status, &js, &r.CreatedBy, &r.UpdatedBy, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(js), &r.Rule); err != nil {
		return r, fmt.Errorf("promotion: rule %d: %w", r.ID, err)
	}
	r.Rule.ID = r.ID
	return r, nil
}

// CreateRule validates and saves a new rule as a draft; the rule's ID is
// assigned here.
func (s *Service) CreateRule(ctx context.Context, by audit.Actor, rule pricing.Rule) (RuleRecord, error) {
	var out RuleRecord
	err := s.write(ctx, func(tx *store.Tx) error {
		rule.ID = tx.NewID()
		if err := rule.Validate(); err != nil {
			return err
		}
		js, err := json.Marshal(rule)
		if err != nil {
			return err
		}
		who := actorName(by)
		_, err = tx.ExecContext(ctx, `INSERT INTO promo_rules (id, name, kind, status, starts_at, ends_at, rule_json, created_by, updated_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $9)`,
			rule.ID, rule.Name, string(rule.Kind), string(Draft), nullTime(rule.StartsAt), nullTime(rule.EndsAt), string(js), who, tx.Now)
		if err != nil {
			return fmt.Errorf("promotion: create rule: %w", err)
		}
		out = RuleRecord{ID: rule.ID, Status: Draft, Rule: rule, CreatedBy: who, UpdatedBy: who, CreatedAt: tx.Now, UpdatedAt: tx.Now}
		return audit.Change(ctx, tx, by, "promotion.rule_create", "promo_rule", rule.ID, nil, out)
	})
	return out, err
}

// UpdateRule replaces a rule's definition (its status stays).
func (s *Service) UpdateRule(ctx context.Context, by audit.Actor, id platform.ID, rule pricing.Rule) (RuleRecord, error) {
	var out RuleRecord
	err := s.write(ctx, func(tx *store.Tx) error {
		before, err := getRule(ctx, tx, id)
		if err != nil {
			return err
		}
		rule.ID = id
		if err := rule.Validate(); err != nil {
			return err
		}
		js, err := json.Marshal(rule)
		if err != nil {
			return err
		}
		who := actorName(by)
		if _, err := tx.ExecContext(ctx, `UPDATE promo_rules SET name = $2, kind = $3, starts_at = $4, ends_at = $5, rule_json = $6,
			updated_by = $7, updated_at = $8 WHERE id = $1`,
			id, rule.Name, string(rule.Kind), nullTime(rule.StartsAt), nullTime(rule.EndsAt), string(js), who, tx.Now); err != nil {
			return fmt.Errorf("promotion: update rule: %w", err)
		}
		out = before
		out.Rule, out.UpdatedBy, out.UpdatedAt = rule, who, tx.Now
		return audit.Change(ctx, tx, by, "promotion.rule_update", "promo_rule", id, before, out)
	})
	return out, err
}

// SetRuleStatus activates, pauses or ends a rule (or takes it back to a
// draft).
func (s *Service) SetRuleStatus(ctx context.Context, by audit.Actor, id platform.ID, status Status) (RuleRecord, error) {
	var out RuleRecord
	if err := checkStatus(status); err != nil {
		return out, err
	}
	err := s.write(ctx, func(tx *store.Tx) error {
		before, err := getRule(ctx, tx, id)
		if err != nil {
			return err
		}
		who := actorName(by)
		if _, err := tx.ExecContext(ctx, `UPDATE promo_rules SET status = $2, updated_by = $3, updated_at = $4 WHERE id = $1`,
			id, string(status), who, tx.Now); err != nil {
			return fmt.Errorf("promotion: rule status: %w", err)
		}
		out = before
		out.Status, out.UpdatedBy, out.UpdatedAt = status, who, tx.Now
		return audit.Change(ctx, tx, by, "promotion.rule_status", "promo_rule", id, map[string]Status{"status": before.Status}, map[string]Status{"status": status})
	})
	return out, err
}

// Rule reads one rule.
func (s *Service) Rule(ctx context.Context, id platform.ID) (RuleRecord, error) {
	var out RuleRecord
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = getRule(ctx, tx, id)
		return err
	})
	return out, err
}

func getRule(ctx context.Context, tx *store.Tx, id platform.ID) (RuleRecord, error) {
	r, err := scanRule(tx.QueryRowContext(ctx, `SELECT `+ruleCols+` FROM promo_rules WHERE id = $1`, id))
	if isNoRows(err) {
		return r, platform.NotFound("promo_rule")
	}
	return r, err
}

// RuleFilter narrows the rule listing.
type RuleFilter struct {
	Status *Status
	Page   platform.PageRequest
}

// Rules lists rules, newest first.
func (s *Service) Rules(ctx context.Context, f RuleFilter) (platform.Page[RuleRecord], error) {
	before, limit := pageArgs(f.Page)
	q := `SELECT ` + ruleCols + ` FROM promo_rules WHERE id < $1`
	args := []any{before}
	if f.Status != nil {
		q += ` AND status = $2`
		args = append(args, string(*f.Status))
	}
	q += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit+1)
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return platform.Page[RuleRecord]{}, err
	}
	defer rows.Close()
	var out []RuleRecord
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return platform.Page[RuleRecord]{}, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[RuleRecord]{}, err
	}
	return platform.NewPage(out, limit, func(r RuleRecord) platform.Cursor { return platform.Cursor{ID: r.ID} }), nil
}

// ActiveRules are the rules that may price an order at at: active and
// inside their window, in id order. Checkout calls it in its transaction;
// the pricing engine still checks daily hours, tiers and first orders.
func ActiveRules(ctx context.Context, tx *store.Tx, at time.Time) ([]pricing.Rule, error) {
	at = store.Time(at)
	rows, err := tx.QueryContext(ctx, `SELECT rule_json, id FROM promo_rules
		WHERE status = 'active' AND (starts_at IS NULL OR starts_at <= $1) AND (ends_at IS NULL OR ends_at > $1)
		ORDER BY id`, at)
	if err != nil {
		return nil, fmt.Errorf("promotion: active rules: %w", err)
	}
	defer rows.Close()
	var out []pricing.Rule
	for rows.Next() {
		var js string
		var id platform.ID
		if err := rows.Scan(&js, &id); err != nil {
			return nil, err
		}
		var r pricing.Rule
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			return nil, fmt.Errorf("promotion: rule %d: %w", id, err)
		}
		r.ID = id
		out = append(out, r)
	}
	return out, rows.Err()
}

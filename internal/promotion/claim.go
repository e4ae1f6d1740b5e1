package promotion

import (
	"context"
	"fmt"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// Claim binds a single-use code a shopper typed (from a card, a livestream
// giveaway) to their account, so it shows among their coupons and no one
// else can use it. Only an unclaimed code of an active batch can be
// claimed: anything else is the same 404 as an unknown code, so claiming
// reveals nothing about other people's codes.
func (s *Service) Claim(ctx context.Context, by audit.Actor, code string, customerID platform.ID) (CodeRecord, error) {
	var out CodeRecord
	code = NormalizeCode(code)
	if code == "" || len(code) > 64 || customerID <= 0 {
		return out, platform.NotFound("coupon")
	}
	err := s.write(ctx, func(tx *store.Tx) error {
		row := tx.QueryRowContext(ctx, `UPDATE coupon_codes SET owner_id = $2, status = 'claimed', claimed_at = $3
			WHERE code = $1 AND status = 'issued' AND NOT public AND owner_id IS NULL
			AND batch_id IN (SELECT id FROM coupon_batches WHERE status = 'active')
			RETURNING `+codeCols, code, customerID, tx.Now)
		var err error
		out, err = scanCode(row)
		if isNoRows(err) {
			return platform.NotFound("coupon")
		}
		if err != nil {
			return fmt.Errorf("promotion: claim: %w", err)
		}
		return audit.Change(ctx, tx, by, "promotion.code_claim", "coupon_code", out.ID, nil, out)
	})
	return out, err
}

// MyCoupon is one of a customer's claimed codes with what it gives.
type MyCoupon struct {
	Code   CodeRecord    `json:"code"`
	Batch  pricing.Batch `json:"batch"`
	Active bool          `json:"active"`
}

// maxMyCoupons bounds the list a customer gets back.
const maxMyCoupons = 200

// MyCoupons lists the codes a customer holds and has not used, newest
// first; Active is false when the batch is paused or over.
func (s *Service) MyCoupons(ctx context.Context, customerID platform.ID) ([]MyCoupon, error) {
	rows, err := s.db.R.QueryContext(ctx, fmt.Sprintf(`SELECT c.id, c.code, c.batch_id, c.public, c.owner_id, c.starts_at, c.ends_at, c.status,
		c.claimed_at, c.redeemed_at, c.created_at, b.batch_json, b.status
		FROM coupon_codes c JOIN coupon_batches b ON b.id = c.batch_id
		WHERE c.owner_id = $1 AND c.status = 'claimed' ORDER BY c.id DESC LIMIT %d`, maxMyCoupons), customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []MyCoupon{}
	for rows.Next() {
		var m MyCoupon
		var owner *int64
		var js string
		var status Status
		c := &m.Code
		if err := rows.Scan(&c.ID, &c.Code, &c.BatchID, &c.Public, &owner, &c.StartsAt, &c.EndsAt, &c.Status, &c.ClaimedAt, &c.RedeemedAt, &c.CreatedAt,
			&js, &status); err != nil {
			return nil, err
		}
		if owner != nil {
			c.OwnerID = platform.ID(*owner)
		}
		if err := jsonUnmarshal(js, &m.Batch); err != nil {
			return nil, fmt.Errorf("promotion: batch %d: %w", c.BatchID, err)
		}
		m.Batch.ID = c.BatchID
		m.Active = status == Active
		out = append(out, m)
	}
	return out, rows.Err()
}

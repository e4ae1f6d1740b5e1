package promotion

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// Checkout's side of promotions: the methods below take the checkout's
// transaction, so a coupon is used exactly when its order is created and
// given back exactly when the order is cancelled.

// ActiveRules is ActiveRules as a method, for checkout.Promotions.
func (s *Service) ActiveRules(ctx context.Context, tx *store.Tx, at time.Time) ([]pricing.Rule, error) {
	return ActiveRules(ctx, tx, at)
}

// LoadCoupons is LoadCoupons as a method, for checkout.Promotions.
func (s *Service) LoadCoupons(ctx context.Context, tx *store.Tx, codes []string, customerID platform.ID) ([]pricing.Coupon, error) {
	return LoadCoupons(ctx, tx, codes, customerID)
}

// Redeem is Redeem as a method, for checkout.Promotions.
func (s *Service) Redeem(ctx context.Context, tx *store.Tx, orderID, customerID platform.ID, applied []pricing.CouponResult) error {
	return Redeem(ctx, tx, orderID, customerID, applied)
}

// ReleaseForOrder is ReleaseForOrder as a method, for checkout.Promotions.
func (s *Service) ReleaseForOrder(ctx context.Context, tx *store.Tx, orderID platform.ID) error {
	return ReleaseForOrder(ctx, tx, orderID)
}

// couponRow is a code joined with its batch.
type couponRow struct {
	coupon      pricing.Coupon
	public      bool
	status      CodeStatus
	batchStatus Status
}

func loadCoupon(ctx context.Context, tx *store.Tx, code string) (couponRow, error) {
	var c couponRow
	var owner *int64
	var starts, ends *time.Time
	var js string
	err := tx.QueryRowContext(ctx, `SELECT c.id, c.code, c.public, c.owner_id, c.starts_at, c.ends_at, c.status, b.id, b.status, b.batch_json, b.used
		FROM coupon_codes c JOIN coupon_batches b ON b.id = c.batch_id WHERE c.code = $1`, code).
		Scan(&c.coupon.ID, &c.coupon.Code, &c.public, &owner, &starts, &ends, &c.status, &c.coupon.Batch.ID, &c.batchStatus, &js, &c.coupon.BatchUses)
	if isNoRows(err) {
		return c, platform.Errorf(CodeUnknownCoupon, "promotion.unknown_code", code).With("coupon_codes", "promotion.unknown_code", code)
	}
	if err != nil {
		return c, fmt.Errorf("promotion: load coupon: %w", err)
	}
	id := c.coupon.Batch.ID
	if err := json.Unmarshal([]byte(js), &c.coupon.Batch); err != nil {
		return c, fmt.Errorf("promotion: batch %d: %w", id, err)
	}
	c.coupon.Batch.ID = id
	if owner != nil {
		c.coupon.OwnerID = platform.ID(*owner)
	}
	c.coupon.StartsAt, c.coupon.EndsAt = timeOf(starts), timeOf(ends)
	c.coupon.Spent = !c.public && c.status == CodeRedeemed
	return c, nil
}

// LoadCoupons finds the codes (trimmed, any case) with their batches and
// the counts the limits need: the batch's live uses, this customer's live
// uses of the batch, and whether a single-use code is spent. A code that
// does not exist is a 422 coupon_unknown naming it; a voided code or one
// whose batch is not active is a 422 coupon_unavailable. Limits are not
// judged here: the pricing engine rejects a coupon past them with a
// reason, and Redeem enforces them again under concurrency.
func LoadCoupons(ctx context.Context, tx *store.Tx, codes []string, customerID platform.ID) ([]pricing.Coupon, error) {
	var out []pricing.Coupon
	seen := map[string]bool{}
	for _, raw := range codes {
		code := NormalizeCode(raw)
		if code == "" || seen[code] {
			continue
		}
		seen[code] = true
		c, err := loadCoupon(ctx, tx, code)
		if err != nil {
			return nil, err
		}
		if c.status == CodeVoid || c.batchStatus != Active {
			return nil, platform.Errorf(CodeCouponUnavailable, "promotion.code_unavailable", code).With("coupon_codes", "promotion.code_unavailable", code)
		}
		if customerID != 0 {
			err := tx.QueryRowContext(ctx, `SELECT used FROM coupon_customer_uses WHERE batch_id = $1 AND customer_id = $2`,
				c.coupon.Batch.ID, customerID).Scan(&c.coupon.CustomerUses)
			if err != nil && !isNoRows(err) {
				return nil, fmt.Errorf("promotion: customer uses: %w", err)
			}
		}
		out = append(out, c.coupon)
	}
	return out, nil
}

// Redeem records the applied coupons of a priced order against orderID,
// in the checkout's transaction. Each limit is a conditional update that
// fails instead of going past it: the batch's total (409
// coupon_limit_reached), the customer's uses (409 coupon_customer_limit)
// and a single-use code's one use (409 coupon_spent). On any error the
// caller rolls the whole checkout back. Results not applied are skipped.
func Redeem(ctx context.Context, tx *store.Tx, orderID, customerID platform.ID, applied []pricing.CouponResult) error {
	// Rows are locked in batch then code order, the same in every
	// checkout, so two orders with the same coupons cannot deadlock.
	applied = slices.Clone(applied)
	slices.SortFunc(applied, func(a, b pricing.CouponResult) int {
		return cmp.Or(cmp.Compare(a.BatchID, b.BatchID), cmp.Compare(a.CouponID, b.CouponID))
	})
	for _, a := range applied {
		if !a.Applied {
			continue
		}
		if err := redeemOne(ctx, tx, orderID, customerID, a); err != nil {
			return err
		}
	}
	return nil
}

func redeemOne(ctx context.Context, tx *store.Tx, orderID, customerID platform.ID, a pricing.CouponResult) error {
	var (
		code        string
		batchID     platform.ID
		public      bool
		perCustomer int
		batchStatus Status
		owner       *int64
	)
	err := tx.QueryRowContext(ctx, `SELECT c.code, c.batch_id, c.public, b.per_customer, b.status, c.owner_id
		FROM coupon_codes c JOIN coupon_batches b ON b.id = c.batch_id WHERE c.id = $1`, a.CouponID).
		Scan(&code, &batchID, &public, &perCustomer, &batchStatus, &owner)
	if isNoRows(err) {
		return platform.Errorf(CodeUnknownCoupon, "promotion.unknown_code", a.Code)
	}
	if err != nil {
		return fmt.Errorf("promotion: redeem: %w", err)
	}
	if batchStatus != Active {
		return platform.Errorf(CodeCouponUnavailable, "promotion.code_unavailable", code)
	}
	res, err := tx.ExecContext(ctx, `UPDATE coupon_batches SET used = used + 1 WHERE id = $1 AND (total = 0 OR used < total)`, batchID)
	if err != nil {
		return fmt.Errorf("promotion: redeem: batch: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return platform.Errorf(CodeCouponLimit, "promotion.limit_reached", code)
	}
	if customerID != 0 {
		res, err := tx.ExecContext(ctx, `INSERT INTO coupon_customer_uses (batch_id, customer_id, used) VALUES ($1, $2, 1)
			ON CONFLICT (batch_id, customer_id) DO UPDATE SET used = coupon_customer_uses.used + 1
			WHERE $3 = 0 OR coupon_customer_uses.used < $3`, batchID, customerID, perCustomer)
		if err != nil {
			return fmt.Errorf("promotion: redeem: customer uses: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.Errorf(CodeCouponCustomerLimit, "promotion.customer_limit", code)
		}
	} else if perCustomer > 0 {
		// A per-customer limit cannot be kept for a guest.
		return platform.Errorf(CodeCouponCustomerLimit, "promotion.customer_limit", code)
	}
	if !public {
		if owner != nil && platform.ID(*owner) != customerID {
			return platform.Errorf(CodeCouponSpent, "promotion.code_spent", code)
		}
		// The owner is checked again in the update: a claim committed
		// since the read above must win over this redemption.
		res, err := tx.ExecContext(ctx, `UPDATE coupon_codes SET status = 'redeemed', redeemed_at = $2
			WHERE id = $1 AND status IN ('issued', 'claimed') AND (owner_id IS NULL OR owner_id = $3)`,
			a.CouponID, tx.Now, customerID)
		if err != nil {
			return fmt.Errorf("promotion: redeem: code: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.Errorf(CodeCouponSpent, "promotion.code_spent", code)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO coupon_redemptions (id, code_id, batch_id, customer_id, order_id, single_use, amount, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, tx.NewID(), a.CouponID, batchID, customerID, orderID, !public, a.Amount, tx.Now)
	if store.IsUniqueViolation(err) {
		return platform.Errorf(CodeCouponSpent, "promotion.code_spent", code)
	}
	if err != nil {
		return fmt.Errorf("promotion: redeem: record: %w", err)
	}
	return nil
}

// ReleaseForOrder gives back the coupons of a cancelled order: each live
// redemption is marked released and the batch's, the customer's and the
// code's counts return to what they were. Calling it again, or for an
// order without coupons, changes nothing.
func ReleaseForOrder(ctx context.Context, tx *store.Tx, orderID platform.ID) error {
	type released struct {
		codeID, batchID, customerID platform.ID
		single                      bool
	}
	rows, err := tx.QueryContext(ctx, `UPDATE coupon_redemptions SET released_at = $2 WHERE order_id = $1 AND released_at IS NULL
		RETURNING code_id, batch_id, customer_id, single_use`, orderID, tx.Now)
	if err != nil {
		return fmt.Errorf("promotion: release: %w", err)
	}
	var rs []released
	for rows.Next() {
		var r released
		if err := rows.Scan(&r.codeID, &r.batchID, &r.customerID, &r.single); err != nil {
			rows.Close()
			return err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range rs {
		if _, err := tx.ExecContext(ctx, `UPDATE coupon_batches SET used = used - 1 WHERE id = $1 AND used > 0`, r.batchID); err != nil {
			return fmt.Errorf("promotion: release: batch: %w", err)
		}
		if r.customerID != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE coupon_customer_uses SET used = used - 1 WHERE batch_id = $1 AND customer_id = $2 AND used > 0`,
				r.batchID, r.customerID); err != nil {
				return fmt.Errorf("promotion: release: customer uses: %w", err)
			}
		}
		if r.single {
			if _, err := tx.ExecContext(ctx, `UPDATE coupon_codes SET redeemed_at = NULL,
				status = CASE WHEN owner_id IS NULL THEN 'issued' ELSE 'claimed' END WHERE id = $1 AND status = 'redeemed'`, r.codeID); err != nil {
				return fmt.Errorf("promotion: release: code: %w", err)
			}
		}
	}
	return nil
}

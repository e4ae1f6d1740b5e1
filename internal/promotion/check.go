package promotion

import (
	"context"
	"time"

	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// CouponCheck is what a shopper may learn about one code: whether it can
// be used now and what it gives. It names no other code and no counts
// beyond "run out".
type CouponCheck struct {
	Code  string `json:"code"`
	Valid bool   `json:"valid"`
	// Reason is why it cannot be used (a pricing reason, or
	// "unavailable"), with its text in the request's language.
	Reason     string             `json:"reason,omitempty"`
	ReasonText string             `json:"reason_text,omitempty"`
	Name       string             `json:"name"`
	Kind       pricing.CouponKind `json:"kind"`
	Amount     platform.Money     `json:"amount,omitempty"`
	Percent    int                `json:"percent,omitempty"`
	MaxOff     platform.Money     `json:"max_off,omitempty"`
	MinSpend   platform.Money     `json:"min_spend,omitempty"`
	StartsAt   *time.Time         `json:"starts_at,omitempty"`
	EndsAt     *time.Time         `json:"ends_at,omitempty"`
	// Scoped is true when the coupon covers only some products.
	Scoped         bool `json:"scoped"`
	FirstOrderOnly bool `json:"first_order_only,omitempty"`
	Stackable      bool `json:"stackable,omitempty"`
	Exclusive      bool `json:"exclusive,omitempty"`
}

// Check answers a shopper's "is this code good?" for customerID (0 for a
// guest). An unknown code is a 404, the same whatever the reason, so the
// answer tells nothing about codes nearby.
func (s *Service) Check(ctx context.Context, code string, customerID platform.ID, lang platform.Lang) (CouponCheck, error) {
	var out CouponCheck
	code = NormalizeCode(code)
	if code == "" || len(code) > 64 {
		return out, platform.NotFound("coupon")
	}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		c, err := loadCoupon(ctx, tx, code)
		if platform.ErrorCode(err) == CodeUnknownCoupon {
			return platform.NotFound("coupon")
		}
		if err != nil {
			return err
		}
		if customerID != 0 {
			err := tx.QueryRowContext(ctx, `SELECT used FROM coupon_customer_uses WHERE batch_id = $1 AND customer_id = $2`,
				c.coupon.Batch.ID, customerID).Scan(&c.coupon.CustomerUses)
			if err != nil && !isNoRows(err) {
				return err
			}
		}
		b := c.coupon.Batch
		out = CouponCheck{Code: code, Name: b.Name, Kind: b.Kind, Amount: b.Amount, Percent: b.Percent, MaxOff: b.MaxOff, MinSpend: b.MinSpend,
			Scoped: len(b.Scope.SKUIDs)+len(b.Scope.ProductIDs)+len(b.Scope.CategoryIDs) > 0, FirstOrderOnly: b.FirstOrderOnly,
			Stackable: b.Stackable, Exclusive: b.Exclusive}
		out.StartsAt, out.EndsAt = window(b.StartsAt, c.coupon.StartsAt, true), window(b.EndsAt, c.coupon.EndsAt, false)
		if c.status == CodeVoid || c.batchStatus != Active {
			out.Reason, out.ReasonText = "unavailable", platform.T(lang, "error.coupon_unavailable")
			return nil
		}
		// Price an empty cart: the engine judges the coupon on its own
		// (window, owner, limits) before looking at the cart.
		cust := pricing.Customer{ID: customerID, FirstOrder: true}
		priced, err := pricing.Price(pricing.Input{At: tx.Now, Customer: cust, Coupons: []pricing.Coupon{c.coupon}})
		if err != nil {
			return err
		}
		out.Valid = true
		if len(priced.Coupons) == 1 {
			r := priced.Coupons[0].Reason
			if r != "" && r != pricing.ReasonOutOfScope && r != pricing.ReasonBelowMinimum && r != pricing.ReasonNoShipping {
				out.Valid, out.Reason, out.ReasonText = false, string(r), priced.Coupons[0].Explanation.Text(lang)
			}
		}
		return nil
	})
	return out, err
}

// window is the narrower of a batch's and a code's bound.
func window(batch, code time.Time, start bool) *time.Time {
	t := batch
	if !code.IsZero() && (t.IsZero() || (start && code.After(t)) || (!start && code.Before(t))) {
		t = code
	}
	if t.IsZero() {
		return nil
	}
	return &t
}

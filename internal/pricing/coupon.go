package pricing

import (
	"slices"
	"time"

	"storeops/internal/platform"
)

// CouponKind is what a coupon takes off.
type CouponKind string

// The coupon kinds.
const (
	CouponAmount       CouponKind = "amount"        // Amount off the covered items (满减券, 无门槛券)
	CouponPercent      CouponKind = "percent"       // Percent off the covered items, up to MaxOff (折扣券)
	CouponFreeShipping CouponKind = "free_shipping" // the shipping fee, up to Amount when set (包邮券)
)

// Batch is what a set of coupon codes has in common: what they take off,
// where, when, and how often they may be used.
type Batch struct {
	ID   platform.ID `json:"id"`
	Name string      `json:"name"`
	Kind CouponKind  `json:"kind"`
	// Amount off (CouponAmount) or the cap on the shipping waived
	// (CouponFreeShipping, 0 = all of it).
	Amount platform.Money `json:"amount,omitempty"`
	// Percent off (CouponPercent), 1–99, capped at MaxOff when set.
	Percent int            `json:"percent,omitempty"`
	MaxOff  platform.Money `json:"max_off,omitempty"`
	// MinSpend is the least covered amount, after rules and before
	// coupons, for the coupon to apply (0 = no minimum).
	MinSpend platform.Money `json:"min_spend,omitempty"`
	Scope    Scope          `json:"scope"`
	StartsAt time.Time      `json:"starts_at,omitzero"`
	EndsAt   time.Time      `json:"ends_at,omitzero"`
	// PerCustomer and Total limit the batch's uses (0 = no limit).
	PerCustomer int `json:"per_customer,omitempty"`
	Total       int `json:"total,omitempty"`
	// Tiers and FirstOrderOnly restrict who may use it, as on a Rule.
	Tiers          []string `json:"tiers,omitempty"`
	FirstOrderOnly bool     `json:"first_order_only,omitempty"`
	// Stackable coupons combine with each other and with one
	// non-stackable coupon; an Exclusive coupon applies alone.
	Stackable bool `json:"stackable,omitempty"`
	Exclusive bool `json:"exclusive,omitempty"`
	// NotWith lists batches this one never combines with.
	NotWith []platform.ID `json:"not_with,omitempty"`
}

// Coupon is one code the shopper applied, with its batch and the usage
// counts the limits need, loaded by the caller.
type Coupon struct {
	ID    platform.ID `json:"id"`
	Code  string      `json:"code"`
	Batch Batch       `json:"batch"`
	// OwnerID is the customer the code was issued to; 0 means anyone
	// holding the code may use it.
	OwnerID platform.ID `json:"owner_id,omitempty"`
	// StartsAt and EndsAt narrow the batch's window for this code (e.g.
	// valid for 7 days from claiming); zero means the batch's.
	StartsAt time.Time `json:"starts_at,omitzero"`
	EndsAt   time.Time `json:"ends_at,omitzero"`
	// Spent is true when this single-use code was already redeemed.
	Spent bool `json:"spent,omitempty"`
	// CustomerUses is how many times this customer used the batch;
	// BatchUses is how many times anyone did.
	CustomerUses int `json:"customer_uses,omitempty"`
	BatchUses    int `json:"batch_uses,omitempty"`
}

// Validate reports every field of a batch that makes no sense.
func (b *Batch) Validate() error {
	e := platform.E(platform.CodeInvalid)
	b.validate(e)
	return orNil(e)
}

func (b *Batch) validate(e *platform.Error) {
	if b.ID <= 0 {
		e.With("id", "field.required")
	}
	checkName(e, "name", b.Name, maxNameLen)
	checkWindow(e, b.StartsAt, b.EndsAt)
	b.Scope.validate(e, "scope")
	if b.MinSpend < 0 || b.MinSpend > MaxUnitPrice {
		e.With("min_spend", "pricing.not_negative")
	}
	if b.PerCustomer < 0 {
		e.With("per_customer", "pricing.not_negative")
	}
	if b.Total < 0 {
		e.With("total", "pricing.not_negative")
	}
	if b.Total > 0 && b.PerCustomer > b.Total {
		e.With("per_customer", "pricing.limit_above_total")
	}
	if slices.Contains(b.Tiers, "") {
		e.With("tiers", "field.invalid")
	}
	if b.Stackable && b.Exclusive {
		e.With("exclusive", "pricing.exclusive_stackable")
	}
	if slices.Contains(b.NotWith, b.ID) || slices.ContainsFunc(b.NotWith, func(id platform.ID) bool { return id <= 0 }) {
		e.With("not_with", "field.invalid")
	}
	switch b.Kind {
	case CouponAmount:
		checkPositive(e, "amount", b.Amount)
		if b.MinSpend > 0 && b.Amount > b.MinSpend {
			e.With("amount", "pricing.off_above_threshold")
		}
	case CouponPercent:
		checkPercent(e, "percent", b.Percent, 99)
		if b.MaxOff < 0 {
			e.With("max_off", "pricing.not_negative")
		}
	case CouponFreeShipping:
		if b.Amount < 0 {
			e.With("amount", "pricing.not_negative")
		}
	default:
		e.With("kind", "pricing.unknown_kind")
	}
}

// Validate reports every field of a coupon (and its batch, under
// "batch.") that makes no sense.
func (c *Coupon) Validate() error {
	e := platform.E(platform.CodeInvalid)
	if c.ID <= 0 {
		e.With("id", "field.required")
	}
	checkName(e, "code", c.Code, 64)
	checkWindow(e, c.StartsAt, c.EndsAt)
	if c.CustomerUses < 0 {
		e.With("customer_uses", "pricing.not_negative")
	}
	if c.BatchUses < 0 {
		e.With("batch_uses", "pricing.not_negative")
	}
	be := platform.E(platform.CodeInvalid)
	c.Batch.validate(be)
	for _, f := range be.Fields {
		e.With("batch."+f.Field, f.Key, f.Args...)
	}
	return orNil(e)
}

// eligibility is why the coupon cannot be used by c at t whatever the
// cart holds, or "".
func (cp *Coupon) eligibility(c Customer, t time.Time) Reason {
	b := &cp.Batch
	if cp.Validate() != nil {
		return ReasonInvalid
	}
	if cp.OwnerID != 0 && cp.OwnerID != c.ID {
		return ReasonNotOwner
	}
	if r := inWindow(b.StartsAt, b.EndsAt, t); r != "" {
		return r
	}
	if r := inWindow(cp.StartsAt, cp.EndsAt, t); r != "" {
		return r
	}
	switch {
	case cp.Spent:
		return ReasonSpent
	case b.Total > 0 && cp.BatchUses >= b.Total:
		return ReasonLimitReached
	case b.PerCustomer > 0 && c.ID == 0:
		return ReasonSignInRequired
	case b.PerCustomer > 0 && cp.CustomerUses >= b.PerCustomer:
		return ReasonCustomerLimit
	case len(b.Tiers) > 0 && (c.Tier == "" || !slices.Contains(b.Tiers, c.Tier)):
		return ReasonTier
	case b.FirstOrderOnly && !c.FirstOrder:
		return ReasonFirstOrderOnly
	}
	return ""
}

package pricing

import (
	"slices"
	"time"

	"storeops/internal/platform"
)

// RuleKind is what a rule does.
type RuleKind string

// The rule kinds, grouped by the stage that applies them.
const (
	// Item rules: one per line, the most specific and then the best wins.
	PercentOff RuleKind = "percent_off" // Percent off each covered line (限时折扣)
	AmountOff  RuleKind = "amount_off"  // Amount off each covered unit (单品立减)
	// Quantity rules.
	MultiBuy RuleKind = "multi_buy" // in every EveryN covered units, the cheapest gets Percent off (第二件半价, 买三免一)
	Bundle   RuleKind = "bundle"    // each complete set of Items costs Price (组合价)
	// Order rules.
	Tiered       RuleKind = "tiered"        // 满减 by Tiers on the covered amount
	FreeShipping RuleKind = "free_shipping" // 满额包邮 from Threshold on the covered amount
)

// Step is one tier of a 满减 rule: spend Threshold, save Off.
type Step struct {
	Threshold platform.Money `json:"threshold"`
	Off       platform.Money `json:"off"`
}

// BundleItem is one SKU of a bundle and how many of it a set holds.
type BundleItem struct {
	SKUID    platform.ID `json:"sku_id"`
	Quantity int         `json:"quantity"`
}

// Rule is a shop promotion that applies without a code. Only the fields of
// its Kind are read.
type Rule struct {
	ID   platform.ID `json:"id"`
	Name string      `json:"name"`
	Kind RuleKind    `json:"kind"`
	// Scope is what the rule covers (all kinds but bundle).
	Scope Scope `json:"scope"`
	// StartsAt and EndsAt bound when the rule applies: from StartsAt
	// (inclusive) to EndsAt (exclusive); a zero time is unbounded.
	StartsAt time.Time `json:"starts_at,omitzero"`
	EndsAt   time.Time `json:"ends_at,omitzero"`
	// Hours, when set, narrow the window to times of day and weekdays.
	Hours *Hours `json:"hours,omitempty"`
	// Tiers limits the rule to customers of these tier codes; empty means
	// everyone (member discounts: PercentOff with Tiers).
	Tiers []string `json:"tiers,omitempty"`
	// FirstOrderOnly limits the rule to a customer's first order (新人价).
	FirstOrderOnly bool `json:"first_order_only,omitempty"`

	// Percent off: 1–99 for PercentOff, 1–100 for MultiBuy (100 is free).
	Percent int `json:"percent,omitempty"`
	// Amount off per unit for AmountOff.
	Amount platform.Money `json:"amount,omitempty"`
	// EveryN is the group size for MultiBuy (2 = every second unit).
	EveryN int `json:"every_n,omitempty"`
	// Items and Price define a Bundle.
	Items []BundleItem   `json:"items,omitempty"`
	Price platform.Money `json:"price,omitempty"`
	// Steps are a Tiered rule's tiers, ascending. With Repeat, the single
	// step repeats for every multiple of its threshold (每满), up to MaxOff
	// when that is set.
	Steps  []Step         `json:"steps,omitempty"`
	Repeat bool           `json:"repeat,omitempty"`
	MaxOff platform.Money `json:"max_off,omitempty"`
	// Threshold is the covered amount from which FreeShipping applies.
	Threshold platform.Money `json:"threshold,omitempty"`
}

// Limits on rule definitions.
const (
	MaxSteps       = 10
	MaxBundleItems = 20
	maxNameLen     = 60
)

// Validate reports every field of a rule that makes no sense (a 422 with
// one entry per field).
func (r *Rule) Validate() error {
	e := platform.E(platform.CodeInvalid)
	if r.ID <= 0 {
		e.With("id", "field.required")
	}
	checkName(e, "name", r.Name, maxNameLen)
	checkWindow(e, r.StartsAt, r.EndsAt)
	if r.Hours != nil {
		r.Hours.validate(e, "hours")
	}
	if slices.Contains(r.Tiers, "") {
		e.With("tiers", "field.invalid")
	}
	r.Scope.validate(e, "scope")
	switch r.Kind {
	case PercentOff:
		checkPercent(e, "percent", r.Percent, 99)
	case AmountOff:
		checkPositive(e, "amount", r.Amount)
	case MultiBuy:
		checkPercent(e, "percent", r.Percent, 100)
		if r.EveryN < 2 || r.EveryN > 100 {
			e.With("every_n", "pricing.every_n_range", 2, 100)
		}
	case Bundle:
		r.validateBundle(e)
	case Tiered:
		r.validateSteps(e)
	case FreeShipping:
		if r.Threshold < 0 || r.Threshold > MaxUnitPrice {
			e.With("threshold", "pricing.not_negative")
		}
	default:
		e.With("kind", "pricing.unknown_kind")
	}
	return orNil(e)
}

func (r *Rule) validateBundle(e *platform.Error) {
	units := 0
	seen := map[platform.ID]bool{}
	if len(r.Items) == 0 || len(r.Items) > MaxBundleItems {
		e.With("items", "pricing.bundle_items", MaxBundleItems)
	}
	for i, it := range r.Items {
		if it.SKUID <= 0 || seen[it.SKUID] {
			e.With(fieldf("items[%d].sku_id", i), "pricing.duplicate_sku")
		}
		seen[it.SKUID] = true
		if it.Quantity < 1 || it.Quantity > 100 {
			e.With(fieldf("items[%d].quantity", i), "pricing.quantity_range", 100)
		}
		units += it.Quantity
	}
	if len(r.Items) > 0 && units < 2 {
		e.With("items", "pricing.bundle_items", MaxBundleItems)
	}
	checkPositive(e, "price", r.Price)
}

func (r *Rule) validateSteps(e *platform.Error) {
	if len(r.Steps) == 0 || len(r.Steps) > MaxSteps {
		e.With("steps", "pricing.steps_count", MaxSteps)
		return
	}
	if r.Repeat && len(r.Steps) != 1 {
		e.With("repeat", "pricing.repeat_one_step")
	}
	if r.MaxOff < 0 {
		e.With("max_off", "pricing.not_negative")
	}
	for i, s := range r.Steps {
		if !positive(s.Threshold) {
			e.With(fieldf("steps[%d].threshold", i), "pricing.positive_amount")
		}
		if !positive(s.Off) {
			e.With(fieldf("steps[%d].off", i), "pricing.positive_amount")
		}
		if s.Off > s.Threshold {
			e.With(fieldf("steps[%d].off", i), "pricing.off_above_threshold")
		}
		if i > 0 && (s.Threshold <= r.Steps[i-1].Threshold || s.Off <= r.Steps[i-1].Off) {
			e.With(fieldf("steps[%d]", i), "pricing.steps_ascending")
		}
	}
}

// active reports whether the rule applies to this customer at t.
func (r *Rule) active(c Customer, t time.Time) bool {
	return inWindow(r.StartsAt, r.EndsAt, t) == "" &&
		(r.Hours == nil || r.Hours.contains(t)) &&
		(len(r.Tiers) == 0 || (c.Tier != "" && slices.Contains(r.Tiers, c.Tier))) &&
		(!r.FirstOrderOnly || c.FirstOrder)
}

// inWindow is "" when t is within [start, end), else the reason it is not.
func inWindow(start, end, t time.Time) Reason {
	switch {
	case !start.IsZero() && t.Before(start):
		return ReasonNotStarted
	case !end.IsZero() && !t.Before(end):
		return ReasonExpired
	}
	return ""
}

func checkWindow(e *platform.Error, start, end time.Time) {
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		e.With("ends_at", "pricing.window_order")
	}
}

func checkPercent(e *platform.Error, field string, p, max int) {
	if p < 1 || p > max {
		e.With(field, "pricing.percent_range", 1, max)
	}
}

func checkPositive(e *platform.Error, field string, m platform.Money) {
	if !positive(m) {
		e.With(field, "pricing.positive_amount")
	}
}

// positive reports whether m is an amount a rule may name: above zero and
// within the bounds that keep sums in int64.
func positive(m platform.Money) bool { return m > 0 && m <= MaxUnitPrice }

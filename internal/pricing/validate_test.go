package pricing

import (
	"slices"
	"testing"
	"time"

	"storeops/internal/platform"
)

func TestRuleValidate(t *testing.T) {
	ok := []Rule{
		percentRule(1, 1, Scope{}), percentRule(1, 99, skus(3)), amountRule(1, 1, cats(2)),
		multiBuyRule(1, 2, 50, Scope{}), multiBuyRule(1, 3, 100, Scope{}),
		{ID: 1, Name: "组合", Kind: Bundle, Items: []BundleItem{{1, 1}, {2, 2}}, Price: 100},
		{ID: 1, Name: "组合", Kind: Bundle, Items: []BundleItem{{1, 2}}, Price: 100},
		tieredRule(1, Scope{}, Step{yuan(200), yuan(20)}, Step{yuan(400), yuan(50)}),
		{ID: 1, Name: "每满减", Kind: Tiered, Steps: []Step{{yuan(100), yuan(10)}}, Repeat: true, MaxOff: yuan(50)},
		{ID: 1, Name: "包邮", Kind: FreeShipping},
		{ID: 1, Name: "限时", Kind: PercentOff, Percent: 10, StartsAt: at, EndsAt: at.Add(time.Hour), Tiers: []string{"gold"}},
	}
	for i, r := range ok {
		if err := r.Validate(); err != nil {
			t.Errorf("rule %d (%s): %v", i, r.Kind, err)
		}
	}
	bad := []struct {
		name   string
		rule   Rule
		fields []string
	}{
		{"no id, name or kind", Rule{}, []string{"id", "kind", "name"}},
		{"name too long", Rule{ID: 1, Name: string(make([]rune, 61)), Kind: AmountOff, Amount: 1}, []string{"name"}},
		{"percent zero", percentRule(1, 0, Scope{}), []string{"percent"}},
		{"percent 100", percentRule(1, 100, Scope{}), []string{"percent"}},
		{"negative percent", percentRule(1, -5, Scope{}), []string{"percent"}},
		{"negative amount", amountRule(1, -100, Scope{}), []string{"amount"}},
		{"multi-buy of one", multiBuyRule(1, 1, 50, Scope{}), []string{"every_n"}},
		{"multi-buy over 100%", multiBuyRule(1, 2, 101, Scope{}), []string{"percent"}},
		{"window ends before it starts", Rule{ID: 1, Name: "x", Kind: AmountOff, Amount: 1, StartsAt: at, EndsAt: at.Add(-time.Minute)}, []string{"ends_at"}},
		{"window of no time", Rule{ID: 1, Name: "x", Kind: AmountOff, Amount: 1, StartsAt: at, EndsAt: at}, []string{"ends_at"}},
		{"empty tier code", Rule{ID: 1, Name: "x", Kind: AmountOff, Amount: 1, Tiers: []string{""}}, []string{"tiers"}},
		{"bad scope id", Rule{ID: 1, Name: "x", Kind: AmountOff, Amount: 1, Scope: Scope{CategoryIDs: []platform.ID{0}}}, []string{"scope.category_ids"}},
		{"tiers not ascending", tieredRule(1, Scope{}, Step{yuan(400), yuan(50)}, Step{yuan(200), yuan(20)}), []string{"steps[1]"}},
		{"saving not ascending", tieredRule(1, Scope{}, Step{yuan(200), yuan(50)}, Step{yuan(400), yuan(20)}), []string{"steps[1]"}},
		{"saving above threshold", tieredRule(1, Scope{}, Step{yuan(20), yuan(50)}), []string{"steps[0].off"}},
		{"negative tier", tieredRule(1, Scope{}, Step{-1, -1}), []string{"steps[0].off", "steps[0].threshold"}},
		{"no tiers", tieredRule(1, Scope{}), []string{"steps"}},
		{"repeat with two tiers", Rule{ID: 1, Name: "x", Kind: Tiered, Repeat: true, Steps: []Step{{100, 10}, {200, 30}}}, []string{"repeat"}},
		{"bundle without price", Rule{ID: 1, Name: "x", Kind: Bundle, Items: []BundleItem{{1, 1}, {2, 1}}}, []string{"price"}},
		{"bundle of one unit", Rule{ID: 1, Name: "x", Kind: Bundle, Items: []BundleItem{{1, 1}}, Price: 1}, []string{"items"}},
		{"bundle repeats a sku", Rule{ID: 1, Name: "x", Kind: Bundle, Items: []BundleItem{{1, 1}, {1, 1}}, Price: 1}, []string{"items[1].sku_id"}},
		{"bundle item of zero", Rule{ID: 1, Name: "x", Kind: Bundle, Items: []BundleItem{{1, 0}, {2, 2}}, Price: 1}, []string{"items[0].quantity"}},
		{"negative shipping threshold", Rule{ID: 1, Name: "x", Kind: FreeShipping, Threshold: -1}, []string{"threshold"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if got := fields(t, tc.rule.Validate()); !slices.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}

func TestCouponValidate(t *testing.T) {
	good := amountCoupon(1, yuan(20), yuan(200))
	if err := good.Validate(); err != nil {
		t.Fatalf("good coupon: %v", err)
	}
	for _, b := range []Batch{
		{ID: 1, Name: "折扣券", Kind: CouponPercent, Percent: 12, MaxOff: yuan(30)},
		{ID: 1, Name: "包邮券", Kind: CouponFreeShipping},
		{ID: 1, Name: "包邮券", Kind: CouponFreeShipping, Amount: 1000, MinSpend: yuan(59), Stackable: true},
	} {
		if err := b.Validate(); err != nil {
			t.Errorf("batch %+v: %v", b, err)
		}
	}
	mod := func(f func(c *Coupon)) Coupon { c := good; f(&c); return c }
	bad := []struct {
		name   string
		coupon Coupon
		fields []string
	}{
		{"empty", Coupon{}, []string{"batch.id", "batch.kind", "batch.name", "code", "id"}},
		{"amount above minimum", mod(func(c *Coupon) { c.Batch.Amount = yuan(300) }), []string{"batch.amount"}},
		{"negative amount", mod(func(c *Coupon) { c.Batch.Amount = -1; c.Batch.MinSpend = 0 }), []string{"batch.amount"}},
		{"negative minimum", mod(func(c *Coupon) { c.Batch.MinSpend = -1 }), []string{"batch.min_spend"}},
		{"percent out of range", mod(func(c *Coupon) { c.Batch.Kind = CouponPercent; c.Batch.Percent = 100 }), []string{"batch.percent"}},
		{"negative cap", mod(func(c *Coupon) { c.Batch.Kind = CouponPercent; c.Batch.Percent = 10; c.Batch.MaxOff = -1 }), []string{"batch.max_off"}},
		{"negative limits", mod(func(c *Coupon) { c.Batch.PerCustomer = -1; c.Batch.Total = -1 }), []string{"batch.per_customer", "batch.total"}},
		{"per customer above total", mod(func(c *Coupon) { c.Batch.PerCustomer = 3; c.Batch.Total = 2 }), []string{"batch.per_customer"}},
		{"exclusive and stackable", mod(func(c *Coupon) { c.Batch.Exclusive = true; c.Batch.Stackable = true }), []string{"batch.exclusive"}},
		{"not with itself", mod(func(c *Coupon) { c.Batch.NotWith = []platform.ID{c.Batch.ID} }), []string{"batch.not_with"}},
		{"batch window backwards", mod(func(c *Coupon) { c.Batch.StartsAt = at; c.Batch.EndsAt = at.Add(-time.Hour) }), []string{"batch.ends_at"}},
		{"code window backwards", mod(func(c *Coupon) { c.StartsAt = at; c.EndsAt = at.Add(-time.Hour) }), []string{"ends_at"}},
		{"negative uses", mod(func(c *Coupon) { c.CustomerUses = -1; c.BatchUses = -1 }), []string{"batch_uses", "customer_uses"}},
		{"code too long", mod(func(c *Coupon) { c.Code = string(make([]byte, 65)) }), []string{"code"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if got := fields(t, tc.coupon.Validate()); !slices.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v", got, tc.fields)
			}
		})
	}
}

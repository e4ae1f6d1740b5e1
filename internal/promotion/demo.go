package promotion

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/pricing"
	"storeops/internal/store"
)

// DemoStep adds the demo shop's promotions after its orders: the last
// 双11's 每满300减50, 第二件半价 on apparel, a new-customer price, free
// shipping over ¥199, and coupon batches (a ¥10 new-customer coupon
// given to recent sign-ups, a public 满200减20 code, a 双11 discount
// coupon) with redemptions by recent discounted orders. It is a few
// hundred rows, so it adds nothing noticeable to the demo's time.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "promotions", Order: 45, Run: runDemo}
}

// The demo's ids: a slice of the brand id space (which holds a few dozen
// brands) far above any brand, so the same seed gives the same ids.
const demoIDs = 1 << 33

// demoRedemptions bounds the redemptions the demo records.
const demoRedemptions = 240

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, t := range []string{"coupon_redemptions", "coupon_customer_uses", "coupon_codes", "coupon_batches", "promo_rules"} {
				if err := l.Exec(`DELETE FROM ` + t); err != nil {
					return fmt.Errorf("promotion: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	d, err := newDemo(ctx, env)
	if err != nil {
		return err
	}
	if err := env.DB.Load(ctx, d.load); err != nil {
		return fmt.Errorf("promotion: demo: %w", err)
	}
	return nil
}

// demo builds the rows before the load transaction.
type demo struct {
	shop     *demokit.Shop
	n        int64
	now      time.Time
	apparel  platform.ID
	orders   []demoOrder
	signups  []platform.ID
	rules    []RuleRecord
	batches  []BatchRecord
	codes    []CodeRecord
	spent    map[platform.ID]demoOrder
	uses     map[[2]platform.ID]int
	redeemed []demoRedemption
}

type demoOrder struct {
	id, customer platform.ID
	at           time.Time
	discount     platform.Money
}

type demoRedemption struct {
	code, batch platform.ID
	order       demoOrder
	single      bool
	amount      platform.Money
}

func (d *demo) id() platform.ID {
	d.n++
	return platform.ID(d.shop.ID(demokit.SpaceBrand, demoIDs+d.n))
}

// newDemo reads what the demo needs from earlier steps: the apparel
// category, recent discounted orders and recent sign-ups.
func newDemo(ctx context.Context, env *module.DemoEnv) (*demo, error) {
	d := &demo{shop: env.Shop, now: store.Time(env.Shop.End), spent: map[platform.ID]demoOrder{}, uses: map[[2]platform.ID]int{}}
	db := env.DB.R
	err := db.QueryRowContext(ctx, `SELECT id FROM categories WHERE parent_id IS NULL AND (name LIKE '%服%' OR name LIKE '%装%') ORDER BY position, id LIMIT 1`).Scan(&d.apparel)
	if err != nil && !isNoRows(err) {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT id, customer_id, placed_at, discount_total FROM orders
		WHERE discount_total > 0 AND status <> 'cancelled' AND placed_at >= $1 ORDER BY placed_at DESC, id LIMIT $2`,
		d.now.AddDate(0, 0, -60), demoRedemptions)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var o demoOrder
		var discount int64
		if err := rows.Scan(&o.id, &o.customer, &o.at, &discount); err != nil {
			rows.Close()
			return nil, err
		}
		o.discount = platform.Money(discount)
		d.orders = append(d.orders, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.QueryContext(ctx, `SELECT id FROM customers ORDER BY id DESC LIMIT 60`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id platform.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		d.signups = append(d.signups, id)
	}
	return d, rows.Err()
}

// singlesDay is the last 双11 season (1–12 November, shop zone) that began
// before now.
func (d *demo) singlesDay() (time.Time, time.Time) {
	y := d.now.In(platform.ShopZone).Year()
	start := time.Date(y, 11, 1, 0, 0, 0, 0, platform.ShopZone)
	if start.After(d.now) {
		start = start.AddDate(-1, 0, 0)
	}
	return start.UTC(), start.AddDate(0, 0, 11).UTC()
}

func (d *demo) statusAt(start, end time.Time) Status {
	if !end.IsZero() && !d.now.Before(end) {
		return Ended
	}
	return Active
}

func (d *demo) rule(r pricing.Rule, status Status) {
	r.ID = d.id()
	if status == "" {
		status = d.statusAt(r.StartsAt, r.EndsAt)
	}
	at := d.now.AddDate(0, 0, -45)
	d.rules = append(d.rules, RuleRecord{ID: r.ID, Status: status, Rule: r, CreatedBy: "system:demo", UpdatedBy: "system:demo", CreatedAt: at, UpdatedAt: at})
}

func (d *demo) batch(b pricing.Batch, status Status) *BatchRecord {
	b.ID = d.id()
	if status == "" {
		status = d.statusAt(b.StartsAt, b.EndsAt)
	}
	at := d.now.AddDate(0, 0, -60)
	d.batches = append(d.batches, BatchRecord{ID: b.ID, Status: status, Batch: b, CreatedBy: "system:demo", UpdatedBy: "system:demo", CreatedAt: at, UpdatedAt: at})
	return &d.batches[len(d.batches)-1]
}

func (d *demo) code(b *BatchRecord, code string, public bool, owner platform.ID) CodeRecord {
	c := CodeRecord{ID: d.id(), Code: code, BatchID: b.ID, Public: public, OwnerID: owner, Status: CodeIssued, CreatedAt: b.CreatedAt}
	if code == "" {
		r := d.shop.Rand("coupon-code", int64(c.ID))
		var s [CodeLength]byte
		for i := range s {
			s[i] = codeAlphabet[r.IntN(len(codeAlphabet))]
		}
		c.Code = string(s[:])
	}
	if owner != 0 {
		c.Status, c.ClaimedAt = CodeClaimed, &b.CreatedAt
	}
	b.Issued++
	d.codes = append(d.codes, c)
	return c
}

// redeem records order o's use of code c, as checkout would have.
func (d *demo) redeem(b *BatchRecord, ci int, o demoOrder, amount platform.Money) {
	c := &d.codes[ci]
	if !c.Public {
		c.Status = CodeRedeemed
		at := o.at
		c.RedeemedAt = &at
	}
	b.Used++
	d.uses[[2]platform.ID{b.ID, o.customer}]++
	d.redeemed = append(d.redeemed, demoRedemption{code: c.ID, batch: b.ID, order: o, single: !c.Public, amount: min(amount, o.discount)})
}

func (d *demo) build() {
	// batch hands out pointers into d.batches: room for all of them up
	// front keeps those pointers valid.
	d.batches = make([]BatchRecord, 0, 8)
	s11, e11 := d.singlesDay()
	d.rule(pricing.Rule{Name: "双11 每满300减50", Kind: pricing.Tiered, StartsAt: s11, EndsAt: e11,
		Steps: []pricing.Step{{Threshold: 30000, Off: 5000}}, Repeat: true}, "")
	multi := pricing.Rule{Name: "服饰第二件半价", Kind: pricing.MultiBuy, EveryN: 2, Percent: 50}
	if d.apparel != 0 {
		multi.Scope.CategoryIDs = []platform.ID{d.apparel}
	}
	d.rule(multi, Active)
	d.rule(pricing.Rule{Name: "新人价 首单8折", Kind: pricing.PercentOff, Percent: 20, FirstOrderOnly: true}, Active)
	d.rule(pricing.Rule{Name: "满199包邮", Kind: pricing.FreeShipping, Threshold: 19900}, Active)
	d.rule(pricing.Rule{Name: "会员日 95折", Kind: pricing.PercentOff, Percent: 5, Tiers: []string{"vip"},
		Hours: &pricing.Hours{From: "10:00", To: "22:00", Weekdays: []time.Weekday{time.Wednesday}}}, Draft)

	newcomer := d.batch(pricing.Batch{Name: "新人无门槛券 ¥10", Kind: pricing.CouponAmount, Amount: 1000, PerCustomer: 1, FirstOrderOnly: true}, Active)
	for _, c := range d.signups {
		d.code(newcomer, "", false, c)
	}
	spend := d.batch(pricing.Batch{Name: "满200减20", Kind: pricing.CouponAmount, Amount: 2000, MinSpend: 20000, PerCustomer: 2, Total: 5000, Stackable: true}, Active)
	d.code(spend, "MAN200", true, 0)
	publicIdx := len(d.codes) - 1
	d.batch(pricing.Batch{Name: "双11 9折券", Kind: pricing.CouponPercent, Percent: 10, MaxOff: 5000, StartsAt: s11, EndsAt: e11, Total: 2000}, "")
	ship := d.batch(pricing.Batch{Name: "包邮券", Kind: pricing.CouponFreeShipping, Stackable: true, PerCustomer: 3}, Paused)
	for range 20 {
		d.code(ship, "", false, 0)
	}
	for k, o := range d.orders {
		if k%2 == 0 && d.uses[[2]platform.ID{spend.ID, o.customer}] < spend.Batch.PerCustomer {
			d.redeem(spend, publicIdx, o, 2000)
		}
	}
}

func (d *demo) load(l *store.Loader) error {
	d.build()
	rb := l.Into("promo_rules", "id", "name", "kind", "status", "starts_at", "ends_at", "rule_json", "created_by", "updated_by", "created_at", "updated_at")
	for _, r := range d.rules {
		js, err := json.Marshal(r.Rule)
		if err != nil {
			return err
		}
		if err := rb.Add(r.ID, r.Rule.Name, string(r.Rule.Kind), string(r.Status), nullTime(r.Rule.StartsAt), nullTime(r.Rule.EndsAt), string(js),
			r.CreatedBy, r.UpdatedBy, r.CreatedAt, r.UpdatedAt); err != nil {
			return err
		}
	}
	bb := l.Into("coupon_batches", "id", "name", "kind", "status", "starts_at", "ends_at", "batch_json", "total", "per_customer", "issued", "used",
		"created_by", "updated_by", "created_at", "updated_at")
	for _, b := range d.batches {
		js, err := json.Marshal(b.Batch)
		if err != nil {
			return err
		}
		if err := bb.Add(b.ID, b.Batch.Name, string(b.Batch.Kind), string(b.Status), nullTime(b.Batch.StartsAt), nullTime(b.Batch.EndsAt), string(js),
			b.Batch.Total, b.Batch.PerCustomer, b.Issued, b.Used, b.CreatedBy, b.UpdatedBy, b.CreatedAt, b.UpdatedAt); err != nil {
			return err
		}
	}
	cb := l.Into("coupon_codes", "id", "code", "batch_id", "public", "owner_id", "starts_at", "ends_at", "status", "claimed_at", "redeemed_at", "created_at")
	for _, c := range d.codes {
		var owner any
		if c.OwnerID != 0 {
			owner = int64(c.OwnerID)
		}
		if err := cb.Add(c.ID, c.Code, c.BatchID, c.Public, owner, nil, nil, string(c.Status), timePtr(c.ClaimedAt), timePtr(c.RedeemedAt), c.CreatedAt); err != nil {
			return err
		}
	}
	ub := l.Into("coupon_customer_uses", "batch_id", "customer_id", "used")
	for k, n := range d.uses {
		if err := ub.Add(k[0], k[1], n); err != nil {
			return err
		}
	}
	xb := l.Into("coupon_redemptions", "id", "code_id", "batch_id", "customer_id", "order_id", "single_use", "amount", "at")
	for _, r := range d.redeemed {
		if err := xb.Add(d.id(), r.code, r.batch, r.order.customer, r.order.id, r.single, r.amount, r.order.at); err != nil {
			return err
		}
	}
	for _, b := range []*store.Batch{rb, bb, cb, ub, xb} {
		if err := b.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func timePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return store.Time(*t)
}

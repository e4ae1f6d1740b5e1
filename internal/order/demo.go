package order

import (
	"context"
	"fmt"
	"time"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// DemoStep makes the demo shop's order history from the plan in env.Shop:
// orders with lines (snapshots of the SKUs sold), payments, refunds and
// every status step, consistent with each order's age at the as-of day.
//
// Sums hold exactly: items_total = Σ(line_total + discount) = Σ(unit_price
// × quantity); total = items_total - discount_total + shipping_fee;
// cost_total = Σ(unit_cost × quantity); refunded_total = Σ refunds in
// status refunded ≤ total; Σ order_lines.refunded ≤ refunded_total, the
// difference being shipping refunded with a cancelled order.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "orders", Order: 40, Run: runDemo}
}

// demoChunkOrders bounds the orders generated ahead of the writer (and so
// the memory the step holds); each chunk is one transaction.
const demoChunkOrders = 16_000

var (
	demoOrderCols      = []string{"id", "order_no", "customer_id", "status", "channel", "session_id", "items_total", "discount_total", "shipping_fee", "total", "cost_total", "refunded_total", "item_count", "province_code", "province", "city", "placed_at", "paid_at", "shipped_at", "delivered_at", "completed_at", "cancelled_at", "created_at", "updated_at"}
	demoLineCols       = []string{"id", "order_id", "product_id", "sku_id", "category_id", "title", "spec_text", "quantity", "unit_price", "discount", "line_total", "unit_cost", "refunded"}
	demoPaymentCols    = []string{"id", "order_id", "method", "provider", "amount", "status", "external_ref", "captured_at", "created_at"}
	demoRefundCols     = []string{"id", "order_id", "payment_id", "amount", "reason", "status", "created_at", "refunded_at"}
	demoTransitionCols = []string{"id", "order_id", "from_status", "to_status", "actor", "reason", "at"}
)

// demoChunk is rows of several days, flat: len(cols) values per row.
type demoChunk struct {
	orders, lines, payments, refunds, transitions []any
	n                                             int
}

// reset empties c for reuse, keeping its slices' room.
func (c *demoChunk) reset() {
	for _, v := range []*[]any{&c.orders, &c.lines, &c.payments, &c.refunds, &c.transitions} {
		clear(*v)
		*v = (*v)[:0]
	}
	c.n = 0
}

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, t := range []string{"order_shipment_lines", "order_shipments", "order_notes", "order_no_days",
				"order_transitions", "refunds", "payments", "order_lines", "orders"} {
				if err := l.Exec(`DELETE FROM ` + t); err != nil {
					return fmt.Errorf("order: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	shop := env.Shop
	shop.Progress.Start("orders", int64(shop.Orders))
	g := newDemoGen(shop)
	g.tm = env.DB.BulkTime
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan *demoChunk, 1)
	// Loaded chunks come back for reuse, so their slices stop growing
	// after the first two.
	free := make(chan *demoChunk, 2)
	next := func() *demoChunk {
		select {
		case c := <-free:
			return c
		default:
			return &demoChunk{}
		}
	}
	go func() {
		defer close(chunks)
		plan := shop.NewPlan()
		c := next()
		for {
			day, ok := plan.Next()
			if !ok {
				break
			}
			for _, st := range day.Stubs {
				g.order(c, day, st)
			}
			c.n += len(day.Stubs)
			if c.n >= demoChunkOrders {
				select {
				case chunks <- c:
				case <-ctx.Done():
					return
				}
				c = next()
			}
		}
		if c.n > 0 {
			select {
			case chunks <- c:
			case <-ctx.Done():
			}
		}
	}()
	for c := range chunks {
		err := env.DB.Load(ctx, func(l *store.Loader) error {
			for _, t := range []struct {
				table string
				cols  []string
				vals  []any
			}{
				{"orders", demoOrderCols, c.orders},
				{"order_lines", demoLineCols, c.lines},
				{"payments", demoPaymentCols, c.payments},
				{"refunds", demoRefundCols, c.refunds},
				{"order_transitions", demoTransitionCols, c.transitions},
			} {
				b := l.Into(t.table, t.cols...)
				w := len(t.cols)
				for i := 0; i < len(t.vals); i += w {
					if err := b.Add(t.vals[i : i+w]...); err != nil {
						return err
					}
				}
				// Later tables refer to the orders and payments.
				if err := b.Flush(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			cancel()
			for range chunks {
			}
			return fmt.Errorf("order: demo: %w", err)
		}
		shop.Progress.Add(int64(c.n))
		c.reset()
		select {
		case free <- c:
		default:
		}
	}
	return nil
}

// demoGen turns plan stubs into rows.
type demoGen struct {
	shop     *demokit.Shop
	lineK    int64
	payK     int64
	refundK  int64
	transK   int64
	dayIndex int
	dayOff   int64
	now      time.Time
	traffic  time.Time // orders from here on have a visit session
	// tm is a time as a row value (store.DB.BulkTime): formatted here,
	// off the writer's goroutine.
	tm func(time.Time) any
}

func newDemoGen(shop *demokit.Shop) *demoGen {
	g := &demoGen{shop: shop, dayIndex: -1, now: shop.End.UTC(), tm: func(t time.Time) any { return store.Time(t) }}
	g.traffic = shop.End.AddDate(0, 0, -shop.TrafficDays).UTC()
	return g
}

var demoRefundReasons = []string{"七天无理由退货", "尺码不合适", "商品破损", "质量问题", "发错货", "与描述不符", "不想要了"}

type demoLine struct {
	sku                int
	qty                int64
	unit, cost         int64
	discount, refunded int64
}

// isPromo reports the festival days with shop-wide 满减 offers.
func isPromo(day time.Time) bool {
	m, d := day.Month(), day.Day()
	return (m == time.June && d <= 18) || (m == time.October && d >= 20) || (m == time.November && d <= 11) || (m == time.December && d == 12)
}

func (g *demoGen) order(c *demoChunk, day demokit.Day, st demokit.Stub) {
	s := g.shop
	if day.Index != g.dayIndex {
		g.dayIndex = day.Index
		// Numbers grow through the day from a random start, with random
		// gaps, so they reveal little and the unique index only appends.
		g.dayOff = 10_000_000 + s.Rand("order-no", int64(day.Index)).Int64N(40_000_000)
	}
	r := s.Rand("order", st.K)
	cust := &s.Customers[st.Customer]
	// Lines: mostly one item, sometimes a basket.
	n := 1
	switch x := r.Float64(); {
	case x > 0.96:
		n = 4
	case x > 0.86:
		n = 3
	case x > 0.64:
		n = 2
	}
	lines := make([]demoLine, 0, n)
	var items, costTotal, count int64
	cold := false
	for len(lines) < n {
		k := g.shop.LeadSKU(st.K)
		if len(lines) > 0 {
			k = g.shop.PickSKU(r)
		}
		dup := false
		for _, l := range lines {
			dup = dup || l.sku == k
		}
		if dup {
			n--
			continue
		}
		sku := &s.SKUs[k]
		q := int64(1)
		if x := r.Float64(); x > 0.96 {
			q = 3
		} else if x > 0.85 {
			q = 2
		}
		lines = append(lines, demoLine{sku: k, qty: q, unit: sku.Price, cost: sku.Cost})
		items += sku.Price * q
		costTotal += sku.Cost * q
		count += q
		if s.Categories[s.Products[sku.Product].Category].Storage != "ambient" {
			cold = true
		}
	}
	// Discounts: 每满300减50 in festivals, coupons now and then.
	var discount int64
	if isPromo(day.Date) && r.Float64() < 0.75 {
		discount = items / 30000 * 5000
	}
	if discount == 0 && items >= 9900 && r.Float64() < 0.15 {
		discount = int64(5+r.IntN(16)) * 100
	}
	discount = min(discount, items-100)
	allocate(lines, discount, items)
	var shipping int64
	switch {
	case cold && items < 19900:
		shipping = 1800
	case items < 9900 && cust.Remote:
		shipping = 1500
	case items < 9900:
		shipping = 800
	}
	total := items - discount + shipping

	// The timeline, cut at the as-of instant.
	placed := st.At
	o := demoTimeline{now: g.now}
	method, provider := "online", "alipay"
	switch x := r.Float64(); {
	case x < 0.06:
		method, provider = "cod", "sf_express"
	case x < 0.09:
		method, provider = "bank_transfer", "icbc"
	case x < 0.50:
		provider = "alipay"
	case x < 0.95:
		provider = "wechatpay"
	default:
		provider = "unionpay"
	}
	o.step("", PendingPayment, "customer", "提交订单", placed)
	var paidAt, shippedAt, deliveredAt, completedAt, cancelledAt time.Time
	remote := cust.Remote
	unpaidCancel := method != "cod" && r.Float64() < 0.12
	switch {
	case unpaidCancel:
		// Unpaid orders close after 48 hours.
		cancelledAt = placed.Add(48 * time.Hour)
		o.step(PendingPayment, Cancelled, "system", "超时未支付，自动取消", cancelledAt)
	default:
		var alloc time.Time
		if method == "cod" {
			alloc = placed.Add(time.Duration(1+r.IntN(5)) * time.Hour)
			o.step(PendingPayment, Allocated, "warehouse", "货到付款订单配货", alloc)
		} else {
			wait := time.Duration(10+r.IntN(600)) * time.Second
			if method == "bank_transfer" {
				wait = time.Duration(2+r.IntN(46)) * time.Hour
			}
			paidAt = placed.Add(wait)
			o.step(PendingPayment, Paid, "customer", "支付成功", paidAt)
			if r.Float64() < 0.02 { // changed their mind before shipping
				cancelledAt = paidAt.Add(time.Duration(20+r.IntN(600)) * time.Minute)
				o.step(Paid, Cancelled, "customer", "买家申请取消，全额退款", cancelledAt)
				break
			}
			alloc = paidAt.Add(time.Duration(30+r.IntN(300)) * time.Minute)
			o.step(Paid, Allocated, "warehouse", "仓库配货", alloc)
		}
		shippedAt = alloc.Add(time.Duration(3+r.IntN(28)) * time.Hour)
		o.step(Allocated, Shipped, "carrier", "快递已揽收", shippedAt)
		transit := time.Duration(20+r.IntN(70)) * time.Hour
		if remote {
			transit += time.Duration(48+r.IntN(72)) * time.Hour
		}
		deliveredAt = shippedAt.Add(transit)
		o.step(Shipped, Delivered, "carrier", "买家已签收", deliveredAt)
		if method == "cod" {
			paidAt = deliveredAt
		}
		completedAt = deliveredAt.Add(time.Duration(24+r.IntN(216)) * time.Hour)
	}

	id := st.ID
	// Payment.
	payID := s.ID(demokit.SpacePayment, g.payK)
	g.payK++
	payStatus, capturedAt := "pending", time.Time{}
	switch {
	case !paidAt.IsZero() && !paidAt.After(g.now):
		payStatus, capturedAt = "captured", paidAt
	case unpaidCancel && !cancelledAt.After(g.now):
		payStatus = "cancelled"
	}
	ref := ""
	if payStatus == "captured" {
		ref = fmt.Sprintf("%s%s%010d", paidAt.In(platform.ShopZone).Format("20060102"), provider[:2], uint64(id)%10_000_000_000)
	}
	placedV := g.tm(placed)
	c.payments = append(c.payments, payID, id, method, provider, total, payStatus, ref, g.nullTime(capturedAt), placedV)

	// Refunds: a cancelled paid order is refunded in full; some delivered
	// orders come back, whole or in part.
	var refundedTotal int64
	if !cancelledAt.IsZero() && !paidAt.IsZero() {
		at := cancelledAt.Add(time.Duration(5+r.IntN(120)) * time.Minute)
		refundedTotal += g.refund(c, id, payID, lines, total, "买家申请取消", cancelledAt, at, "refunded")
	} else if req := deliveredAt.Add(time.Duration(6+r.IntN(150)) * time.Hour); !deliveredAt.IsZero() && !req.After(g.now) && r.Float64() < 0.05 {
		o.step(Delivered, AfterSale, "customer", "申请售后", req)
		reason := demoRefundReasons[r.IntN(len(demoRefundReasons))]
		done := req.Add(time.Duration(24+r.IntN(96)) * time.Hour)
		status := "refunded"
		switch {
		case r.Float64() < 0.1:
			status = "rejected"
		case done.After(g.now) && req.Add(20*time.Hour).After(g.now):
			status = "requested"
		case done.After(g.now):
			status = "approved"
		}
		whole := r.Float64() < 0.4
		amount := total - shipping
		if !whole {
			// One line, or part of it (a price adjustment).
			l := lines[r.IntN(len(lines))]
			amount = l.unit*l.qty - l.discount
			if r.Float64() < 0.5 {
				amount = max(100, amount*int64(20+r.IntN(50))/100)
			}
		}
		refundedTotal += g.refund(c, id, payID, lines, amount, reason, req, done, status)
		if status == "refunded" || status == "rejected" {
			completedAt = maxTime(completedAt, done)
			why := "售后完成"
			if status == "rejected" {
				why = "售后申请被拒绝"
			}
			o.step(AfterSale, Completed, "staff", why, completedAt)
		} else {
			completedAt = time.Time{}
		}
	}
	if !completedAt.IsZero() && o.last != Completed && o.last != AfterSale {
		o.step(Delivered, Completed, "customer", "确认收货", completedAt)
	}
	for _, t := range o.steps {
		c.transitions = append(c.transitions, s.ID(demokit.SpaceTransition, g.transK), id, string(t.from), string(t.to), t.actor, t.reason, g.tm(t.at))
		g.transK++
	}

	// The order row, as of now.
	var session any
	if !placed.Before(g.traffic) {
		session = s.ConvertingSession(st.K)
	}
	g.dayOff += 1 + r.Int64N(97)
	// The plan day, not the placed time, dates the number: an order of a
	// customer who signed up in the day's last minute is placed just
	// after midnight, and the next day's numbers must not meet it.
	orderNo := fmt.Sprintf("%s%08d", day.Date.Format("20060102"), g.dayOff)
	c.orders = append(c.orders, id, orderNo, cust.ID, string(o.last), demokit.Channels[st.Channel], session,
		items, discount, shipping, total, costTotal, refundedTotal, count, cust.ProvinceCode, cust.Province, cust.City,
		placedV, g.nullTime(o.cut(paidAt)), g.nullTime(o.cut(shippedAt)), g.nullTime(o.cut(deliveredAt)), g.nullTime(o.cut(completedAt)),
		g.nullTime(o.cut(cancelledAt)), placedV, g.tm(o.lastAt))
	for _, l := range lines {
		sku := &s.SKUs[l.sku]
		c.lines = append(c.lines, s.ID(demokit.SpaceLine, g.lineK), id, sku.ProductID, sku.ID, sku.CategoryID, sku.Title, sku.SpecText,
			l.qty, l.unit, l.discount, l.unit*l.qty-l.discount, l.cost, l.refunded)
		g.lineK++
	}
}

// refund writes a refund of amount and, when it has gone through, spreads
// it over the lines (largest remainder, never above a line's total).
func (g *demoGen) refund(c *demoChunk, orderID, payID int64, lines []demoLine, amount int64, reason string, at, done time.Time, status string) int64 {
	if at.After(g.now) {
		return 0
	}
	if done.After(g.now) && status == "refunded" {
		status = "approved"
	}
	var refundedAt any
	var got int64
	if status == "refunded" {
		refundedAt = g.tm(done)
		got = amount
		spread(lines, amount)
	}
	c.refunds = append(c.refunds, g.shop.ID(demokit.SpaceRefund, g.refundK), orderID, payID, amount, reason, status, g.tm(at), refundedAt)
	g.refundK++
	return got
}

// allocate spreads discount over the lines in proportion to their amount,
// by largest remainder, so the parts add up exactly.
func allocate(lines []demoLine, discount, items int64) {
	if discount <= 0 {
		return
	}
	var given int64
	rem := make([]int64, len(lines))
	for i := range lines {
		amt := lines[i].unit * lines[i].qty
		lines[i].discount = discount * amt / items
		rem[i] = discount * amt % items
		given += lines[i].discount
	}
	for given < discount {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		lines[best].discount++
		rem[best] = -1
		given++
	}
}

// spread records a refund on the lines, each up to what it cost the
// shopper; what exceeds the lines (shipping) stays on the order.
func spread(lines []demoLine, amount int64) {
	for i := range lines {
		room := lines[i].unit*lines[i].qty - lines[i].discount - lines[i].refunded
		take := min(room, amount)
		lines[i].refunded += take
		amount -= take
	}
}

// demoTimeline collects the status steps up to now.
type demoTimeline struct {
	now    time.Time
	steps  []demoStep
	last   Status
	lastAt time.Time
}

type demoStep struct {
	from, to      Status
	actor, reason string
	at            time.Time
}

func (t *demoTimeline) step(from, to Status, actor, reason string, at time.Time) {
	if at.After(t.now) || (len(t.steps) > 0 && t.last != from) {
		return
	}
	t.steps = append(t.steps, demoStep{from, to, actor, reason, at})
	t.last, t.lastAt = to, at
}

// cut hides a time the as-of instant has not reached yet.
func (t *demoTimeline) cut(at time.Time) time.Time {
	if at.After(t.now) {
		return time.Time{}
	}
	return at
}

func (g *demoGen) nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return g.tm(t)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

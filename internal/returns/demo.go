package returns

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// DemoStep turns the demo orders' after-sale refunds into the requests
// behind them (a refund's status decides the request's: refunded,
// rejected, or still waiting), and gives a few recent completed orders
// without refunds an exchange for another size. It runs after the order
// step (Order 40) and reads what that step wrote, in two queries and one
// batched load. Restocking is not replayed: the inventory demo keeps its
// own ledger.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "returns", Order: 47, Run: runDemo}
}

// demoReasons maps the order demo's refund reasons to request reasons.
var demoReasons = map[string]Reason{
	"七天无理由退货": ReasonUnwanted, "尺码不合适": ReasonSize, "商品破损": ReasonDamaged, "质量问题": ReasonQuality,
	"发错货": ReasonWrongItem, "与描述不符": ReasonNotAsDesc, "不想要了": ReasonUnwanted,
}

// demoExchangeOrders bounds the recent completed orders considered for
// exchanges at scale 1.
const demoExchangeOrders = 2000

type demoLine struct {
	id, product, sku, total int64
	qty                     int
}

type demoCase struct {
	id, orderID, customerID, amount int64
	orderNo, reason, status         string
	created                         time.Time
	done                            sql.NullTime
	exchange                        bool
}

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, t := range []string{"return_lines", "returns"} {
				if err := l.Exec(`DELETE FROM ` + t); err != nil {
					return fmt.Errorf("returns: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	cases, err := demoCases(ctx, env)
	if err != nil {
		return err
	}
	lines, err := demoLines(ctx, env.DB.R, cases)
	if err != nil {
		return err
	}
	end := store.Time(env.Shop.End)
	return env.DB.Load(ctx, func(l *store.Loader) error {
		rb := l.Into("returns", "id", "rma_no", "order_id", "customer_id", "kind", "status", "reason", "description", "refund_amount",
			"reject_reason", "return_carrier", "return_tracking_no", "exchange_carrier", "exchange_tracking_no", "handled_by",
			"created_at", "updated_at", "approved_at", "shipped_back_at", "received_at", "closed_at")
		lb := l.Into("return_lines", "return_id", "order_line_id", "sku_id", "product_id", "qty", "amount", "accepted_qty", "condition")
		seq := map[int64]int{}
		for _, c := range cases {
			ls := lines[c.orderID]
			if len(ls) == 0 || c.exchange && seq[c.orderID] > 0 {
				continue // an order with an after-sale refund gets no exchange too
			}
			seq[c.orderID]++
			if err := demoCaseRows(env, c, ls, end, seq[c.orderID], rb, lb); err != nil {
				return err
			}
		}
		if err := rb.Flush(); err != nil {
			return fmt.Errorf("returns: demo: %w", err)
		}
		return lb.Flush()
	})
}

// demoCases reads the after-sale refunds and picks the exchanges.
func demoCases(ctx context.Context, env *module.DemoEnv) ([]demoCase, error) {
	rows, err := env.DB.R.QueryContext(ctx, `SELECT f.id, f.order_id, o.customer_id, o.order_no, f.amount, f.reason, f.status, f.created_at, f.refunded_at
		FROM refunds f JOIN orders o ON o.id = f.order_id
		WHERE o.delivered_at IS NOT NULL AND f.created_at >= o.delivered_at ORDER BY f.id`)
	if err != nil {
		return nil, fmt.Errorf("returns: demo refunds: %w", err)
	}
	var out []demoCase
	for rows.Next() {
		var c demoCase
		if err := rows.Scan(&c.id, &c.orderID, &c.customerID, &c.orderNo, &c.amount, &c.reason, &c.status, &c.created, &c.done); err != nil {
			rows.Close()
			return nil, fmt.Errorf("returns: demo refunds: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	limit := max(200, int(demoExchangeOrders*env.Scale))
	rows, err = env.DB.R.QueryContext(ctx, `SELECT o.id, o.customer_id, o.order_no, o.delivered_at FROM orders o
		WHERE o.status = 'completed' AND o.delivered_at IS NOT NULL AND o.refunded_total = 0
		ORDER BY o.placed_at DESC, o.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("returns: demo exchanges: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c := demoCase{exchange: true, reason: "尺码不合适", status: "exchanged"}
		if err := rows.Scan(&c.orderID, &c.customerID, &c.orderNo, &c.created); err != nil {
			return nil, fmt.Errorf("returns: demo exchanges: %w", err)
		}
		r := env.Shop.Rand("returns-exchange", c.orderID)
		if r.IntN(30) != 0 {
			continue
		}
		c.created = c.created.Add(time.Duration(12+r.IntN(120)) * time.Hour)
		c.done = sql.NullTime{Time: c.created.Add(time.Duration(72+r.IntN(96)) * time.Hour), Valid: true}
		// The order's id serves as the request's: one exchange per order,
		// and order ids never meet refund ids (another id space).
		c.id = c.orderID
		out = append(out, c)
	}
	return out, rows.Err()
}

// demoLines reads the lines of the cases' orders, a few hundred orders
// per query.
func demoLines(ctx context.Context, q store.Querier, cases []demoCase) (map[int64][]demoLine, error) {
	var ids []any
	seen := map[int64]bool{}
	for _, c := range cases {
		if !seen[c.orderID] {
			seen[c.orderID] = true
			ids = append(ids, c.orderID)
		}
	}
	out := map[int64][]demoLine{}
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		ph := make([]string, len(part))
		for i := range part {
			ph[i] = "$" + strconv.Itoa(i+1)
		}
		rows, err := q.QueryContext(ctx, `SELECT l.order_id, l.id, l.product_id, l.sku_id, l.quantity, l.line_total FROM order_lines l
			WHERE l.order_id IN (`+strings.Join(ph, ", ")+`) ORDER BY l.order_id, l.id`, part...)
		if err != nil {
			return nil, fmt.Errorf("returns: demo lines: %w", err)
		}
		for rows.Next() {
			var orderID int64
			var l demoLine
			if err := rows.Scan(&orderID, &l.id, &l.product, &l.sku, &l.qty, &l.total); err != nil {
				rows.Close()
				return nil, fmt.Errorf("returns: demo lines: %w", err)
			}
			out[orderID] = append(out[orderID], l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("returns: demo lines: %w", err)
		}
	}
	return out, nil
}

func demoCaseRows(env *module.DemoEnv, c demoCase, ls []demoLine, end time.Time, n int, rb, lb interface{ Add(...any) error }) error {
	r := env.Shop.Rand("returns", c.orderID)
	id := c.id
	reason := demoReasons[c.reason]
	if reason == "" {
		reason = ReasonQuality
	}
	kind := KindReturn
	var itemsTotal int64
	for _, l := range ls {
		itemsTotal += l.total
	}
	// Which lines: all for a whole refund, else the first that covers it.
	chosen := ls
	amounts := []int64{}
	qtys := []int{}
	if c.exchange {
		kind = KindExchange
		chosen = ls[:1]
		amounts, qtys = []int64{0}, []int{1}
	} else if c.amount >= itemsTotal {
		w := make([]int64, len(ls))
		for i, l := range ls {
			w[i] = l.total
			qtys = append(qtys, l.qty)
		}
		for _, a := range platform.Allocate(platform.Money(c.amount), w) {
			amounts = append(amounts, int64(a))
		}
	} else {
		pick := ls[len(ls)-1]
		for _, l := range ls {
			if l.total >= c.amount {
				pick = l
				break
			}
		}
		chosen = []demoLine{pick}
		amounts, qtys = []int64{c.amount}, []int{pick.qty}
		if c.amount < pick.total {
			// A part of a line: a price adjustment or a missing piece.
			kind, qtys = KindRefundOnly, []int{1}
		}
	}
	var st Status
	switch c.status {
	case "refunded", "approved":
		st = Refunded
	case "rejected":
		st = Rejected
	case "exchanged":
		st = Exchanged
	default:
		st = Requested
	}
	created := store.Time(c.created)
	closed := created.Add(72 * time.Hour)
	if c.done.Valid {
		closed = store.Time(c.done.Time)
	}
	if closed.After(end) {
		if st != Requested && st != Rejected {
			st = Approved
		}
		closed = end
	}
	at := func(f float64) time.Time {
		return store.Time(created.Add(time.Duration(f * float64(closed.Sub(created)))))
	}
	var approved, shipped, received, closedAt any
	carrier, tracking, exCarrier, exTracking, rejectReason, handler := "", "", "", "", "", ""
	total := int64(0)
	for _, a := range amounts {
		total += a
	}
	switch st {
	case Rejected:
		rejectReason, handler, closedAt = "商品已影响二次销售，不符合退换条件", "客服小李", closed
	case Approved:
		approved, handler = at(0.2), "客服小李"
	case Refunded, Exchanged:
		approved, closedAt, handler = at(0.1), closed, "客服小李"
		if kind != KindRefundOnly {
			shipped, received = at(0.3), at(0.8)
			carrier, tracking = "中通快递", fmt.Sprintf("ZT%012d", id%1_000_000_000_000)
		}
		if kind == KindExchange {
			exCarrier, exTracking = "顺丰速运", fmt.Sprintf("SF%012d", id%1_000_000_000_000)
		}
	}
	updated := created
	for _, t := range []any{approved, shipped, received, closedAt} {
		if t != nil {
			updated = t.(time.Time)
		}
	}
	if err := rb.Add(id, fmt.Sprintf("R%s-%d", c.orderNo, n), c.orderID, c.customerID, string(kind), string(st), string(reason), "", total,
		rejectReason, carrier, tracking, exCarrier, exTracking, handler, created, updated, approved, shipped, received, closedAt); err != nil {
		return fmt.Errorf("returns: demo: %w", err)
	}
	for i, l := range chosen {
		accepted, cond := 0, ""
		if st == Refunded || st == Exchanged {
			accepted, cond = qtys[i], string(Resaleable)
			if r.IntN(6) == 0 && kind != KindRefundOnly {
				cond = string(Damaged)
			}
		}
		if err := lb.Add(id, l.id, l.sku, l.product, qtys[i], amounts[i], accepted, cond); err != nil {
			return fmt.Errorf("returns: demo line: %w", err)
		}
	}
	return nil
}

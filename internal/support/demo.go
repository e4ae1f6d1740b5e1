package support

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/support/workcal"
)

// DemoStep gives the demo shop its service desk: two teams of agents
// and tickets over the order history, consistent with the orders (an
// after-sale ticket comes after its order was delivered and names the
// order's product or carrier), with SLA outcomes counted in working
// hours, CSAT on most resolved tickets, and a live backlog in the last
// days. It runs after the orders and payments.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "support", Order: 48, Run: runDemo}
}

// demoSpace is the id space of demo messages (tickets take their
// order's id or a customer's pre-sale slot in it too, see runDemo); far
// above the spaces the shop's own steps use.
const demoSpace demokit.Space = 40

// demoEmailDomain marks the demo's agent accounts, so a replace clears
// exactly them. They have no usable password.
const demoEmailDomain = "@agents.demo.invalid"

var demoAgents = []struct {
	name   string
	team   int
	skills string
}{
	{"客服小美", 0, ""}, {"客服阿杰", 0, "pre_sale,in_order"}, {"客服小雨", 1, "after_sale"},
	{"客服大鹏", 1, "after_sale,complaint"}, {"客服丽丽", 1, ""}, {"客服主管王敏", 1, "complaint,suggestion"},
}

var demoCauses = map[Type][]string{
	PreSale:    {"product.question", "product.question", "promo.rules"},
	InOrder:    {"order.change", "logistics.delay", "payment.issue"},
	AfterSale:  {"product.quality", "product.mismatch", "return.policy", "refund.progress", "logistics.damage"},
	Complaint:  {"logistics.delay", "logistics.lost", "service.attitude", "product.quality"},
	Suggestion: {"suggestion.feature"},
}

var demoTexts = map[string]string{
	"product.question":   "请问这款有现货吗？尺码偏大还是偏小？",
	"promo.rules":        "满减活动和优惠券可以一起用吗？",
	"order.change":       "下单地址填错了，能帮我改一下吗？",
	"logistics.delay":    "订单好几天了物流还没更新，麻烦帮忙查一下。",
	"payment.issue":      "付款时提示失败，但银行卡已经扣钱了。",
	"product.quality":    "收到的商品有质量问题，能退换吗？",
	"product.mismatch":   "实物和图片颜色差别很大。",
	"return.policy":      "拆封了还能七天无理由退货吗？",
	"refund.progress":    "退款申请提交三天了，什么时候到账？",
	"logistics.damage":   "包裹送到时外箱破了，里面东西也压坏了。",
	"logistics.lost":     "显示已签收，但我没有收到包裹。",
	"service.attitude":   "之前咨询的客服回复很敷衍，希望改进。",
	"suggestion.feature": "建议订单页增加预计送达时间。",
}

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, q := range []string{`DELETE FROM support_messages`, `DELETE FROM support_ticket_orders`, `DELETE FROM support_outgoing`, `DELETE FROM support_tickets`,
				`DELETE FROM support_agents WHERE staff_id IN (SELECT id FROM staff_users WHERE email LIKE '%` + demoEmailDomain + `')`,
				`DELETE FROM support_teams WHERE id NOT IN (SELECT team_id FROM support_agents WHERE team_id IS NOT NULL)`,
				`DELETE FROM staff_users WHERE email LIKE '%` + demoEmailDomain + `'`} {
				if err := l.Exec(q); err != nil {
					return fmt.Errorf("support: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	cal, err := Calendar(ctx, env.DB.R)
	if err != nil {
		return err
	}
	ps, err := Policies(ctx, env.DB.R)
	if err != nil {
		return err
	}
	// About one order in sixteen gets a ticket (the id's low bits are
	// spread evenly by the id generator's sequence).
	rows, err := env.DB.R.QueryContext(ctx, `SELECT o.id, o.customer_id, o.status, o.placed_at, o.delivered_at, COALESCE(c.name, ''), COALESCE(c.email, ''),
		(SELECT MIN(l.product_id) FROM order_lines l WHERE l.order_id = o.id), (SELECT MIN(s.carrier) FROM order_shipments s WHERE s.order_id = o.id)
		FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id % 16 = 5 ORDER BY o.id`)
	if err != nil {
		return fmt.Errorf("support: demo orders: %w", err)
	}
	type pick struct {
		id, customer        int64
		status, name, email string
		placed              time.Time
		delivered           sql.NullTime
		product             sql.NullInt64
		carrier             sql.NullString
	}
	var picks []pick
	for rows.Next() {
		var p pick
		if err := rows.Scan(&p.id, &p.customer, &p.status, &p.placed, &p.delivered, &p.name, &p.email, &p.product, &p.carrier); err != nil {
			rows.Close()
			return fmt.Errorf("support: demo orders: %w", err)
		}
		picks = append(picks, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("support: demo orders: %w", err)
	}
	end := store.Time(env.Shop.End)
	start := env.Shop.Start
	return env.DB.Load(ctx, func(l *store.Loader) error {
		teamIDs := []int64{env.Shop.ID(demoSpace, 1<<40), env.Shop.ID(demoSpace, 1<<40+1)}
		teams := l.Into("support_teams", "id", "name", "skills", "created_at")
		for i, name := range []string{"售前售中组", "售后投诉组"} {
			if err := teams.Add(teamIDs[i], name, []string{"pre_sale,in_order,chat", "after_sale,complaint,suggestion"}[i], start); err != nil {
				return err
			}
		}
		if err := teams.Flush(); err != nil {
			return err
		}
		users := l.Into("staff_users", "id", "email", "name", "mobile", "department", "role", "active", "password_hash", "created_at", "updated_at", "auth_version")
		agents := l.Into("support_agents", "staff_id", "team_id", "skills", "active", "created_at")
		agentIDs := make([]int64, len(demoAgents))
		for i, a := range demoAgents {
			agentIDs[i] = env.Shop.ID(demoSpace, 1<<40+10+int64(i))
			if err := users.Add(agentIDs[i], fmt.Sprintf("agent%d%s", i+1, demoEmailDomain), a.name, "", "service", string(platform.RoleService), true, "!", start, start, int64(1)); err != nil {
				return err
			}
			if err := agents.Add(agentIDs[i], teamIDs[a.team], a.skills, true, start); err != nil {
				return err
			}
		}
		if err := users.Flush(); err != nil {
			return err
		}
		if err := agents.Flush(); err != nil {
			return err
		}
		tickets := l.Into("support_tickets", "id", "customer_id", "contact_name", "contact_email", "contact_phone", "channel", "type", "priority", "status",
			"subject", "cause", "product_id", "carrier", "policy", "order_id", "team_id", "assignee_id", "reply_token", "first_response_due", "resolution_due",
			"first_responded_at", "resolved_at", "closed_at", "first_response_work", "resolution_work", "response_breached_at", "resolution_breached_at",
			"csat_token", "csat_score", "csat_comment", "created_at", "updated_at")
		msgs := l.Into("support_messages", "id", "ticket_id", "author", "author_id", "author_name", "via", "internal", "body", "created_at")
		for k, p := range picks {
			r := env.Shop.Rand("support", p.id)
			if err := demoTicket(r, cal, ps, end, p.id, p.customer, p.status, p.name, p.email, p.placed, p.delivered, p.product, p.carrier,
				teamIDs, agentIDs, int64(k), env.Shop, tickets, msgs); err != nil {
				return err
			}
		}
		if err := tickets.Flush(); err != nil {
			return err
		}
		return msgs.Flush()
	})
}

// demoTicket adds one order's ticket and its conversation.
func demoTicket(r *rand.Rand, cal *workcal.Calendar, ps map[Priority]Policy, end time.Time, orderID, customerID int64, status, name, email string,
	placed time.Time, delivered sql.NullTime, product sql.NullInt64, carrier sql.NullString, teamIDs, agentIDs []int64, k int64, shop *demokit.Shop,
	tickets, msgs *store.Batch) error {
	typ, at := InOrder, placed.Add(time.Duration(1+r.IntN(48))*time.Hour)
	switch {
	case status == "pending_payment" || status == "cancelled":
		typ = PreSale
	case delivered.Valid:
		at = delivered.Time.Add(time.Duration(2+r.IntN(120)) * time.Hour)
		typ = []Type{AfterSale, AfterSale, AfterSale, Complaint, Complaint, Suggestion, InOrder}[r.IntN(7)]
	}
	at = store.Time(at)
	if at.After(end) {
		return nil
	}
	cause := demoCauses[typ][r.IntN(len(demoCauses[typ]))]
	prio := Normal
	switch {
	case typ == Complaint:
		prio = High
	case r.IntN(12) == 0:
		prio = Urgent
	case typ == Suggestion:
		prio = Low
	}
	channel := []Channel{Web, Web, Chat, Chat, Phone, Email}[r.IntN(6)]
	team := teamIDs[0]
	if typ == AfterSale || typ == Complaint || typ == Suggestion {
		team = teamIDs[1]
	}
	agent := agentIDs[r.IntN(len(agentIDs))]
	pol := policyOf(ps, prio)
	frDue, resDue := deadlines(cal, pol, at)
	// Most answers come within the target, one in eight late.
	frWork := time.Duration(float64(pol.FirstResponse) * (0.1 + 0.8*r.Float64()))
	if r.IntN(8) == 0 {
		frWork = time.Duration(float64(pol.FirstResponse) * (1.1 + r.Float64()))
	}
	resWork := frWork + time.Duration(float64(pol.Resolution-pol.FirstResponse)*(0.2+0.7*r.Float64()))
	if r.IntN(10) == 0 {
		resWork = time.Duration(float64(pol.Resolution) * (1.05 + r.Float64()))
	}
	responded, resolved := store.Time(cal.Add(at, frWork)), store.Time(cal.Add(at, resWork))
	var (
		st                                            = Closed
		respAt, resAt, closeAt, frW, resW, rBr, resBr any
		csatTok, score                                any
		comment                                       string
		updated                                       = at
	)
	if responded.Before(end) {
		respAt, frW, updated = responded, int64(frWork/time.Second), responded
		if responded.After(frDue) {
			rBr = frDue
		}
		st = Pending
	} else {
		st = Open
		if end.After(frDue) {
			rBr = frDue
		}
	}
	if resolved.Before(end) {
		resAt, resW, updated, st = resolved, int64(resWork/time.Second), resolved, Resolved
		if resolved.After(resDue) {
			resBr = resDue
		}
		if c := resolved.Add(72 * time.Hour); c.Before(end) {
			closeAt, st = c, Closed
		}
		csatTok = fmt.Sprintf("DEMO%016X", orderID)
		if r.IntN(10) < 4 {
			v := []int{5, 5, 5, 5, 4, 4, 4, 3, 2, 1}[r.IntN(10)]
			if resBr != nil && v > 2 {
				v--
			}
			score = int64(v)
			comment = map[int]string{5: "客服很耐心，问题很快解决了", 4: "还不错", 3: "一般", 2: "处理太慢", 1: "很不满意"}[v]
		}
	} else if end.After(resDue) {
		resBr = resDue
	}
	var productID, carrierName any = nil, ""
	switch CauseOf(cause).Target {
	case "product":
		if product.Valid {
			productID = product.Int64
		}
	case "carrier":
		carrierName = carrier.String
	}
	policy := ""
	if CauseOf(cause).Target == "policy" {
		policy = map[string]string{"refund.progress": "退款时效", "return.policy": "七天无理由退货"}[cause]
	}
	text := demoTexts[cause]
	subject := firstLine(text, 20)
	if err := tickets.Add(orderID, customerID, name, email, "", string(channel), string(typ), string(prio), string(st), subject, cause, productID, carrierName, policy,
		orderID, team, agent, demoToken(r), frDue, resDue, respAt, resAt, closeAt, frW, resW, rBr, resBr,
		csatTok, score, comment, at, updated); err != nil {
		return err
	}
	if err := msgs.Add(shop.ID(demoSpace, 2*k), orderID, ByCustomer, customerID, name, string(channel), false, text, at); err != nil {
		return err
	}
	if respAt != nil {
		return msgs.Add(shop.ID(demoSpace, 2*k+1), orderID, ByAgent, agent, demoAgents[indexOf(agentIDs, agent)].name, string(channel), false,
			"您好，已为您核实处理，请留意后续通知。如有其他问题随时联系我们。", responded)
	}
	return nil
}

func indexOf(ids []int64, id int64) int {
	for i, v := range ids {
		if v == id {
			return i
		}
	}
	return 0
}

// demoToken is a reply token drawn from the seed's stream.
func demoToken(r *rand.Rand) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, 12)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

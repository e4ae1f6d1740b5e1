package chat

import (
	"context"
	"fmt"
	"time"

	"storeops/internal/module"
	"storeops/internal/store"
)

// DemoStep gives the demo shop chat history: some customers asked about
// a product before buying it and were answered by the demo service
// agents (made by the support step, Order 48), and a few guests wait in
// the queue now, so the inbox has something to do.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "chat", Order: 49, Run: runDemo}
}

// demoAgentEmails is how the support step's demo agents are known.
const demoAgentEmails = "%@agents.demo.invalid"

// demoEvery: one order in demoEvery of the last demoDays had a chat.
const (
	demoEvery = 12
	demoDays  = 120
)

var (
	demoQuestions = []string{"这款%s还有货吗？今天下单什么时候发？", "请问%s是正品吗？有没有发票？", "%s的尺码偏大还是偏小？",
		"%s能用优惠券吗？", "%s和上一代有什么区别？", "%s支持七天无理由退货吗？", "%s发顺丰吗？我在外地"}
	demoAnswers = []string{"亲，有现货的，下午四点前下单当天发出哦", "店铺商品均为正品，支持开具电子发票",
		"建议按平时尺码选择，介意宽松可以小一码", "可以的，结算时选择可用优惠券即可", "新款升级了材质和做工，详情页有对比图",
		"支持七天无理由退货，请保持商品完好", "默认中通，需要顺丰可以备注，我们尽量安排"}
	demoThanks = []string{"好的，谢谢", "明白了，马上下单", "收到，感谢", "好的👌"}
	demoGuests = []string{"路过的小张", "想买连衣裙", "Lily", "问问运费"}
)

type demoChatOrder struct {
	id, customerID int64
	name, title    string
	at             time.Time
}

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, q := range []string{`DELETE FROM chat_messages`, `DELETE FROM chat_conversations`, `DELETE FROM chat_presence`} {
				if err := l.Exec(q); err != nil {
					return fmt.Errorf("chat: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	var agents []int64
	var agentNames []string
	rows, err := env.DB.R.QueryContext(ctx, `SELECT id, name FROM staff_users WHERE email LIKE $1 ORDER BY id`, demoAgentEmails)
	if err != nil {
		return fmt.Errorf("chat: demo agents: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		agents, agentNames = append(agents, id), append(agentNames, name)
	}
	rows.Close()
	if len(agents) == 0 {
		return nil // no service desk in this build: no one to have answered
	}
	end := env.Shop.End
	rows, err = env.DB.R.QueryContext(ctx, `SELECT o.id, o.customer_id, c.name, l.title, o.placed_at
		FROM orders o JOIN customers c ON c.id = o.customer_id
		JOIN order_lines l ON l.id = (SELECT MIN(id) FROM order_lines WHERE order_id = o.id)
		WHERE o.placed_at >= $1 AND o.id % $2 = 0 ORDER BY o.id`, store.Time(end.AddDate(0, 0, -demoDays)), demoEvery)
	if err != nil {
		return fmt.Errorf("chat: demo orders: %w", err)
	}
	var orders []demoChatOrder
	for rows.Next() {
		var o demoChatOrder
		if err := rows.Scan(&o.id, &o.customerID, &o.name, &o.title, &o.at); err != nil {
			rows.Close()
			return fmt.Errorf("chat: demo orders: %w", err)
		}
		orders = append(orders, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return env.DB.Load(ctx, func(l *store.Loader) error {
		convs := l.Into("chat_conversations", "id", "customer_id", "guest_hash", "name", "contact", "status", "agent_id", "ticket_id",
			"created_at", "updated_at", "last_message_at", "closed_at")
		msgs := l.Into("chat_messages", "id", "conversation_id", "sender", "staff_id", "body", "client_id", "created_at")
		// Ids: the order's id is unique and fixed for a seed; a
		// conversation's messages follow it (ids are spaced far apart).
		for _, o := range orders {
			r := env.Shop.Rand("chat", o.id)
			k := r.IntN(len(demoQuestions))
			at := store.Time(o.at.Add(-time.Duration(10+r.IntN(3*24*60)) * time.Minute))
			a := r.IntN(len(agents))
			lines := []struct {
				sender string
				staff  any
				body   string
			}{
				{"customer", nil, fmt.Sprintf(demoQuestions[k], shortTitle(o.title))},
				{"system", agents[a], "joined:" + agentNames[a]},
				{"agent", agents[a], demoAnswers[k]},
				{"customer", nil, demoThanks[r.IntN(len(demoThanks))]},
				{"system", agents[a], "closed"},
			}
			t := at
			for i, ln := range lines {
				if i > 0 {
					t = t.Add(time.Duration(15+r.IntN(150)) * time.Second)
				}
				if err := msgs.Add(o.id*8+int64(i), o.id, ln.sender, ln.staff, ln.body, "", t); err != nil {
					return err
				}
			}
			if err := convs.Add(o.id, o.customerID, nil, o.name, "", string(Closed), agents[a], nil, at, t, t, t); err != nil {
				return err
			}
		}
		// A few guests ask right now, nobody has taken them yet.
		for i, name := range demoGuests[:min(len(demoGuests), 1+len(orders)/50)] {
			id := int64(1)<<50 + int64(i)*8
			at := store.Time(end.Add(-time.Duration(2+i*3) * time.Minute))
			if err := convs.Add(id, nil, fmt.Sprintf("demo-guest-%d", i), name, fmt.Sprintf("1380000%04d", i), string(Waiting), nil, nil,
				at, at, at, nil); err != nil {
				return err
			}
			if err := msgs.Add(id, id, "customer", nil, fmt.Sprintf(demoQuestions[i%len(demoQuestions)], "这个"), "", at); err != nil {
				return err
			}
		}
		if err := convs.Flush(); err != nil {
			return fmt.Errorf("chat: demo conversations: %w", err)
		}
		return msgs.Flush()
	})
}

// shortTitle keeps the first words of a product title, as a shopper
// would name it.
func shortTitle(title string) string {
	r := []rune(title)
	if len(r) > 12 {
		return string(r[:12])
	}
	return title
}

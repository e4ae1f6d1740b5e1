package support

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"storeops/internal/audit"
	"storeops/internal/jobs"
	"storeops/internal/mail"
	"storeops/internal/order"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// The proactive care rules.
const (
	CareShipmentDelayed = "shipment_delayed" // shipped N days ago, not delivered
	CareNegativeReview  = "negative_review"  // a review of 1 or 2 stars
	CareFirstDelivered  = "first_delivered"  // a customer's first order delivered
	CareVIPIdle         = "vip_idle"         // a big spender with no order in N days
)

// CareKinds lists the rules in display order.
var CareKinds = []string{CareShipmentDelayed, CareNegativeReview, CareFirstDelivered, CareVIPIdle}

// TopicReviewPosted is the reviews domain's event; its payload carries
// the review's id, customer_id, product_id, order_id and rating (1–5).
const TopicReviewPosted = "review.posted"

// vipSpend is the lifetime spend (fen, paid minus refunded) from which a
// customer counts as a VIP for the idle rule.
const vipSpend = 200000

// CareRule is one rule's settings: whether it fires, whether it opens a
// to-do ticket for the desk or queues a message to the customer, its
// threshold in days, and the text (with {{name}} and {{order_no}}).
type CareRule struct {
	Kind     string `json:"kind"`
	Enabled  bool   `json:"enabled"`
	Action   string `json:"action"`
	Days     int    `json:"days"`
	Template string `json:"template"`
}

// CareRules reads the rules in display order.
func CareRules(ctx context.Context, q store.Querier) ([]CareRule, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, enabled, action, days, template FROM support_care_rules`)
	if err != nil {
		return nil, fmt.Errorf("support: care rules: %w", err)
	}
	defer rows.Close()
	var out []CareRule
	for rows.Next() {
		var r CareRule
		if err := rows.Scan(&r.Kind, &r.Enabled, &r.Action, &r.Days, &r.Template); err != nil {
			return nil, fmt.Errorf("support: care rules: %w", err)
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b CareRule) int { return slices.Index(CareKinds, a.Kind) - slices.Index(CareKinds, b.Kind) })
	return out, rows.Err()
}

// SaveCareRule changes a rule, audited.
//
// Errors: CodeInvalid (422), or a database error.
func (s *Service) SaveCareRule(ctx context.Context, by audit.Actor, r CareRule) error {
	r.Template = strings.TrimSpace(r.Template)
	e := platform.E(platform.CodeInvalid)
	if !slices.Contains(CareKinds, r.Kind) {
		e.With("kind", "field.invalid")
	}
	if r.Action != "ticket" && r.Action != "message" {
		e.With("action", "field.invalid")
	}
	if r.Days < 0 || r.Days > 365 {
		e.With("days", "field.invalid")
	}
	if n := utf8.RuneCountInString(r.Template); n == 0 || n > 1000 {
		e.With("template", "field.required")
	}
	if len(e.Fields) > 0 {
		return e
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE support_care_rules SET enabled = $1, action = $2, days = $3, template = $4 WHERE kind = $5`,
			r.Enabled, r.Action, r.Days, r.Template, r.Kind); err != nil {
			return fmt.Errorf("support: save care rule: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: by, Action: "support.care_save", EntityType: "support_care_rule", EntityID: r.Kind, After: r})
	})
}

// careTarget is what a rule fired about.
type careTarget struct {
	customerID, orderID, productID platform.ID
	typ                            Type
	priority                       Priority
}

// fire applies rule kind once per key inside tx: a to-do ticket for the
// desk, or a message queued to the customer's email. It reports whether
// it did anything (false when disabled, already done, or nobody to
// write to).
func fire(ctx context.Context, tx *store.Tx, q *jobs.Queue, kind, key string, t careTarget) (bool, error) {
	var r CareRule
	err := tx.QueryRowContext(ctx, `SELECT kind, enabled, action, days, template FROM support_care_rules WHERE kind = $1`, kind).
		Scan(&r.Kind, &r.Enabled, &r.Action, &r.Days, &r.Template)
	if err != nil {
		return false, fmt.Errorf("support: care rule %s: %w", kind, err)
	}
	if !r.Enabled {
		return false, nil
	}
	var name, email sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT name, email FROM customers WHERE id = $1`, t.customerID).Scan(&name, &email); err != nil {
		return false, nil // the customer is gone (deleted on request): nothing to do
	}
	vars := map[string]string{"name": orDefault(name.String, "顾客"), "order_no": "", "ticket_no": "", "agent": ""}
	if t.orderID != 0 {
		var no string
		if err := tx.QueryRowContext(ctx, `SELECT order_no FROM orders WHERE id = $1`, t.orderID).Scan(&no); err == nil {
			vars["order_no"] = no
		}
	}
	body := Expand(r.Template, vars)
	if r.Action == "message" {
		if email.String == "" {
			return false, nil
		}
		subject := platform.T(platform.ZH, "support.care_subject")
		status := "queued"
		if q != nil {
			status = "mailed"
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO support_outgoing (id, customer_id, to_email, subject, body, status, care_key, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (care_key) DO NOTHING`, tx.NewID(), t.customerID, email.String, subject, body, status, key, tx.Now)
		if err != nil {
			return false, fmt.Errorf("support: care message %s: %w", key, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return false, nil
		}
		if q != nil {
			if _, err := mail.Enqueue(ctx, tx, q, mail.Message{To: email.String, Template: mailMessage, Data: mailData{Subject: subject, Body: body}, CustomerID: t.customerID}); err != nil {
				return false, fmt.Errorf("support: care mail %s: %w", key, err)
			}
		}
		return true, nil
	}
	return openCare(ctx, tx, key, NewTicket{CustomerID: t.customerID, OrderID: t.orderID, Type: t.typ, Priority: t.priority,
		Subject: platform.T(platform.ZH, "support.care."+kind), Body: body})
}

// CareConsumer follows the outbox for the event-driven rules: a first
// order delivered (order.status_changed to delivered) and a negative
// review (review.posted with 1 or 2 stars). Each fires once per key, so
// an event delivered twice does nothing twice.
func (s *Service) CareConsumer() outbox.Consumer {
	return outbox.Consumer{
		Name:   "support.care",
		Topics: []string{order.TopicStatusChanged, TopicReviewPosted},
		Handle: s.handleCare,
	}
}

func (s *Service) handleCare(ctx context.Context, events []outbox.Event) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		for _, ev := range events {
			if err := careEvent(ctx, tx, s.queue(), ev); err != nil {
				return err
			}
		}
		return nil
	})
}

func careEvent(ctx context.Context, tx *store.Tx, q *jobs.Queue, ev outbox.Event) error {
	switch ev.Topic {
	case order.TopicStatusChanged:
		var ch order.Change
		if json.Unmarshal(ev.Payload, &ch) != nil || ch.To != order.Delivered {
			return nil
		}
		var customer sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT customer_id FROM orders WHERE id = $1`, ch.OrderID).Scan(&customer); err != nil || !customer.Valid {
			return nil
		}
		var delivered int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND delivered_at IS NOT NULL AND id <> $2`,
			customer.Int64, ch.OrderID).Scan(&delivered); err != nil {
			return err
		}
		if delivered > 0 {
			return nil
		}
		_, err := fire(ctx, tx, q, CareFirstDelivered, "first_delivered:"+fmt.Sprint(customer.Int64),
			careTarget{customerID: platform.ID(customer.Int64), orderID: ch.OrderID, typ: InOrder, priority: Low})
		return err
	case TopicReviewPosted:
		var rv struct {
			ID         platform.ID `json:"id"`
			CustomerID platform.ID `json:"customer_id"`
			ProductID  platform.ID `json:"product_id"`
			OrderID    platform.ID `json:"order_id"`
			Rating     int         `json:"rating"`
		}
		if json.Unmarshal(ev.Payload, &rv) != nil || rv.CustomerID == 0 || rv.Rating < 1 || rv.Rating > 2 {
			return nil
		}
		key := "negative_review:" + ev.Key
		if rv.ID != 0 {
			key = "negative_review:" + rv.ID.String()
		}
		_, err := fire(ctx, tx, q, CareNegativeReview, key, careTarget{customerID: rv.CustomerID, orderID: rv.OrderID, productID: rv.ProductID, typ: AfterSale, priority: High})
		return err
	}
	return nil
}

// careBatch bounds one sweep per rule.
const careBatch = 200

// SweepCare runs the time-driven rules: orders shipped more than N days
// ago and not delivered, and VIPs (lifetime spend ¥2,000 or more) whose
// last order is more than N days old. It returns how many fired.
func (s *Service) SweepCare(ctx context.Context) (int, error) {
	fired := 0
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		fired = 0
		rules, err := CareRules(ctx, tx)
		if err != nil {
			return err
		}
		for _, r := range rules {
			if !r.Enabled {
				continue
			}
			cutoff := tx.Now.Add(-time.Duration(r.Days) * 24 * time.Hour)
			var targets []careTarget
			var keys []string
			switch r.Kind {
			case CareShipmentDelayed:
				rows, err := tx.QueryContext(ctx, `SELECT o.id, o.customer_id FROM orders o WHERE o.status = $1 AND o.shipped_at < $2
					AND o.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM support_tickets t WHERE t.care_key = 'shipment_delayed:' || CAST(o.id AS TEXT))
					ORDER BY o.shipped_at LIMIT $3`, order.Shipped, cutoff, careBatch)
				if err != nil {
					return fmt.Errorf("support: delayed shipments: %w", err)
				}
				for rows.Next() {
					var t careTarget
					if err := rows.Scan(&t.orderID, &t.customerID); err != nil {
						rows.Close()
						return err
					}
					t.typ, t.priority = InOrder, Normal
					targets, keys = append(targets, t), append(keys, "shipment_delayed:"+t.orderID.String())
				}
				rows.Close()
			case CareVIPIdle:
				rows, err := tx.QueryContext(ctx, `SELECT customer_id, MAX(placed_at) FROM orders WHERE paid_at IS NOT NULL AND customer_id IS NOT NULL
					GROUP BY customer_id HAVING SUM(total - refunded_total) >= $1 AND MAX(placed_at) < $2 ORDER BY MAX(placed_at) DESC LIMIT $3`, vipSpend, cutoff, careBatch)
				if err != nil {
					return fmt.Errorf("support: idle VIPs: %w", err)
				}
				for rows.Next() {
					var t careTarget
					var last aggTime
					if err := rows.Scan(&t.customerID, &last); err != nil {
						rows.Close()
						return err
					}
					t.typ, t.priority = PreSale, Normal
					// One care contact per idle spell: the key names the last order's day.
					targets, keys = append(targets, t), append(keys, "vip_idle:"+t.customerID.String()+":"+last.Time.Format(time.DateOnly))
				}
				rows.Close()
			}
			for i, t := range targets {
				ok, err := fire(ctx, tx, s.queue(), r.Kind, keys[i], t)
				if err != nil {
					return err
				}
				if ok {
					fired++
				}
			}
		}
		return nil
	})
	return fired, err
}

// CareArgs is the hourly job that runs SweepCare.
type CareArgs struct{}

// Kind names the job.
func (CareArgs) Kind() string { return "support.care_sweep" }

type careWorker struct {
	river.WorkerDefaults[CareArgs]
	s *Service
}

// Work runs one sweep.
func (w *careWorker) Work(ctx context.Context, _ *river.Job[CareArgs]) error {
	_, err := w.s.SweepCare(ctx)
	return err
}

func careJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return CareArgs{}, nil }, &river.PeriodicJobOpts{ID: "support_care_sweep"})
}

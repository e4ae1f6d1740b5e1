package review

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"storeops/internal/module"
	"storeops/internal/store"
)

// DemoStep reviews a share of the demo's delivered order lines over the
// whole history: mostly good, some bad (more on a few weak products), a
// few caught by the automatic checks (the older ones decided, the newest
// still waiting), and shop replies on most negative reviews, mostly
// within the 24-hour target. It runs after the orders (Order 40), hence
// before them when the demo is replaced, and then deletes its rows.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "reviews", Order: 47, Run: runDemo}
}

// demoShare is the share of delivered lines that get a review.
const demoShare = 0.28

type demoLine struct {
	id, orderID, productID, customerID, categoryID int64
	spec, name, email                              string
	at                                             time.Time
}

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			for _, t := range []string{"review_images", "review_topics", "reviews"} {
				if err := l.Exec(`DELETE FROM ` + t); err != nil {
					return fmt.Errorf("review: demo clear: %w", err)
				}
			}
			return nil
		})
	}
	kinds := map[int64]demoKind{}
	for _, c := range env.Shop.Categories {
		kinds[c.ID] = kindOf(c.Name)
	}
	var total int
	if err := env.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM order_lines ol JOIN orders o ON o.id = ol.order_id
		WHERE o.status IN ('delivered', 'completed', 'after_sale')`).Scan(&total); err != nil {
		return fmt.Errorf("review: demo lines: %w", err)
	}
	env.Shop.Progress.Start("reviews", int64(total))
	// Lines are read and reviewed a chunk at a time, so memory stays flat
	// at any scale.
	for after := int64(-1 << 63); ; {
		lines, err := demoLines(ctx, env.DB, after, demoChunk)
		if err != nil {
			return err
		}
		if len(lines) == 0 {
			return nil
		}
		after = lines[len(lines)-1].id
		if err := loadDemo(ctx, env, kinds, lines); err != nil {
			return err
		}
		env.Shop.Progress.Add(int64(len(lines)))
	}
}

// demoChunk is how many delivered lines one load takes.
const demoChunk = 50_000

// loadDemo writes the reviews of one chunk of lines.
func loadDemo(ctx context.Context, env *module.DemoEnv, kinds map[int64]demoKind, lines []demoLine) error {
	shop := env.Shop
	end := shop.End.UTC()
	return env.DB.Load(ctx, func(l *store.Loader) error {
		rb := l.Into("reviews", "id", "product_id", "order_id", "order_line_id", "customer_id", "author", "spec_text", "rating", "body", "status", "flags",
			"moderated_by", "moderated_at", "reject_reason", "reply", "replied_by", "replied_at", "reply_updated_at", "created_at", "updated_at")
		tb := l.Into("review_topics", "review_id", "topic", "polarity", "product_id")
		for _, ln := range lines {
			r := shop.Rand("review", ln.id)
			if r.Float64() >= demoShare {
				continue
			}
			created := ln.at.Add(time.Duration(6+r.IntN(10*24)) * time.Hour).Add(time.Duration(r.IntN(3600)) * time.Second)
			if !created.Before(end) {
				continue
			}
			// A few products disappoint: they draw far more bad ratings.
			weak := shop.Rand("review-product", ln.productID).IntN(12) == 0
			rating := demoRating(r.Float64(), weak)
			body := demoText(r, kinds[ln.categoryID], rating)
			status, flags := Published, []Flag(nil)
			if r.IntN(70) == 0 {
				body += "，" + pick(r, demoSpam)
			}
			flags = Check(body)
			var (
				moderatedBy, reason string
				moderatedAt         any
			)
			if len(flags) > 0 {
				status = Pending
				if decided := created.Add(time.Duration(2+r.IntN(30)) * time.Hour); decided.Before(end) {
					moderatedBy, moderatedAt = "客服小周", store.Time(decided)
					status, reason = Rejected, "含广告、联系方式或不文明用语"
					if r.IntN(4) == 0 {
						status, reason = Published, ""
					}
				}
			}
			var (
				reply, repliedBy string
				repliedAt        any
			)
			if status != Rejected && (rating <= Negative && r.IntN(100) < 88 || rating > Negative && r.IntN(6) == 0) {
				wait := time.Duration(1+r.IntN(20)) * time.Hour
				if r.IntN(4) == 0 {
					wait = time.Duration(25+r.IntN(60)) * time.Hour
				}
				if at := created.Add(wait).Add(time.Duration(r.IntN(3600)) * time.Second); at.Before(end) {
					reply, repliedBy, repliedAt = demoReply(r, rating), "客服小周", store.Time(at)
				}
			}
			updated := created
			if t, ok := repliedAt.(time.Time); ok {
				updated = t
			}
			if t, ok := moderatedAt.(time.Time); ok && t.After(updated) {
				updated = t
			}
			// The line's id is unique among reviews (one per line) and the
			// same for a seed, so it serves as the review's id.
			if err := rb.Add(ln.id, ln.productID, ln.orderID, ln.id, ln.customerID, maskName(ln.name, ln.email), ln.spec, rating, body,
				string(status), joinFlags(flags), moderatedBy, moderatedAt, reason, reply, repliedBy, repliedAt, repliedAt,
				store.Time(created), store.Time(updated)); err != nil {
				return fmt.Errorf("review: demo: %w", err)
			}
			for _, h := range FindTopics(body, rating) {
				if err := tb.Add(ln.id, string(h.Topic), h.Polarity, ln.productID); err != nil {
					return fmt.Errorf("review: demo topics: %w", err)
				}
			}
		}
		return nil
	})
}

// demoRating draws a rating: mostly five stars, as on Chinese
// marketplaces, with weak products drawing three times the bad ones.
func demoRating(x float64, weak bool) int {
	bad := 1.0
	if weak {
		bad = 3
	}
	switch {
	case x < 0.05*bad:
		return 1
	case x < 0.09*bad:
		return 2
	case x < 0.09*bad+0.08:
		return 3
	case x < 0.09*bad+0.28:
		return 4
	}
	return 5
}

// demoLines reads up to limit delivered order lines after id after, in
// id order.
func demoLines(ctx context.Context, db *store.DB, after int64, limit int) ([]demoLine, error) {
	rows, err := db.R.QueryContext(ctx, `SELECT ol.id, ol.order_id, ol.product_id, o.customer_id, ol.category_id, ol.spec_text,
		COALESCE(c.name, ''), COALESCE(c.email, ''), o.delivered_at, o.placed_at
		FROM order_lines ol JOIN orders o ON o.id = ol.order_id LEFT JOIN customers c ON c.id = o.customer_id
		WHERE ol.id > $1 AND o.status IN ('delivered', 'completed', 'after_sale') ORDER BY ol.id LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("review: demo lines: %w", err)
	}
	defer rows.Close()
	var out []demoLine
	for rows.Next() {
		var (
			l         demoLine
			delivered sql.NullTime
			placed    time.Time
		)
		if err := rows.Scan(&l.id, &l.orderID, &l.productID, &l.customerID, &l.categoryID, &l.spec, &l.name, &l.email, &delivered, &placed); err != nil {
			return nil, fmt.Errorf("review: demo lines: %w", err)
		}
		l.at = placed.UTC()
		if delivered.Valid {
			l.at = delivered.Time.UTC()
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

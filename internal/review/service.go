package review

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/media"
	"storeops/internal/order"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service holds the review rules; its exported methods own their
// transactions.
type Service struct {
	db    *store.DB
	media *media.Service
}

// NewService makes the service over db.
func NewService(db *store.DB) *Service { return &Service{db: db, media: newMedia(db)} }

const reviewCols = `r.id, r.product_id, r.order_id, r.order_line_id, r.customer_id, r.author, r.spec_text, r.rating, r.body, r.status, r.flags,
	r.moderated_by, r.reject_reason, r.reply, r.replied_by, r.replied_at, r.reply_updated_at, r.created_at, r.updated_at, COALESCE(p.title, '')`

const reviewFrom = ` FROM reviews r LEFT JOIN products p ON p.id = r.product_id`

func scanReview(row interface{ Scan(...any) error }) (Review, error) {
	var (
		v                  Review
		flags              string
		replied, replyEdit sql.NullTime
	)
	err := row.Scan(&v.ID, &v.ProductID, &v.OrderID, &v.OrderLineID, &v.CustomerID, &v.Author, &v.SpecText, &v.Rating, &v.Body, &v.Status, &flags,
		&v.ModeratedBy, &v.RejectReason, &v.Reply, &v.RepliedBy, &replied, &replyEdit, &v.CreatedAt, &v.UpdatedAt, &v.ProductTitle)
	if err != nil {
		return v, err
	}
	v.Flags = splitFlags(flags)
	if replied.Valid {
		t := replied.Time.UTC()
		v.RepliedAt = &t
	}
	if replyEdit.Valid {
		t := replyEdit.Time.UTC()
		v.ReplyUpdatedAt = &t
	}
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	return v, nil
}

// byID is one review with its topics, or platform.NotFound("review").
func byID(ctx context.Context, q store.Querier, id platform.ID) (Review, error) {
	v, err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewCols+reviewFrom+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Review{}, platform.NotFound("review")
	}
	if err != nil {
		return Review{}, fmt.Errorf("review: read %d: %w", id, err)
	}
	list := []Review{v}
	if err := withTopics(ctx, q, list); err != nil {
		return Review{}, err
	}
	if err := withImages(ctx, q, list); err != nil {
		return Review{}, err
	}
	return list[0], nil
}

// withTopics fills in the topics of reviews with one query.
func withTopics(ctx context.Context, q store.Querier, list []Review) error {
	if len(list) == 0 {
		return nil
	}
	at := make(map[platform.ID]int, len(list))
	args := make([]any, len(list))
	marks := make([]string, len(list))
	for i, v := range list {
		at[v.ID] = i
		args[i] = v.ID
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT review_id, topic, polarity FROM review_topics WHERE review_id IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return fmt.Errorf("review: topics: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id platform.ID
			h  TopicHit
		)
		if err := rows.Scan(&id, &h.Topic, &h.Polarity); err != nil {
			return fmt.Errorf("review: topics: %w", err)
		}
		i := at[id]
		list[i].Topics = append(list[i].Topics, h)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("review: topics: %w", err)
	}
	for i := range list {
		sortTopics(list[i].Topics)
	}
	return nil
}

// sortTopics puts hits in the lexicon's display order.
func sortTopics(hs []TopicHit) {
	rank := func(t Topic) int {
		for i, v := range Topics {
			if v == t {
				return i
			}
		}
		return len(Topics)
	}
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && rank(hs[j].Topic) < rank(hs[j-1].Topic); j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
}

// reviewable reports whether an order in st has reached the shopper:
// delivered, completed, or in after-sale (which only follows delivery).
func reviewable(st order.Status) bool {
	return st == order.Delivered || st == order.Completed || st == order.AfterSale
}

// Create records the customer's review of one line of their order. A
// review the checks flag waits for moderation (status pending); a clean
// one is published at once. Either way review.posted goes to the outbox.
//
// Errors: CodeInvalid (422), CodeNotFound (no such line on the
// customer's orders), CodeNotEligible (409, not delivered),
// CodeExists (409, already reviewed), or a database error.
func (s *Service) Create(ctx context.Context, customerID platform.ID, in Input) (Review, error) {
	if err := in.Validate(); err != nil {
		return Review{}, err
	}
	flags := Check(in.Body)
	topics := FindTopics(in.Body, in.Rating)
	status := Published
	if len(flags) > 0 {
		status = Pending
	}
	var id platform.ID
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var (
			productID, orderID platform.ID
			spec, name, email  string
			st                 order.Status
		)
		err := tx.QueryRowContext(ctx, `SELECT ol.product_id, ol.order_id, ol.spec_text, o.status, COALESCE(c.name, ''), COALESCE(c.email, '')
			FROM order_lines ol JOIN orders o ON o.id = ol.order_id LEFT JOIN customers c ON c.id = o.customer_id
			WHERE ol.id = $1 AND o.customer_id = $2`, in.OrderLineID, customerID).Scan(&productID, &orderID, &spec, &st, &name, &email)
		if errors.Is(err, sql.ErrNoRows) {
			return platform.NotFound("order")
		}
		if err != nil {
			return fmt.Errorf("review: read order line %d: %w", in.OrderLineID, err)
		}
		if !reviewable(st) {
			return platform.E(CodeNotEligible)
		}
		id = tx.NewID()
		_, err = tx.ExecContext(ctx, `INSERT INTO reviews (id, product_id, order_id, order_line_id, customer_id, author, spec_text, rating, body, status, flags,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`,
			id, productID, orderID, in.OrderLineID, customerID, maskName(name, email), spec, in.Rating, in.Body, status, joinFlags(flags), tx.Now)
		if store.IsUniqueViolation(err) {
			return platform.E(CodeExists)
		}
		if err != nil {
			return fmt.Errorf("review: create: %w", err)
		}
		for _, h := range topics {
			if _, err := tx.ExecContext(ctx, `INSERT INTO review_topics (review_id, topic, polarity, product_id) VALUES ($1, $2, $3, $4)`,
				id, h.Topic, h.Polarity, productID); err != nil {
				return fmt.Errorf("review: topics of %d: %w", id, err)
			}
		}
		v, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		return publish(ctx, tx, TopicPosted, v)
	})
	if err != nil {
		return Review{}, err
	}
	return byID(ctx, s.db.R, id)
}

// Get is one review by id (staff).
func (s *Service) Get(ctx context.Context, id platform.ID) (Review, error) {
	return byID(ctx, s.db.R, id)
}

// Approve publishes a flagged review, audited as by.
//
// Errors: CodeNotFound, CodeNotPending (409), or a database error.
func (s *Service) Approve(ctx context.Context, by audit.Actor, id platform.ID) (Review, error) {
	return s.decide(ctx, by, id, "review.approve", `UPDATE reviews SET status = $1, moderated_by = $2, moderated_at = $3, updated_at = $3
		WHERE id = $4 AND status = 'pending'`, Published, by.Name)
}

// Reject hides a review, pending or already published, with a reason its
// author reads; audited as by.
//
// Errors: CodeInvalid (422), CodeNotFound, CodeRejected (409, already
// rejected), or a database error.
func (s *Service) Reject(ctx context.Context, by audit.Actor, id platform.ID, reason string) (Review, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return Review{}, err
	}
	return s.decide(ctx, by, id, "review.reject", `UPDATE reviews SET status = $1, moderated_by = $2, moderated_at = $3, updated_at = $3, reject_reason = $5
		WHERE id = $4 AND status <> 'rejected'`, Rejected, by.Name, reason)
}

// decide runs a conditional moderation update and audits it.
func (s *Service) decide(ctx context.Context, by audit.Actor, id platform.ID, action, query string, to Status, name string, extra ...any) (Review, error) {
	var out Review
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		before, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		args := append([]any{to, name, tx.Now, id}, extra...)
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("review: %s %d: %w", action, id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("review: %s %d: %w", action, id, err)
		} else if n != 1 {
			if to == Rejected {
				return platform.E(CodeRejected)
			}
			return platform.E(CodeNotPending)
		}
		if out, err = byID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Change(ctx, tx, by, action, "review", id, before, out)
	})
	return out, err
}

// Reply sets the merchant's public reply, or changes it; the first reply's
// time stays (it is what the 24-hour target measures). Audited as by.
//
// Errors: CodeInvalid (422), CodeNotFound, CodeRejected (409), or a
// database error.
func (s *Service) Reply(ctx context.Context, by audit.Actor, id platform.ID, in ReplyInput) (Review, error) {
	if err := in.Validate(); err != nil {
		return Review{}, err
	}
	var out Review
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		before, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE reviews SET reply = $1, replied_by = $2, replied_at = COALESCE(replied_at, $3), reply_updated_at = $3,
			updated_at = $3 WHERE id = $4 AND status <> 'rejected'`, in.Body, by.Name, tx.Now, id)
		if err != nil {
			return fmt.Errorf("review: reply to %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("review: reply to %d: %w", id, err)
		} else if n != 1 {
			return platform.E(CodeRejected)
		}
		if out, err = byID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Change(ctx, tx, by, "review.reply", "review", id, before, out)
	})
	return out, err
}

// TopicPosted is the outbox topic of a new review, with the review as
// payload (flags included), so proactive care can reach out to a shopper
// who left a negative review without the request waiting for it.
const TopicPosted = "review.posted"

func publish(ctx context.Context, tx *store.Tx, topic string, v Review) error {
	payload, err := json.Marshal(struct {
		Review
		CustomerID platform.ID `json:"customer_id"`
	}{v, v.CustomerID})
	if err != nil {
		return fmt.Errorf("review: event of %d: %w", v.ID, err)
	}
	return outbox.Publish(ctx, tx, outbox.Event{Topic: topic, Key: v.ID.String(), Payload: payload})
}

// shopTime shows a time in the shop's zone.
func shopTime(t time.Time) string { return t.In(platform.ShopZone).Format("2006-01-02 15:04") }

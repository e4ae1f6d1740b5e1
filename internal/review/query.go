package review

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Filter narrows a listing. Zero fields match everything; From and To
// bound the time written (To exclusive).
type Filter struct {
	Status     Status
	ProductID  platform.ID
	CustomerID platform.ID
	Rating     int
	// Negative keeps 差评 (rating ≤ Negative).
	Negative bool
	// NeedsReply keeps reviews without a reply that are not rejected.
	NeedsReply bool
	Flag       Flag
	From, To   *time.Time
	// Oldest lists oldest first (the reply to-do list: most urgent on
	// top); newest first otherwise.
	Oldest bool
	Page   platform.PageRequest
}

// Validate rejects unknown statuses, flags and ratings (422).
func (f Filter) Validate() error {
	if f.Status != "" && !f.Status.Valid() {
		return platform.Invalid("status", "field.invalid")
	}
	if f.Flag != "" && !f.Flag.Valid() {
		return platform.Invalid("flag", "field.invalid")
	}
	if f.Rating < 0 || f.Rating > 5 {
		return platform.Invalid("rating", "review.field.rating")
	}
	return nil
}

// List is one page of reviews in the filter, with their topics.
//
// Errors: CodeInvalid (422), CodeBadCursor (400), or a database error.
func List(ctx context.Context, q store.Querier, f Filter) (platform.Page[Review], error) {
	if err := f.Validate(); err != nil {
		return platform.Page[Review]{}, err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Status != "" {
		where = append(where, "r.status = "+arg(f.Status))
	}
	if f.ProductID != 0 {
		where = append(where, "r.product_id = "+arg(f.ProductID))
	}
	if f.CustomerID != 0 {
		where = append(where, "r.customer_id = "+arg(f.CustomerID))
	}
	if f.Rating != 0 {
		where = append(where, "r.rating = "+arg(f.Rating))
	}
	if f.Negative {
		where = append(where, "r.rating <= "+arg(Negative))
	}
	if f.NeedsReply {
		where = append(where, "r.replied_at IS NULL AND r.status <> 'rejected'")
	}
	if f.Flag != "" {
		// flags is a comma list of known words; match a whole item.
		where = append(where, "(',' || r.flags || ',') LIKE "+arg("%,"+string(f.Flag)+",%"))
	}
	if f.From != nil {
		where = append(where, "r.created_at >= "+arg(store.Time(*f.From)))
	}
	if f.To != nil {
		where = append(where, "r.created_at < "+arg(store.Time(*f.To)))
	}
	cmp, dir := "<", "DESC"
	if f.Oldest {
		cmp, dir = ">", "ASC"
	}
	if c := f.Page.After; c != nil {
		at, err := time.Parse(time.RFC3339Nano, c.Key)
		if err != nil {
			return platform.Page[Review]{}, platform.E(platform.CodeBadCursor).Wrap(err)
		}
		t, id := arg(store.Time(at)), arg(int64(c.ID))
		where = append(where, "r.created_at "+cmp+"= "+t+" AND (r.created_at "+cmp+" "+t+" OR r.id "+cmp+" "+id+")")
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = platform.DefaultPageSize
	}
	query := `SELECT ` + reviewCols + reviewFrom
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY r.created_at " + dir + ", r.id " + dir + " LIMIT " + arg(limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return platform.Page[Review]{}, fmt.Errorf("review: list: %w", err)
	}
	var out []Review
	for rows.Next() {
		v, err := scanReview(rows)
		if err != nil {
			rows.Close()
			return platform.Page[Review]{}, fmt.Errorf("review: list: %w", err)
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return platform.Page[Review]{}, fmt.Errorf("review: list: %w", err)
	}
	page := platform.NewPage(out, limit, func(v Review) platform.Cursor {
		return platform.Cursor{Key: v.CreatedAt.Format(time.RFC3339Nano), ID: v.ID}
	})
	if err := withTopics(ctx, q, page.Items); err != nil {
		return platform.Page[Review]{}, err
	}
	if err := withImages(ctx, q, page.Items); err != nil {
		return platform.Page[Review]{}, err
	}
	return page, nil
}

// Summary is a product's (or the shop's) published ratings.
type Summary struct {
	Count int `json:"count"`
	// Average is the mean rating to one decimal, 0 without reviews.
	Average float64 `json:"average"`
	// Distribution counts ratings 1 to 5 (index 0 is one star).
	Distribution [5]int `json:"distribution"`
	// PositiveShare is the share of 4- and 5-star reviews (好评率), 0–1.
	PositiveShare float64 `json:"positive_share"`
}

// Bars are the distribution as display rows, five stars first.
func (s Summary) Bars() []Bar {
	out := make([]Bar, 0, 5)
	for r := 5; r >= 1; r-- {
		n := s.Distribution[r-1]
		pct := 0
		if s.Count > 0 {
			pct = n * 100 / s.Count
		}
		out = append(out, Bar{Rating: r, Count: n, Percent: pct})
	}
	return out
}

// Bar is one rating's row in a distribution.
type Bar struct {
	Rating, Count, Percent int
}

// Stars draws the bar's rating.
func (b Bar) Stars() string { return Stars(b.Rating) }

// Stars draws the average rounded to whole stars.
func (s Summary) Stars() string { return Stars(int(math.Round(s.Average))) }

// PositivePercent is PositiveShare as a whole percentage.
func (s Summary) PositivePercent() int { return int(math.Round(s.PositiveShare * 100)) }

// Summarize counts the published ratings of productID (0: the whole shop)
// written at or after since (zero: ever).
func Summarize(ctx context.Context, q store.Querier, productID platform.ID, since time.Time) (Summary, error) {
	query := `SELECT rating, COUNT(*) FROM reviews WHERE status = 'published'`
	var args []any
	if productID != 0 {
		args = append(args, productID)
		query += " AND product_id = $1"
	}
	if !since.IsZero() {
		args = append(args, store.Time(since))
		query += " AND created_at >= $" + strconv.Itoa(len(args))
	}
	rows, err := q.QueryContext(ctx, query+" GROUP BY rating", args...)
	if err != nil {
		return Summary{}, fmt.Errorf("review: summary: %w", err)
	}
	defer rows.Close()
	var s Summary
	sum := 0
	for rows.Next() {
		var rating, n int
		if err := rows.Scan(&rating, &n); err != nil {
			return Summary{}, fmt.Errorf("review: summary: %w", err)
		}
		if rating >= 1 && rating <= 5 {
			s.Distribution[rating-1] = n
			s.Count += n
			sum += rating * n
		}
	}
	if err := rows.Err(); err != nil {
		return Summary{}, fmt.Errorf("review: summary: %w", err)
	}
	if s.Count > 0 {
		s.Average = math.Round(float64(sum)*10/float64(s.Count)) / 10
		s.PositiveShare = float64(s.Distribution[3]+s.Distribution[4]) / float64(s.Count)
	}
	return s, nil
}

// TopicCount is how often a topic is praised and complained about.
type TopicCount struct {
	Topic      Topic `json:"topic"`
	Praise     int   `json:"praise"`
	Complaints int   `json:"complaints"`
}

// Total is every mention.
func (t TopicCount) Total() int { return t.Praise + t.Complaints }

// ComplaintPercent is the share of mentions that complain, 0–100.
func (t TopicCount) ComplaintPercent() int {
	if t.Total() == 0 {
		return 0
	}
	return t.Complaints * 100 / t.Total()
}

// CountTopics sums the topics of published reviews of productID (0: the
// whole shop) written at or after since (zero: ever), most mentioned
// first.
func CountTopics(ctx context.Context, q store.Querier, productID platform.ID, since time.Time) ([]TopicCount, error) {
	query := `SELECT t.topic, SUM(CASE WHEN t.polarity > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN t.polarity < 0 THEN 1 ELSE 0 END)
		FROM review_topics t JOIN reviews r ON r.id = t.review_id WHERE r.status = 'published'`
	var args []any
	if productID != 0 {
		args = append(args, productID)
		query += " AND t.product_id = $1"
	}
	if !since.IsZero() {
		args = append(args, store.Time(since))
		query += " AND r.created_at >= $" + strconv.Itoa(len(args))
	}
	rows, err := q.QueryContext(ctx, query+" GROUP BY t.topic", args...)
	if err != nil {
		return nil, fmt.Errorf("review: topic counts: %w", err)
	}
	defer rows.Close()
	var out []TopicCount
	for rows.Next() {
		var c TopicCount
		if err := rows.Scan(&c.Topic, &c.Praise, &c.Complaints); err != nil {
			return nil, fmt.Errorf("review: topic counts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("review: topic counts: %w", err)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && (out[j].Total() > out[j-1].Total() || out[j].Total() == out[j-1].Total() && out[j].Topic < out[j-1].Topic); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

package review

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// ReplyMetric is how well the shop keeps the reply target on the negative
// reviews written in a period: answered within ReplyTarget, answered
// late, still unanswered past it, and not yet due.
type ReplyMetric struct {
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Negative int       `json:"negative"`
	InTime   int       `json:"in_time"`
	Late     int       `json:"late"`
	Overdue  int       `json:"overdue"`
	// Waiting have no reply yet and are still within the target.
	Waiting int `json:"waiting"`
	// MedianReply is the median time to the first reply, over the
	// answered ones (0 when none).
	MedianReply time.Duration `json:"median_reply_ns"`
}

// Due is the number of reviews whose target has been decided.
func (m ReplyMetric) Due() int { return m.InTime + m.Late + m.Overdue }

// InTimePercent is the share answered in time among those due, 0–100, or
// -1 when none is due yet.
func (m ReplyMetric) InTimePercent() int {
	if m.Due() == 0 {
		return -1
	}
	return m.InTime * 100 / m.Due()
}

// MedianHours is MedianReply in hours, one decimal.
func (m ReplyMetric) MedianHours() string {
	return fmt.Sprintf("%.1f", m.MedianReply.Hours())
}

// MeasureReplies computes the metric over negative reviews written in
// [from, to) that were not rejected, as of now.
func MeasureReplies(ctx context.Context, q store.Querier, from, to, now time.Time) (ReplyMetric, error) {
	m := ReplyMetric{From: from, To: to}
	rows, err := q.QueryContext(ctx, `SELECT created_at, replied_at FROM reviews
		WHERE rating <= $1 AND status <> 'rejected' AND created_at >= $2 AND created_at < $3`, Negative, store.Time(from), store.Time(to))
	if err != nil {
		return m, fmt.Errorf("review: reply metric: %w", err)
	}
	defer rows.Close()
	var waits []time.Duration
	for rows.Next() {
		var (
			created time.Time
			replied sql.NullTime
		)
		if err := rows.Scan(&created, &replied); err != nil {
			return m, fmt.Errorf("review: reply metric: %w", err)
		}
		m.Negative++
		switch {
		case replied.Valid:
			wait := replied.Time.Sub(created)
			waits = append(waits, wait)
			if wait <= ReplyTarget {
				m.InTime++
			} else {
				m.Late++
			}
		case now.Sub(created) > ReplyTarget:
			m.Overdue++
		default:
			m.Waiting++
		}
	}
	if err := rows.Err(); err != nil {
		return m, fmt.Errorf("review: reply metric: %w", err)
	}
	if len(waits) > 0 {
		sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
		m.MedianReply = waits[len(waits)/2]
	}
	return m, nil
}

// Period is the metric's window ending at the start of tomorrow in the
// shop's zone: the last days days.
func Period(now time.Time, days int) (from, to time.Time) {
	y, mo, d := now.In(platform.ShopZone).Date()
	to = time.Date(y, mo, d+1, 0, 0, 0, 0, platform.ShopZone)
	return to.AddDate(0, 0, -days), to
}

package review

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// TopicsData is the insights page: what shoppers praise and complain
// about, shop-wide or for one product, over the last Days days.
type TopicsData struct {
	Days         int
	DayChoices   []int
	ProductID    platform.ID
	ProductTitle string
	Summary      Summary
	Topics       []TopicCount
	// Worst are the products with the most negative reviews (shop-wide).
	Worst []ProductStat
	// Recent are the product's newest reviews (one product).
	Recent []Review
}

// ProductStat is one product's reviews in the period.
type ProductStat struct {
	ProductID platform.ID
	Title     string
	Count     int
	Negatives int
	Average   float64
}

func (h *handlers) topicsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	days, err := daysOf(r)
	if err != nil {
		return err
	}
	data := TopicsData{Days: days, DayChoices: []int{7, 30, 90, 365}}
	if s := r.URL.Query().Get("product_id"); s != "" {
		id, err := platform.ParseID(s)
		if err != nil {
			return platform.NotFound("product")
		}
		data.ProductID = id
		if err := h.db.R.QueryRowContext(ctx, `SELECT title FROM products WHERE id = $1`, id).Scan(&data.ProductTitle); errors.Is(err, sql.ErrNoRows) {
			return platform.NotFound("product")
		} else if err != nil {
			return fmt.Errorf("review: product %d: %w", id, err)
		}
	}
	since, _ := Period(h.clock.Now(), days)
	if data.Summary, err = Summarize(ctx, h.db.R, data.ProductID, since); err != nil {
		return err
	}
	if data.Topics, err = CountTopics(ctx, h.db.R, data.ProductID, since); err != nil {
		return err
	}
	if data.ProductID != 0 {
		page, err := List(ctx, h.db.R, Filter{ProductID: data.ProductID, Page: platform.PageRequest{Limit: 20}})
		if err != nil {
			return err
		}
		data.Recent = page.Items
	} else if data.Worst, err = worstProducts(ctx, h.db.R, since, 20); err != nil {
		return err
	}
	return h.rd.Render(w, r, http.StatusOK, "review/topics", data)
}

// worstProducts are the products with the most negative published
// reviews written since, then the lowest average.
func worstProducts(ctx context.Context, q store.Querier, since time.Time, limit int) ([]ProductStat, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.product_id, COALESCE(MAX(p.title), ''), COUNT(*),
		SUM(CASE WHEN r.rating <= $1 THEN 1 ELSE 0 END), SUM(r.rating)
		FROM reviews r LEFT JOIN products p ON p.id = r.product_id
		WHERE r.status = 'published' AND r.created_at >= $2
		GROUP BY r.product_id
		HAVING SUM(CASE WHEN r.rating <= $1 THEN 1 ELSE 0 END) > 0
		ORDER BY 4 DESC, 5 * 1.0 / COUNT(*) ASC, r.product_id LIMIT $3`, Negative, store.Time(since), limit)
	if err != nil {
		return nil, fmt.Errorf("review: worst products: %w", err)
	}
	defer rows.Close()
	var out []ProductStat
	for rows.Next() {
		var (
			p   ProductStat
			sum int
		)
		if err := rows.Scan(&p.ProductID, &p.Title, &p.Count, &p.Negatives, &sum); err != nil {
			return nil, fmt.Errorf("review: worst products: %w", err)
		}
		if p.Count > 0 {
			p.Average = float64(sum*10/p.Count) / 10
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

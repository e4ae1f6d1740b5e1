package review

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// PublicReview is a review as other shoppers see it: no order or
// customer ids.
type PublicReview struct {
	ID        platform.ID `json:"id"`
	Author    string      `json:"author"`
	SpecText  string      `json:"spec_text,omitempty"`
	Rating    int         `json:"rating"`
	Body      string      `json:"body"`
	Topics    []TopicHit  `json:"topics,omitempty"`
	Images    []Image     `json:"images,omitempty"`
	Reply     string      `json:"reply,omitempty"`
	RepliedAt *time.Time  `json:"replied_at,omitempty"`
	CreatedAt time.Time   `json:"created_at"`
}

// Stars draws the rating.
func (v PublicReview) Stars() string { return Stars(v.Rating) }

func publicOf(v Review) PublicReview {
	return PublicReview{ID: v.ID, Author: v.Author, SpecText: v.SpecText, Rating: v.Rating, Body: v.Body, Topics: v.Topics, Images: v.Images,
		Reply: v.Reply, RepliedAt: v.RepliedAt, CreatedAt: v.CreatedAt}
}

// ProductReviews is a product's review page: the summary and topics of
// all its published reviews and one page of them.
type ProductReviews struct {
	ProductID  platform.ID    `json:"product_id"`
	Summary    Summary        `json:"summary"`
	Topics     []TopicCount   `json:"topics"`
	Items      []PublicReview `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// productReviews reads a product's page; a product that does not exist
// is not found.
func productReviews(ctx context.Context, q store.Querier, productID platform.ID, rating int, page platform.PageRequest) (ProductReviews, error) {
	out := ProductReviews{ProductID: productID, Items: []PublicReview{}}
	var one int
	if err := q.QueryRowContext(ctx, `SELECT 1 FROM products WHERE id = $1`, productID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return out, platform.NotFound("product")
	} else if err != nil {
		return out, fmt.Errorf("review: product %d: %w", productID, err)
	}
	var err error
	if out.Summary, err = Summarize(ctx, q, productID, time.Time{}); err != nil {
		return out, err
	}
	if out.Topics, err = CountTopics(ctx, q, productID, time.Time{}); err != nil {
		return out, err
	}
	if out.Topics == nil {
		out.Topics = []TopicCount{}
	}
	list, err := List(ctx, q, Filter{ProductID: productID, Status: Published, Rating: rating, Page: page})
	if err != nil {
		return out, err
	}
	for _, v := range list.Items {
		out.Items = append(out.Items, publicOf(v))
	}
	out.NextCursor = list.NextCursor
	return out, nil
}

// ratingOf reads an optional ?rating= of 1–5 (422 otherwise).
func ratingOf(r *http.Request) (int, error) {
	s := r.URL.Query().Get("rating")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 5 {
		return 0, platform.Invalid("rating", "review.field.rating")
	}
	return n, nil
}

func (h *handlers) apiProduct(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	rating, err := ratingOf(r)
	if err != nil {
		return err
	}
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	out, err := productReviews(r.Context(), h.db.R, id, rating, page)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=30")
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	v, err := h.s.Create(r.Context(), web.PrincipalFrom(r.Context()).CustomerID, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, v)
}

func (h *handlers) apiMine(w http.ResponseWriter, r *http.Request) error {
	page, err := web.PageOf(r)
	if err != nil {
		return err
	}
	out, err := List(r.Context(), h.db.R, Filter{CustomerID: web.PrincipalFrom(r.Context()).CustomerID, Page: page})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, out)
}

// ReviewableLine is a delivered order line the customer may review.
type ReviewableLine struct {
	OrderLineID platform.ID `json:"order_line_id"`
	OrderID     platform.ID `json:"order_id"`
	OrderNo     string      `json:"order_no"`
	ProductID   platform.ID `json:"product_id"`
	Title       string      `json:"title"`
	SpecText    string      `json:"spec_text,omitempty"`
}

// ToReview lists the customer's delivered lines without a review, newest
// order first (at most 100).
func ToReview(ctx context.Context, q store.Querier, customerID platform.ID) ([]ReviewableLine, error) {
	rows, err := q.QueryContext(ctx, `SELECT ol.id, o.id, o.order_no, ol.product_id, ol.title, ol.spec_text
		FROM orders o JOIN order_lines ol ON ol.order_id = o.id
		WHERE o.customer_id = $1 AND o.status IN ('delivered', 'completed', 'after_sale')
		  AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.order_line_id = ol.id)
		ORDER BY o.placed_at DESC, ol.id LIMIT 100`, customerID)
	if err != nil {
		return nil, fmt.Errorf("review: lines to review: %w", err)
	}
	defer rows.Close()
	out := []ReviewableLine{}
	for rows.Next() {
		var l ReviewableLine
		if err := rows.Scan(&l.OrderLineID, &l.OrderID, &l.OrderNo, &l.ProductID, &l.Title, &l.SpecText); err != nil {
			return nil, fmt.Errorf("review: lines to review: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func (h *handlers) apiToReview(w http.ResponseWriter, r *http.Request) error {
	out, err := ToReview(r.Context(), h.db.R, web.PrincipalFrom(r.Context()).CustomerID)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return web.WriteJSON(w, http.StatusOK, out)
}

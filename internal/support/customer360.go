package support

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Customer360 is what an agent sees of the customer beside a ticket:
// who they are, what they bought and what they asked before.
type Customer360 struct {
	CustomerID platform.ID `json:"customer_id"`
	Name       string      `json:"name"`
	Email      string      `json:"email,omitempty"`
	Mobile     string      `json:"mobile,omitempty"`
	Since      time.Time   `json:"since"`
	// Orders counts the paid orders; LifetimeValue is what they paid
	// minus refunds, in fen.
	Orders        int            `json:"orders"`
	LifetimeValue platform.Money `json:"lifetime_value"`
	Refunded      platform.Money `json:"refunded"`
	LastOrderAt   *time.Time     `json:"last_order_at,omitempty"`
	RecentOrders  []OrderBrief   `json:"recent_orders"`
	Tickets       int            `json:"tickets"`
	Complaints    int            `json:"complaints"`
	RecentTickets []Ticket       `json:"recent_tickets"`
	// AvgCSAT is the mean satisfaction score of their rated tickets (0
	// when none).
	AvgCSAT float64 `json:"avg_csat"`
	// Membership: the tier code ("" before the first order) and the
	// points balance.
	Tier   string `json:"tier,omitempty"`
	Points int64  `json:"points"`
	// Reviews they wrote, how many were negative (1–2 stars), and the
	// mean rating (0 when none).
	Reviews         int     `json:"reviews"`
	NegativeReviews int     `json:"negative_reviews"`
	AvgRating       float64 `json:"avg_rating"`
}

// OrderBrief is one order in the 360 view.
type OrderBrief struct {
	ID       platform.ID    `json:"id"`
	OrderNo  string         `json:"order_no"`
	Status   string         `json:"status"`
	Total    platform.Money `json:"total"`
	Refunded platform.Money `json:"refunded"`
	PlacedAt time.Time      `json:"placed_at"`
}

// CustomerView builds the 360 view of a customer.
//
// Errors: CodeNotFound, or a database error.
func CustomerView(ctx context.Context, q store.Querier, customerID platform.ID) (Customer360, error) {
	v := Customer360{CustomerID: customerID, RecentOrders: []OrderBrief{}, RecentTickets: []Ticket{}}
	var email, mobile sql.NullString
	err := q.QueryRowContext(ctx, `SELECT name, email, mobile, created_at FROM customers WHERE id = $1`, customerID).Scan(&v.Name, &email, &mobile, &v.Since)
	if errors.Is(err, sql.ErrNoRows) {
		return v, platform.NotFound("customer")
	}
	if err != nil {
		return v, fmt.Errorf("support: customer %d: %w", customerID, err)
	}
	v.Email, v.Mobile = email.String, mobile.String
	var last aggTime
	var paid, refunded int64
	err = q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(total), 0), COALESCE(SUM(refunded_total), 0), MAX(placed_at) FROM orders
		WHERE customer_id = $1 AND paid_at IS NOT NULL`, customerID).Scan(&v.Orders, &paid, &refunded, &last)
	if err != nil {
		return v, fmt.Errorf("support: orders of %d: %w", customerID, err)
	}
	v.LifetimeValue, v.Refunded, v.LastOrderAt = platform.Money(paid-refunded), platform.Money(refunded), timePtr(sql.NullTime(last))
	rows, err := q.QueryContext(ctx, `SELECT id, order_no, status, total, refunded_total, placed_at FROM orders WHERE customer_id = $1
		ORDER BY placed_at DESC, id DESC LIMIT 5`, customerID)
	if err != nil {
		return v, fmt.Errorf("support: orders of %d: %w", customerID, err)
	}
	for rows.Next() {
		var o OrderBrief
		if err := rows.Scan(&o.ID, &o.OrderNo, &o.Status, &o.Total, &o.Refunded, &o.PlacedAt); err != nil {
			rows.Close()
			return v, fmt.Errorf("support: orders of %d: %w", customerID, err)
		}
		v.RecentOrders = append(v.RecentOrders, o)
	}
	rows.Close()
	var avg sql.NullFloat64
	err = q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN type = 'complaint' THEN 1 ELSE 0 END), 0), AVG(csat_score)
		FROM support_tickets WHERE customer_id = $1`, customerID).Scan(&v.Tickets, &v.Complaints, &avg)
	if err != nil {
		return v, fmt.Errorf("support: tickets of %d: %w", customerID, err)
	}
	v.AvgCSAT = avg.Float64
	// Membership and reviews are read from their domains' tables: the
	// 360 view is a read model over the customer's whole history.
	var tier sql.NullString
	var points sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT tier_code, balance FROM loyalty_accounts WHERE customer_id = $1`, customerID).Scan(&tier, &points)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("support: points of %d: %w", customerID, err)
	}
	v.Tier, v.Points = tier.String, points.Int64
	var rating sql.NullFloat64
	err = q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN rating <= 2 THEN 1 ELSE 0 END), 0), AVG(rating)
		FROM reviews WHERE customer_id = $1`, customerID).Scan(&v.Reviews, &v.NegativeReviews, &rating)
	if err != nil {
		return v, fmt.Errorf("support: reviews of %d: %w", customerID, err)
	}
	v.AvgRating = rating.Float64
	trows, err := q.QueryContext(ctx, `SELECT `+ticketCols+` FROM support_tickets WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT 5`, customerID)
	if err != nil {
		return v, fmt.Errorf("support: tickets of %d: %w", customerID, err)
	}
	defer trows.Close()
	for trows.Next() {
		t, err := scanTicket(trows)
		if err != nil {
			return v, fmt.Errorf("support: tickets of %d: %w", customerID, err)
		}
		v.RecentTickets = append(v.RecentTickets, t)
	}
	return v, trows.Err()
}

package support

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

const ticketCols = `id, customer_id, contact_name, contact_email, contact_phone, channel, type, priority, status, subject,
	cause, product_id, carrier, policy, order_id, team_id, assignee_id, reply_token, first_response_due, resolution_due,
	first_responded_at, resolved_at, closed_at, first_response_work, resolution_work,
	response_warned_at, response_breached_at, resolution_warned_at, resolution_breached_at,
	csat_token, csat_score, csat_comment, created_at, updated_at`

func scanTicket(row interface{ Scan(...any) error }) (Ticket, error) {
	var (
		v                                  Ticket
		customer, product, ord, team, asg  sql.NullInt64
		responded, resolved, closed        sql.NullTime
		frWork, resWork, score             sql.NullInt64
		rWarn, rBreach, resWarn, resBreach sql.NullTime
		csat                               sql.NullString
	)
	err := row.Scan(&v.ID, &customer, &v.ContactName, &v.ContactEmail, &v.ContactPhone, &v.Channel, &v.Type, &v.Priority, &v.Status, &v.Subject,
		&v.Cause, &product, &v.Carrier, &v.Policy, &ord, &team, &asg, &v.ReplyToken, &v.FirstResponseDue, &v.ResolutionDue,
		&responded, &resolved, &closed, &frWork, &resWork, &rWarn, &rBreach, &resWarn, &resBreach,
		&csat, &score, &v.CSATComment, &v.CreatedAt, &v.UpdatedAt)
	if err != nil {
		return v, err
	}
	v.CustomerID, v.ProductID, v.OrderID = platform.ID(customer.Int64), platform.ID(product.Int64), platform.ID(ord.Int64)
	v.TeamID, v.AssigneeID = platform.ID(team.Int64), platform.ID(asg.Int64)
	v.FirstRespondedAt, v.ResolvedAt, v.ClosedAt = timePtr(responded), timePtr(resolved), timePtr(closed)
	v.FirstResponseWork, v.ResolutionWork = time.Duration(frWork.Int64)*time.Second, time.Duration(resWork.Int64)*time.Second
	v.ResponseWarned, v.ResponseBreached = rWarn.Valid, rBreach.Valid
	v.ResolveWarned, v.ResolveBreached = resWarn.Valid, resBreach.Valid
	v.CSATToken, v.CSATScore = csat.String, int(score.Int64)
	v.FirstResponseDue, v.ResolutionDue = v.FirstResponseDue.UTC(), v.ResolutionDue.UTC()
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	return v, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// nullID is a nullable id column's value.
func nullID(id platform.ID) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// getTicket reads one ticket; lock takes its row lock on PostgreSQL
// (SQLite's write transactions are serial already).
func getTicket(ctx context.Context, q store.Querier, id platform.ID) (Ticket, error) {
	v, err := scanTicket(q.QueryRowContext(ctx, `SELECT `+ticketCols+` FROM support_tickets WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, platform.NotFound("ticket")
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("support: read ticket %d: %w", id, err)
	}
	return v, nil
}

func lockTicket(ctx context.Context, tx *store.Tx, id platform.ID) (Ticket, error) {
	q := `SELECT ` + ticketCols + ` FROM support_tickets WHERE id = $1`
	if tx.Dialect == store.Postgres {
		q += ` FOR UPDATE`
	}
	v, err := scanTicket(tx.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Ticket{}, platform.NotFound("ticket")
	}
	if err != nil {
		return Ticket{}, fmt.Errorf("support: lock ticket %d: %w", id, err)
	}
	return v, nil
}

// token is a random, unguessable token of n base32 characters.
func token(n int) string {
	b := make([]byte, (n*5+7)/8)
	_, _ = rand.Read(b)
	return strings.ToUpper(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:n]
}

// addMessage appends to a ticket's conversation.
func addMessage(ctx context.Context, tx *store.Tx, m Message) (Message, error) {
	m.ID = tx.NewID()
	m.CreatedAt = tx.Now
	_, err := tx.ExecContext(ctx, `INSERT INTO support_messages (id, ticket_id, author, author_id, author_name, via, internal, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, m.ID, m.TicketID, m.Author, nullID(m.AuthorID), m.AuthorName, m.Via, m.Internal, m.Body, m.CreatedAt)
	if err != nil {
		return m, fmt.Errorf("support: add message to %d: %w", m.TicketID, err)
	}
	return m, nil
}

// Messages is a ticket's conversation, oldest first; withInternal adds
// the staff's notes.
func Messages(ctx context.Context, q store.Querier, ticketID platform.ID, withInternal bool) ([]Message, error) {
	query := `SELECT id, ticket_id, author, author_id, author_name, via, internal, body, created_at FROM support_messages WHERE ticket_id = $1`
	if !withInternal {
		query += ` AND internal = FALSE`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY created_at, id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("support: messages of %d: %w", ticketID, err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		var m Message
		var author sql.NullInt64
		if err := rows.Scan(&m.ID, &m.TicketID, &m.Author, &author, &m.AuthorName, &m.Via, &m.Internal, &m.Body, &m.CreatedAt); err != nil {
			return nil, fmt.Errorf("support: messages of %d: %w", ticketID, err)
		}
		m.AuthorID, m.CreatedAt = platform.ID(author.Int64), m.CreatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// aggTime scans a MAX() of a timestamp column: SQLite returns an
// aggregate of times as the stored text, PostgreSQL as a time. Valid is
// false for NULL.
type aggTime struct {
	Time  time.Time
	Valid bool
}

// sqliteTime is how the SQLite driver stores times.
const sqliteTime = "2006-01-02 15:04:05.999999999-07:00"

// Scan implements sql.Scanner.
func (a *aggTime) Scan(v any) error {
	a.Valid = v != nil
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		a.Time = x.UTC()
		return nil
	case []byte:
		v = string(x)
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("support: scan %T as a time", v)
	}
	t, err := time.Parse(sqliteTime, s)
	if err != nil {
		return fmt.Errorf("support: scan %q as a time: %w", s, err)
	}
	a.Time = t.UTC()
	return nil
}

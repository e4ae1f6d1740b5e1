package support

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Canned is a reply agents reuse; its body may hold {{name}},
// {{order_no}}, {{ticket_no}} and {{agent}}.
type Canned struct {
	ID        platform.ID `json:"id"`
	Title     string      `json:"title"`
	Body      string      `json:"body"`
	CreatedAt time.Time   `json:"created_at"`
}

// Variables lists the placeholders a canned reply or care template may
// use.
var Variables = []string{"name", "order_no", "ticket_no", "agent"}

// Expand fills the placeholders of body from vars; an unknown
// placeholder stays as written so the agent sees it before sending.
// The result is plain text: pages escape it when they show it.
func Expand(body string, vars map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(body, "{{")
		if i < 0 {
			b.WriteString(body)
			return b.String()
		}
		j := strings.Index(body[i:], "}}")
		if j < 0 {
			b.WriteString(body)
			return b.String()
		}
		key := strings.TrimSpace(body[i+2 : i+j])
		b.WriteString(body[:i])
		if v, ok := vars[key]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(body[i : i+j+2])
		}
		body = body[i+j+2:]
	}
}

// ticketVars are the placeholders' values for t answered by agent.
func ticketVars(ctx context.Context, q store.Querier, t Ticket, agent string) (map[string]string, error) {
	name := t.ContactName
	if name == "" {
		name = "顾客"
	}
	vars := map[string]string{"name": name, "ticket_no": t.ID.String(), "agent": agent, "order_no": ""}
	if t.OrderID != 0 {
		var no string
		err := q.QueryRowContext(ctx, `SELECT order_no FROM orders WHERE id = $1`, t.OrderID).Scan(&no)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("support: order of ticket %d: %w", t.ID, err)
		}
		vars["order_no"] = no
	}
	return vars, nil
}

// bodyOf is the text an agent sends: the body typed, or else the canned
// reply expanded for the ticket.
func (s *Service) bodyOf(ctx context.Context, id platform.ID, by audit.Actor, in StaffReplyInput) (string, error) {
	if strings.TrimSpace(in.Body) != "" || in.CannedID == 0 {
		return in.Body, nil
	}
	c, err := s.CannedReply(ctx, in.CannedID)
	if err != nil {
		return "", err
	}
	t, err := getTicket(ctx, s.db.R, id)
	if err != nil {
		return "", err
	}
	vars, err := ticketVars(ctx, s.db.R, t, by.Name)
	if err != nil {
		return "", err
	}
	return Expand(c.Body, vars), nil
}

// CannedReplies lists the canned replies by title.
func (s *Service) CannedReplies(ctx context.Context) ([]Canned, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, title, body, created_at FROM support_canned ORDER BY title, id`)
	if err != nil {
		return nil, fmt.Errorf("support: canned replies: %w", err)
	}
	defer rows.Close()
	var out []Canned
	for rows.Next() {
		var c Canned
		if err := rows.Scan(&c.ID, &c.Title, &c.Body, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("support: canned replies: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CannedReply is one canned reply.
//
// Errors: CodeNotFound.
func (s *Service) CannedReply(ctx context.Context, id platform.ID) (Canned, error) {
	var c Canned
	err := s.db.R.QueryRowContext(ctx, `SELECT id, title, body, created_at FROM support_canned WHERE id = $1`, id).Scan(&c.ID, &c.Title, &c.Body, &c.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return c, platform.NotFound("canned")
	}
	if err != nil {
		return c, fmt.Errorf("support: canned %d: %w", id, err)
	}
	return c, nil
}

// SaveCanned adds a canned reply (id 0) or changes one, audited.
//
// Errors: CodeInvalid (422), CodeNotFound, or a database error.
func (s *Service) SaveCanned(ctx context.Context, by audit.Actor, c Canned) (Canned, error) {
	c.Title, c.Body = strings.TrimSpace(c.Title), strings.TrimSpace(c.Body)
	e := platform.E(platform.CodeInvalid)
	text(e, "title", c.Title, 60)
	text(e, "body", c.Body, maxBody)
	if len(e.Fields) > 0 {
		return c, e
	}
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if c.ID == 0 {
			c.ID, c.CreatedAt = tx.NewID(), tx.Now
			if _, err := tx.ExecContext(ctx, `INSERT INTO support_canned (id, title, body, created_at) VALUES ($1, $2, $3, $4)`, c.ID, c.Title, c.Body, c.CreatedAt); err != nil {
				return fmt.Errorf("support: add canned: %w", err)
			}
			return audit.Change(ctx, tx, by, "support.canned_add", "support_canned", c.ID, nil, c)
		}
		res, err := tx.ExecContext(ctx, `UPDATE support_canned SET title = $1, body = $2 WHERE id = $3`, c.Title, c.Body, c.ID)
		if err != nil {
			return fmt.Errorf("support: save canned %d: %w", c.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return platform.NotFound("canned")
		}
		return audit.Change(ctx, tx, by, "support.canned_save", "support_canned", c.ID, nil, c)
	})
	return c, err
}

// DeleteCanned removes a canned reply, audited.
//
// Errors: CodeNotFound, or a database error.
func (s *Service) DeleteCanned(ctx context.Context, by audit.Actor, id platform.ID) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM support_canned WHERE id = $1`, id)
		if err != nil {
			return fmt.Errorf("support: delete canned %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return platform.NotFound("canned")
		}
		return audit.Change(ctx, tx, by, "support.canned_delete", "support_canned", id, nil, nil)
	})
}

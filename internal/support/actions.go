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

// change runs fn on the locked ticket inside one write transaction,
// then audits the change as by (a staff user) and publishes topic when
// it is set. fn returns the ticket's new state (re-read) or an error.
func (s *Service) change(ctx context.Context, by audit.Actor, id platform.ID, action, topic string, fn func(tx *store.Tx, t Ticket) error) (Ticket, error) {
	var out Ticket
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		before, err := lockTicket(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(tx, before); err != nil {
			return err
		}
		if out, err = getTicket(ctx, tx, id); err != nil {
			return err
		}
		if by.Kind == audit.KindStaff {
			if err := audit.Change(ctx, tx, by, action, "support_ticket", id, before, out); err != nil {
				return err
			}
		}
		if topic != "" {
			return publish(ctx, tx, topic, out)
		}
		return nil
	})
	return out, err
}

// respondedTx records the first response on t when it has none: now, and
// the working time it took.
func respondedTx(ctx context.Context, tx *store.Tx, t Ticket) error {
	if t.FirstRespondedAt != nil {
		return nil
	}
	cal, err := Calendar(ctx, tx)
	if err != nil {
		return err
	}
	work := cal.Between(t.CreatedAt, tx.Now)
	_, err = tx.ExecContext(ctx, `UPDATE support_tickets SET first_responded_at = $1, first_response_work = $2 WHERE id = $3 AND first_responded_at IS NULL`,
		tx.Now, int64(work/time.Second), t.ID)
	if err != nil {
		return fmt.Errorf("support: first response on %d: %w", t.ID, err)
	}
	return nil
}

// Reply answers the customer as the agent by. The first reply stops the
// first-response timer; the ticket waits on the customer (pending) and
// goes to the replying agent when it had nobody. A customer who wrote by
// email, or a guest with an address, gets the reply by email with the
// ticket's token in the subject, so their answer threads back.
//
// Errors: CodeInvalid (422), CodeNotFound, CodeTicketClosed (409), or a
// database error.
func (s *Service) Reply(ctx context.Context, by audit.Actor, id platform.ID, body string) (Ticket, error) {
	body, err := checkBody(body)
	if err != nil {
		return Ticket{}, err
	}
	return s.change(ctx, by, id, "support.reply", TopicReplied, func(tx *store.Tx, t Ticket) error {
		if t.Status == Closed {
			return platform.E(CodeTicketClosed)
		}
		if _, err := addMessage(ctx, tx, Message{TicketID: id, Author: ByAgent, AuthorID: by.StaffID, AuthorName: by.Name, Via: t.Channel, Body: body}); err != nil {
			return err
		}
		if err := respondedTx(ctx, tx, t); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE support_tickets SET status = $1, assignee_id = COALESCE(assignee_id, $2), updated_at = $3 WHERE id = $4`,
			Pending, nullID(by.StaffID), tx.Now, id)
		if err != nil {
			return fmt.Errorf("support: reply on %d: %w", id, err)
		}
		if t.ContactEmail != "" && (t.Channel == Email || t.CustomerID == 0) {
			return sendMail(ctx, tx, s.queue(), t, mailMessage, mailData{Subject: replySubject(t), Body: body})
		}
		return nil
	})
}

// replySubject threads an email: the token in brackets comes back in
// the customer's "Re:".
func replySubject(t Ticket) string {
	return "Re: " + t.Subject + " [#" + t.ReplyToken + "]"
}

// Note adds an internal note the customer never sees.
//
// Errors: CodeInvalid (422), CodeNotFound, or a database error.
func (s *Service) Note(ctx context.Context, by audit.Actor, id platform.ID, body string) (Ticket, error) {
	body, err := checkBody(body)
	if err != nil {
		return Ticket{}, err
	}
	return s.change(ctx, by, id, "support.note", "", func(tx *store.Tx, t Ticket) error {
		_, err := addMessage(ctx, tx, Message{TicketID: id, Author: ByAgent, AuthorID: by.StaffID, AuthorName: by.Name, Via: t.Channel, Internal: true, Body: body})
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE support_tickets SET updated_at = $1 WHERE id = $2`, tx.Now, id)
		return err
	})
}

// CustomerReply adds the customer's message to their own ticket; a
// pending or resolved ticket opens again.
//
// Errors: CodeInvalid (422), CodeNotFound (not theirs), CodeTicketClosed
// (409), or a database error.
func (s *Service) CustomerReply(ctx context.Context, customerID, id platform.ID, body string) (Ticket, error) {
	body, err := checkBody(body)
	if err != nil {
		return Ticket{}, err
	}
	return s.change(ctx, audit.System, id, "", TopicReplied, func(tx *store.Tx, t Ticket) error {
		if t.CustomerID == 0 || t.CustomerID != customerID {
			return platform.NotFound("ticket")
		}
		return customerMessageTx(ctx, tx, t, Web, body)
	})
}

// customerMessageTx appends the customer's words and reopens the ticket.
func customerMessageTx(ctx context.Context, tx *store.Tx, t Ticket, via Channel, body string) error {
	if t.Status == Closed {
		return platform.E(CodeTicketClosed)
	}
	if _, err := addMessage(ctx, tx, Message{TicketID: t.ID, Author: ByCustomer, AuthorID: t.CustomerID, AuthorName: t.ContactName, Via: via, Body: body}); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE support_tickets SET status = $1, resolved_at = NULL, resolution_work = NULL, updated_at = $2 WHERE id = $3`,
		Open, tx.Now, t.ID)
	if err != nil {
		return fmt.Errorf("support: customer message on %d: %w", t.ID, err)
	}
	return nil
}

// Assign gives the ticket to an agent (0 leaves it to the team) and a
// team (0 keeps the agent's team).
//
// Errors: CodeNotFound, CodeNotAgent (422), or a database error.
func (s *Service) Assign(ctx context.Context, by audit.Actor, id, agentID, teamID platform.ID) (Ticket, error) {
	return s.change(ctx, by, id, "support.assign", "", func(tx *store.Tx, t Ticket) error {
		if agentID != 0 {
			team, err := activeAgent(ctx, tx, agentID)
			if err != nil {
				return err
			}
			if teamID == 0 {
				teamID = team
			}
		}
		if teamID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM support_teams WHERE id = $1`, teamID).Scan(&n); err != nil {
				return fmt.Errorf("support: read team %d: %w", teamID, err)
			}
			if n == 0 {
				return platform.Invalid("team_id", "field.invalid")
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE support_tickets SET assignee_id = $1, team_id = $2, updated_at = $3 WHERE id = $4`,
			nullID(agentID), nullID(teamID), tx.Now, id)
		return err
	})
}

// Classify records the type, priority and cause. A new priority moves
// the deadlines not yet met to its policy, counted from the opening.
//
// Errors: CodeInvalid (422), CodeNotFound, or a database error.
func (s *Service) Classify(ctx context.Context, by audit.Actor, id platform.ID, c Classify) (Ticket, error) {
	if err := c.Validate(); err != nil {
		return Ticket{}, err
	}
	return s.change(ctx, by, id, "support.classify", "", func(tx *store.Tx, t Ticket) error {
		if c.ProductID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM products WHERE id = $1`, c.ProductID).Scan(&n); err != nil {
				return fmt.Errorf("support: read product: %w", err)
			}
			if n == 0 {
				return platform.Invalid("product_id", "field.invalid")
			}
		}
		frDue, resDue := t.FirstResponseDue, t.ResolutionDue
		if c.Priority != t.Priority {
			cal, err := Calendar(ctx, tx)
			if err != nil {
				return err
			}
			ps, err := Policies(ctx, tx)
			if err != nil {
				return err
			}
			fr, res := deadlines(cal, policyOf(ps, c.Priority), t.CreatedAt)
			if t.FirstRespondedAt == nil {
				frDue = fr
			}
			if t.ResolvedAt == nil {
				resDue = res
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE support_tickets SET type = $1, priority = $2, cause = $3, product_id = $4, carrier = $5, policy = $6,
			first_response_due = $7, resolution_due = $8, updated_at = $9 WHERE id = $10`,
			c.Type, c.Priority, c.Cause, nullID(c.ProductID), c.Carrier, c.Policy, frDue, resDue, tx.Now, id)
		return err
	})
}

// Resolve marks the ticket solved: the resolution timer stops (and the
// first response, if nobody had answered), and the customer gets the
// satisfaction survey's link.
//
// Errors: CodeNotFound, CodeTicketClosed (409), or a database error.
func (s *Service) Resolve(ctx context.Context, by audit.Actor, id platform.ID) (Ticket, error) {
	return s.change(ctx, by, id, "support.resolve", TopicResolved, func(tx *store.Tx, t Ticket) error {
		if t.Status == Closed {
			return platform.E(CodeTicketClosed)
		}
		if t.Status == Resolved {
			return nil
		}
		if err := respondedTx(ctx, tx, t); err != nil {
			return err
		}
		cal, err := Calendar(ctx, tx)
		if err != nil {
			return err
		}
		csat := t.CSATToken
		if csat == "" {
			csat = token(20)
		}
		_, err = tx.ExecContext(ctx, `UPDATE support_tickets SET status = $1, resolved_at = $2, resolution_work = $3, csat_token = $4,
			assignee_id = COALESCE(assignee_id, $5), updated_at = $2 WHERE id = $6`,
			Resolved, tx.Now, int64(cal.Between(t.CreatedAt, tx.Now)/time.Second), csat, nullID(by.StaffID), id)
		if err != nil {
			return fmt.Errorf("support: resolve %d: %w", id, err)
		}
		if t.ContactEmail != "" {
			return sendMail(ctx, tx, s.queue(), t, mailSurvey, mailData{Subject: replySubject(t), Link: s.publicURL + "/support/survey/" + csat})
		}
		return nil
	})
}

// Close ends the ticket for good.
//
// Errors: CodeNotFound, or a database error.
func (s *Service) Close(ctx context.Context, by audit.Actor, id platform.ID) (Ticket, error) {
	return s.change(ctx, by, id, "support.close", "", func(tx *store.Tx, t Ticket) error {
		if t.Status == Closed {
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE support_tickets SET status = $1, closed_at = $2, updated_at = $2 WHERE id = $3`, Closed, tx.Now, id)
		return err
	})
}

// LinkOrder links an order to the ticket (the first becomes its order).
//
// Errors: CodeNotFound (no such order), or a database error.
func (s *Service) LinkOrder(ctx context.Context, by audit.Actor, id platform.ID, orderNo string) (Ticket, error) {
	orderNo = strings.TrimSpace(orderNo)
	return s.change(ctx, by, id, "support.link_order", "", func(tx *store.Tx, t Ticket) error {
		var orderID platform.ID
		err := tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE order_no = $1`, orderNo).Scan(&orderID)
		if errors.Is(err, sql.ErrNoRows) {
			return platform.NotFound("order")
		}
		if err != nil {
			return fmt.Errorf("support: read order %q: %w", orderNo, err)
		}
		if t.OrderID == 0 {
			_, err = tx.ExecContext(ctx, `UPDATE support_tickets SET order_id = $1, updated_at = $2 WHERE id = $3`, orderID, tx.Now, id)
			return err
		}
		if t.OrderID == orderID {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO support_ticket_orders (ticket_id, order_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, orderID)
		return err
	})
}

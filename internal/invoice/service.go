package invoice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"storeops/internal/audit"
	"storeops/internal/order"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service holds the invoice rules; its exported methods own their
// transactions.
type Service struct {
	db *store.DB
}

// NewService makes the service over db.
func NewService(db *store.DB) *Service { return &Service{db: db} }

const invoiceCols = `i.id, i.order_id, o.order_no, i.customer_id, i.title_type, i.title, i.tax_no, i.email, i.amount, i.status,
	i.invoice_no, i.issued_at, i.issued_by_name, i.reject_reason, i.created_at, i.updated_at`

const invoiceFrom = ` FROM invoice_requests i JOIN orders o ON o.id = i.order_id`

func scanInvoice(row interface{ Scan(...any) error }) (Invoice, error) {
	var (
		v        Invoice
		no       sql.NullString
		issuedAt sql.NullTime
	)
	err := row.Scan(&v.ID, &v.OrderID, &v.OrderNo, &v.CustomerID, &v.TitleType, &v.Title, &v.TaxNo, &v.Email, &v.Amount, &v.Status,
		&no, &issuedAt, &v.IssuedBy, &v.RejectReason, &v.CreatedAt, &v.UpdatedAt)
	if err != nil {
		return v, err
	}
	v.InvoiceNo = no.String
	if issuedAt.Valid {
		t := issuedAt.Time.UTC()
		v.IssuedAt = &t
	}
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	return v, nil
}

// ownOrder reads the customer's order for a request: its status and the
// amount an invoice would carry (total minus refunds). Someone else's
// order is not found, as if it did not exist.
func ownOrder(ctx context.Context, q store.Querier, customerID, orderID platform.ID) (order.Status, platform.Money, error) {
	var (
		st              order.Status
		total, refunded int64
	)
	err := q.QueryRowContext(ctx, `SELECT status, total, refunded_total FROM orders WHERE id = $1 AND customer_id = $2`, orderID, customerID).
		Scan(&st, &total, &refunded)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, platform.NotFound("order")
	}
	if err != nil {
		return "", 0, fmt.Errorf("invoice: read order %d: %w", orderID, err)
	}
	return st, platform.Money(total - refunded), nil
}

// lockOrder keeps the order from changing status until the request is
// committed, so a cancellation either comes first (and the request sees
// it) or waits and then cancels the new request in its hook. SQLite's
// write transactions are serial already.
func lockOrder(ctx context.Context, tx *store.Tx, orderID platform.ID) error {
	if tx.Dialect != store.Postgres {
		return nil
	}
	var id platform.ID
	err := tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE id = $1 FOR SHARE`, orderID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return platform.NotFound("order")
	}
	if err != nil {
		return fmt.Errorf("invoice: lock order %d: %w", orderID, err)
	}
	return nil
}

// eligible reports whether an order in st may get an invoice: paid or
// later, not cancelled.
func eligible(st order.Status) bool {
	return st.Valid() && st != order.PendingPayment && st != order.Cancelled
}

// latest is the order's newest request, or platform.NotFound("invoice").
func latest(ctx context.Context, q store.Querier, customerID, orderID platform.ID) (Invoice, error) {
	v, err := scanInvoice(q.QueryRowContext(ctx, `SELECT `+invoiceCols+invoiceFrom+`
		WHERE i.order_id = $1 AND i.customer_id = $2 ORDER BY i.created_at DESC, i.id DESC LIMIT 1`, orderID, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return Invoice{}, platform.NotFound("invoice")
	}
	if err != nil {
		return Invoice{}, fmt.Errorf("invoice: read order %d's request: %w", orderID, err)
	}
	return v, nil
}

func byID(ctx context.Context, q store.Querier, id platform.ID) (Invoice, error) {
	v, err := scanInvoice(q.QueryRowContext(ctx, `SELECT `+invoiceCols+invoiceFrom+` WHERE i.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Invoice{}, platform.NotFound("invoice")
	}
	if err != nil {
		return Invoice{}, fmt.Errorf("invoice: read %d: %w", id, err)
	}
	return v, nil
}

// Request records the customer's request for an invoice on their order.
//
// Errors: CodeInvalid (422, field errors), CodeNotFound (someone else's
// or no such order), CodeOrderNotEligible (409, unpaid, cancelled or
// refunded in full), CodeExists (409, a request is open or issued), or a
// database error.
func (s *Service) Request(ctx context.Context, customerID, orderID platform.ID, in Input) (Invoice, error) {
	if err := in.Validate(); err != nil {
		return Invoice{}, err
	}
	var id platform.ID
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := lockOrder(ctx, tx, orderID); err != nil {
			return err
		}
		st, amount, err := ownOrder(ctx, tx, customerID, orderID)
		if err != nil {
			return err
		}
		if !eligible(st) || amount <= 0 {
			return platform.E(CodeOrderNotEligible)
		}
		id = tx.NewID()
		_, err = tx.ExecContext(ctx, `INSERT INTO invoice_requests (id, order_id, customer_id, title_type, title, tax_no, email, amount, status, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
			id, orderID, customerID, in.TitleType, in.Title, in.TaxNo, in.Email, amount, Requested, tx.Now)
		if store.IsUniqueViolation(err) {
			return platform.E(CodeExists)
		}
		if err != nil {
			return fmt.Errorf("invoice: request on order %d: %w", orderID, err)
		}
		return nil
	})
	if err != nil {
		return Invoice{}, err
	}
	return byID(ctx, s.db.R, id)
}

// ForOrder is the customer's newest request on their order.
//
// Errors: CodeNotFound (no such order of theirs, or no request yet).
func (s *Service) ForOrder(ctx context.Context, customerID, orderID platform.ID) (Invoice, error) {
	if _, _, err := ownOrder(ctx, s.db.R, customerID, orderID); err != nil {
		return Invoice{}, err
	}
	return latest(ctx, s.db.R, customerID, orderID)
}

// Update changes the title of the customer's request while it waits.
//
// Errors: CodeInvalid (422), CodeNotFound (no such order of theirs, or
// no request), CodeNotPending (409, already issued, rejected or
// cancelled), or a database error.
func (s *Service) Update(ctx context.Context, customerID, orderID platform.ID, in Input) (Invoice, error) {
	if err := in.Validate(); err != nil {
		return Invoice{}, err
	}
	var id platform.ID
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if _, _, err := ownOrder(ctx, tx, customerID, orderID); err != nil {
			return err
		}
		cur, err := latest(ctx, tx, customerID, orderID)
		if err != nil {
			return err
		}
		id = cur.ID
		res, err := tx.ExecContext(ctx, `UPDATE invoice_requests SET title_type = $1, title = $2, tax_no = $3, email = $4, updated_at = $5
			WHERE id = $6 AND status = $7`, in.TitleType, in.Title, in.TaxNo, in.Email, tx.Now, cur.ID, Requested)
		if err != nil {
			return fmt.Errorf("invoice: update %d: %w", cur.ID, err)
		}
		return onePending(res)
	})
	if err != nil {
		return Invoice{}, err
	}
	return byID(ctx, s.db.R, id)
}

// onePending turns a conditional UPDATE on status 'requested' that
// matched nothing into CodeNotPending.
func onePending(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("invoice: %w", err)
	}
	if n != 1 {
		return platform.E(CodeNotPending)
	}
	return nil
}

// Get is one request by id (console).
func (s *Service) Get(ctx context.Context, id platform.ID) (Invoice, error) {
	return byID(ctx, s.db.R, id)
}

// Issue records that the invoice was made with number in.InvoiceNo,
// audited as by.
//
// Errors: CodeInvalid (422), CodeNotFound, CodeNotPending (409),
// CodeNumberTaken (409), or a database error.
func (s *Service) Issue(ctx context.Context, by audit.Actor, id platform.ID, in IssueInput) (Invoice, error) {
	if err := in.Validate(); err != nil {
		return Invoice{}, err
	}
	var out Invoice
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		before, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		var staffID *int64
		if by.StaffID != 0 {
			v := int64(by.StaffID)
			staffID = &v
		}
		res, err := tx.ExecContext(ctx, `UPDATE invoice_requests SET status = $1, invoice_no = $2, issued_by = $3, issued_by_name = $4,
			issued_at = $5, updated_at = $5 WHERE id = $6 AND status = $7`, Issued, in.InvoiceNo, staffID, by.Name, tx.Now, id, Requested)
		if store.IsUniqueViolation(err) {
			return platform.E(CodeNumberTaken)
		}
		if err != nil {
			return fmt.Errorf("invoice: issue %d: %w", id, err)
		}
		if err := onePending(res); err != nil {
			return err
		}
		if out, err = byID(ctx, tx, id); err != nil {
			return err
		}
		if err := audit.Change(ctx, tx, by, "invoice.issue", "invoice_request", id, before, out); err != nil {
			return err
		}
		return publish(ctx, tx, TopicIssued, out)
	})
	return out, err
}

// Reject refuses the request with a reason the shopper sees, audited as
// by.
//
// Errors: CodeInvalid (422), CodeNotFound, CodeNotPending (409), or a
// database error.
func (s *Service) Reject(ctx context.Context, by audit.Actor, id platform.ID, reason string) (Invoice, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return Invoice{}, err
	}
	var out Invoice
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		before, err := byID(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE invoice_requests SET status = $1, reject_reason = $2, updated_at = $3 WHERE id = $4 AND status = $5`,
			Rejected, reason, tx.Now, id, Requested)
		if err != nil {
			return fmt.Errorf("invoice: reject %d: %w", id, err)
		}
		if err := onePending(res); err != nil {
			return err
		}
		if out, err = byID(ctx, tx, id); err != nil {
			return err
		}
		if err := audit.Change(ctx, tx, by, "invoice.reject", "invoice_request", id, before, out); err != nil {
			return err
		}
		return publish(ctx, tx, TopicRejected, out)
	})
	return out, err
}

// The outbox topics of staff decisions, with the request as payload, so
// a notifier can tell the shopper (by the e-invoice email or a message)
// without the console waiting for it.
const (
	TopicIssued   = "invoice.issued"
	TopicRejected = "invoice.rejected"
)

func publish(ctx context.Context, tx *store.Tx, topic string, v Invoice) error {
	payload, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("invoice: event of %d: %w", v.ID, err)
	}
	return outbox.Publish(ctx, tx, outbox.Event{Topic: topic, Key: v.ID.String(), Payload: payload})
}

// cancelWithOrder is the order hook: when an order is cancelled, its
// waiting request is cancelled in the same transaction. An invoice
// already issued stays as it is (reversing it is a red-letter invoice,
// made in the tax system).
func cancelWithOrder(ctx context.Context, tx *store.Tx, ch order.Change) error {
	if ch.To != order.Cancelled {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE invoice_requests SET status = $1, updated_at = $2 WHERE order_id = $3 AND status = $4`,
		Cancelled, tx.Now, ch.OrderID, Requested)
	if err != nil {
		return fmt.Errorf("invoice: cancel with order %d: %w", ch.OrderID, err)
	}
	return nil
}

package returns

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"storeops/internal/audit"
	"storeops/internal/media"
	"storeops/internal/order"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service holds the after-sale rules; its exported methods own their
// transactions.
type Service struct {
	db     *store.DB
	orders *order.Service
	photos *media.Service
}

// NewService makes the service over db.
func NewService(db *store.DB) *Service {
	return &Service{db: db, orders: order.NewService(db), photos: media.NewService(media.NewDBStore(db, photoTable, "return_id"), media.Config{})}
}

// TopicStatusChanged is the outbox topic of every step, with a Change as
// payload, so notifications and the service desk follow requests without
// the caller waiting.
const TopicStatusChanged = "returns.status_changed"

// Change is one step as the outbox carries it.
type Change struct {
	ReturnID platform.ID    `json:"return_id"`
	RMANo    string         `json:"rma_no"`
	OrderID  platform.ID    `json:"order_id"`
	Kind     Kind           `json:"kind"`
	From     Status         `json:"from,omitempty"`
	To       Status         `json:"to"`
	Reason   Reason         `json:"reason"`
	Amount   platform.Money `json:"refund_amount"`
	At       time.Time      `json:"at"`
}

// step finishes a change inside tx: the order's timeline note, the audit
// entry and the outbox event.
func step(ctx context.Context, tx *store.Tx, by audit.Actor, action string, before *Return, after Return, note string) error {
	if note != "" {
		if _, err := order.AddNoteTx(ctx, tx, by, after.OrderID, note); err != nil {
			return err
		}
	}
	var b any
	var from Status
	if before != nil {
		b, from = before, before.Status
	}
	if err := audit.Change(ctx, tx, by, action, "return", after.ID, b, after); err != nil {
		return err
	}
	payload, err := json.Marshal(Change{ReturnID: after.ID, RMANo: after.RMANo, OrderID: after.OrderID, Kind: after.Kind,
		From: from, To: after.Status, Reason: after.Reason, Amount: after.Amount, At: tx.Now})
	if err != nil {
		return fmt.Errorf("returns: event of %d: %w", after.ID, err)
	}
	return outbox.Publish(ctx, tx, outbox.Event{Topic: TopicStatusChanged, Key: after.ID.String(), Payload: payload})
}

// lockOrder serialises requests on one order on PostgreSQL (two requests
// for the same line must not both pass the quantity check); SQLite's
// write transactions are serial already.
func lockOrder(ctx context.Context, tx *store.Tx, orderID platform.ID) error {
	if tx.Dialect != store.Postgres {
		return nil
	}
	var id platform.ID
	err := tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE id = $1 FOR UPDATE`, orderID).Scan(&id)
	return store.NotFound(err, "order")
}

// orderInfo is what a request needs of its order.
type orderInfo struct {
	no          string
	status      order.Status
	customerID  platform.ID
	deliveredAt sql.NullTime
	province    string
}

func readOrder(ctx context.Context, q store.Querier, orderID platform.ID) (orderInfo, error) {
	var o orderInfo
	err := q.QueryRowContext(ctx, `SELECT order_no, status, customer_id, delivered_at, province_code FROM orders WHERE id = $1`, orderID).
		Scan(&o.no, &o.status, &o.customerID, &o.deliveredAt, &o.province)
	if err != nil {
		return o, store.NotFound(err, "order")
	}
	return o, nil
}

// windowDays is the after-sale window in days, for messages.
var windowDays = int(order.AfterSaleWindow / (24 * time.Hour))

// eligible checks the order may take a request of kind at now: delivered
// (a refund only also while shipped) and within the after-sale window.
func eligible(o orderInfo, kind Kind, now time.Time) error {
	switch o.status {
	case order.Delivered, order.Completed, order.AfterSale:
	case order.Shipped:
		if kind != KindRefundOnly {
			return platform.E(CodeNotDelivered)
		}
		return nil
	default:
		return platform.E(CodeNotDelivered)
	}
	if !o.deliveredAt.Valid {
		if kind == KindRefundOnly {
			return nil
		}
		return platform.E(CodeNotDelivered)
	}
	if now.Sub(o.deliveredAt.Time) > order.AfterSaleWindow {
		return platform.Errorf(CodeWindowClosed, "", windowDays)
	}
	return nil
}

// orderLine is an order line with what other requests already claim.
type orderLine struct {
	id, sku, product platform.ID
	title            string
	qty              int
	total, refunded  int64
	claimed          int
}

// claimedSQL counts a line's units in requests that still stand, but
// the one whose id is the placeholder except: open ones by what they
// ask, finished ones by what inspection accepted.
func claimedSQL(except string) string {
	return `COALESCE((SELECT SUM(CASE WHEN r.status IN ('refunded', 'exchanged') THEN rl.accepted_qty ELSE rl.qty END)
	FROM return_lines rl JOIN returns r ON r.id = rl.return_id
	WHERE rl.order_line_id = l.id AND r.status NOT IN ('rejected', 'cancelled') AND r.id <> ` + except + `), 0)`
}

func readLine(ctx context.Context, q store.Querier, orderID, lineID, except platform.ID) (orderLine, error) {
	var l orderLine
	err := q.QueryRowContext(ctx, `SELECT l.id, l.sku_id, l.product_id, l.title, l.quantity, l.line_total, l.refunded, `+claimedSQL("$3")+`
		FROM order_lines l WHERE l.id = $1 AND l.order_id = $2`, lineID, orderID, except).
		Scan(&l.id, &l.sku, &l.product, &l.title, &l.qty, &l.total, &l.refunded, &l.claimed)
	return l, err
}

// share is the exact refund of k more units of a line after the units
// other requests claim: the line total spread over its units so that
// every unit returned adds up to the line total, never more than is left
// unrefunded.
func (l orderLine) share(k int) platform.Money {
	if l.qty <= 0 || k <= 0 {
		return 0
	}
	amount := l.total*int64(l.claimed+k)/int64(l.qty) - l.total*int64(l.claimed)/int64(l.qty)
	return platform.Money(max(0, min(amount, l.total-l.refunded)))
}

// Request records the customer's request on their order.
//
// Photos (at most six) are checked and stored with the request.
//
// Errors: CodeInvalid (422, field errors, a line not on the order or an
// exchange SKU of another product), media's image codes, CodeNotFound (no such order of
// theirs), CodeNotDelivered, CodeWindowClosed, CodeQtyExceeds (409), or a
// database error.
func (s *Service) Request(ctx context.Context, customerID, orderID platform.ID, in RequestInput, photos ...[]byte) (Return, error) {
	if err := in.Validate(); err != nil {
		return Return{}, err
	}
	ups, err := s.prepare(photos)
	if err != nil {
		return Return{}, err
	}
	var out Return
	by := audit.Actor{Kind: audit.KindCustomer, Name: "customer:" + customerID.String()}
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := lockOrder(ctx, tx, orderID); err != nil {
			return err
		}
		o, err := readOrder(ctx, tx, orderID)
		if err != nil {
			return err
		}
		if o.customerID != customerID {
			return platform.NotFound("order")
		}
		if err := eligible(o, in.Kind, tx.Now); err != nil {
			return err
		}
		id := tx.NewID()
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM returns WHERE order_id = $1`, orderID).Scan(&n); err != nil {
			return fmt.Errorf("returns: count: %w", err)
		}
		rmaNo := fmt.Sprintf("R%s-%d", o.no, n+1)
		var total platform.Money
		type row struct {
			l      orderLine
			qty    int
			amount platform.Money
			ex     any
		}
		var rows []row
		for i, li := range in.Lines {
			l, err := readLine(ctx, tx, orderID, li.OrderLineID, 0)
			if errors.Is(err, sql.ErrNoRows) {
				return platform.Invalid(fmt.Sprintf("lines[%d].order_line_id", i), "field.invalid")
			}
			if err != nil {
				return fmt.Errorf("returns: line %d: %w", li.OrderLineID, err)
			}
			if left := l.qty - l.claimed; li.Qty > left {
				return platform.Errorf(CodeQtyExceeds, "", l.title, max(left, 0))
			}
			var ex any
			if li.ExchangeSKUID != 0 {
				var one int
				err := tx.QueryRowContext(ctx, `SELECT 1 FROM skus WHERE id = $1 AND product_id = $2`, li.ExchangeSKUID, l.product).Scan(&one)
				if errors.Is(err, sql.ErrNoRows) {
					return platform.Invalid(fmt.Sprintf("lines[%d].exchange_sku_id", i), "field.invalid")
				}
				if err != nil {
					return err
				}
				ex = li.ExchangeSKUID
			}
			amount := platform.Money(0)
			if in.Kind != KindExchange {
				amount = l.share(li.Qty)
			}
			total += amount
			rows = append(rows, row{l, li.Qty, amount, ex})
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO returns (id, rma_no, order_id, customer_id, kind, status, reason, description, refund_amount, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
			id, rmaNo, orderID, customerID, in.Kind, Requested, in.Reason, in.Description, total, tx.Now); err != nil {
			return fmt.Errorf("returns: request on order %d: %w", orderID, err)
		}
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, `INSERT INTO return_lines (return_id, order_line_id, sku_id, product_id, qty, amount, exchange_sku_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, r.l.id, r.l.sku, r.l.product, r.qty, r.amount, r.ex); err != nil {
				return fmt.Errorf("returns: request line: %w", err)
			}
		}
		if err := s.savePhotos(ctx, tx, id, ups); err != nil {
			return err
		}
		if out, err = byID(ctx, tx, id); err != nil {
			return err
		}
		why := fmt.Sprintf("申请售后 %s：%s", rmaNo, reasonZH(in.Kind, in.Reason))
		note := why
		if o.status == order.Delivered || o.status == order.Completed {
			// The order enters after-sale: its timeline shows the request.
			if _, err := order.Transition(ctx, tx, orderID, order.AfterSale, order.Customer(customerID), why); err != nil {
				return err
			}
			note = ""
		}
		return step(ctx, tx, by, "returns.request", nil, out, note)
	})
	return out, err
}

// reasonZH is the kind and reason in Chinese, for the order's timeline
// (which staff read in the shop's language).
func reasonZH(k Kind, r Reason) string {
	return platform.T(platform.ZH, k.Label()) + "，" + platform.T(platform.ZH, r.Label())
}

// Get is one request by id (console and staff API).
func (s *Service) Get(ctx context.Context, id platform.ID) (Return, error) {
	return byID(ctx, s.db.R, id)
}

// ForCustomer is one of the customer's requests; someone else's is not
// found, as if it did not exist.
func (s *Service) ForCustomer(ctx context.Context, customerID, id platform.ID) (Return, error) {
	v, err := byID(ctx, s.db.R, id)
	if err != nil {
		return Return{}, err
	}
	if v.CustomerID != customerID {
		return Return{}, platform.NotFound("return")
	}
	return v, nil
}

// ForOrder lists the customer's requests on their order, newest first.
//
// Errors: CodeNotFound (no such order of theirs), database errors.
func (s *Service) ForOrder(ctx context.Context, customerID, orderID platform.ID) ([]Return, error) {
	o, err := readOrder(ctx, s.db.R, orderID)
	if err != nil {
		return nil, err
	}
	if o.customerID != customerID {
		return nil, platform.NotFound("order")
	}
	page, err := List(ctx, s.db.R, Filter{OrderID: orderID, CustomerID: customerID, Page: platform.PageRequest{Limit: platform.MaxPageSize}})
	return page.Items, err
}

// move changes id from one of from to to with the extra SET clause,
// conditionally, and returns the request before and after. A request no
// longer in from is CodeStatus (409) naming where it is.
func move(ctx context.Context, tx *store.Tx, id platform.ID, to Status, check func(Return) error, set string, args ...any) (Return, Return, error) {
	before, err := byID(ctx, tx, id)
	if err != nil {
		return Return{}, Return{}, err
	}
	if err := check(before); err != nil {
		return Return{}, Return{}, err
	}
	q := `UPDATE returns SET status = $1, updated_at = $2`
	if set != "" {
		q += ", " + set
	}
	all := append([]any{to, tx.Now}, args...)
	all = append(all, id, before.Status)
	q += fmt.Sprintf(" WHERE id = $%d AND status = $%d", len(all)-1, len(all))
	res, err := tx.ExecContext(ctx, q, all...)
	if err != nil {
		return Return{}, Return{}, fmt.Errorf("returns: %s %d: %w", to, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return Return{}, Return{}, err
	} else if n != 1 {
		return Return{}, Return{}, statusErr(before.Status)
	}
	after, err := byID(ctx, tx, id)
	return before, after, err
}

func statusErr(st Status) error {
	return platform.Errorf(CodeStatus, "", platform.Key(st.Label()))
}

// in checks a request stands in one of sts.
func in(sts ...Status) func(Return) error {
	return func(r Return) error {
		for _, s := range sts {
			if r.Status == s {
				return nil
			}
		}
		return statusErr(r.Status)
	}
}

// closeOrder ends the order's after-sale state once its last open
// request is final, so the timeline shows the case closed.
func closeOrder(ctx context.Context, tx *store.Tx, r Return, actor order.Actor, why string) error {
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM returns WHERE order_id = $1 AND status NOT IN ('rejected', 'cancelled', 'refunded', 'exchanged')`,
		r.OrderID).Scan(&open); err != nil {
		return fmt.Errorf("returns: open requests: %w", err)
	}
	var st order.Status
	if err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = $1`, r.OrderID).Scan(&st); err != nil {
		return store.NotFound(err, "order")
	}
	if open > 0 || st != order.AfterSale {
		return nil
	}
	_, err := order.Transition(ctx, tx, r.OrderID, order.Completed, actor, why)
	return err
}

package payment

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Service is the payment domain's entry point.
type Service struct {
	db     *store.DB
	orders Orders
	log    *slog.Logger

	mu        sync.RWMutex
	providers map[string]Provider
}

// Config sets up a Service.
type Config struct {
	DB *store.DB
	// Orders moves orders (default TableOrders).
	Orders Orders
	// Providers are the ways to pay, by name; cash on delivery and bank
	// transfer are always there.
	Providers []Provider
	Log       *slog.Logger
}

// New makes a service.
func New(cfg Config) *Service {
	if cfg.Orders == nil {
		cfg.Orders = TableOrders{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Service{db: cfg.DB, orders: cfg.Orders, log: cfg.Log, providers: map[string]Provider{}}
	s.AddProvider(CODProvider{})
	s.AddProvider(BankProvider{})
	for _, p := range cfg.Providers {
		s.AddProvider(p)
	}
	return s
}

// AddProvider adds or replaces a provider.
func (s *Service) AddProvider(p Provider) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.providers[p.Name()] = p
}

// Provider finds a provider by name. Errors: CodeUnknownProvider.
func (s *Service) Provider(name string) (Provider, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if p, ok := s.providers[name]; ok {
		return p, nil
	}
	return nil, platform.E(CodeUnknownProvider)
}

// providerOf is the provider of a stored payment: offline methods by
// method (the demo names the carrier or bank), online ones by name.
func (s *Service) providerOf(p Payment) (Provider, error) {
	switch p.Method {
	case COD:
		return s.Provider(CODProvider{}.Name())
	case BankTransfer:
		return s.Provider(BankProvider{}.Name())
	}
	return s.Provider(p.Provider)
}

const paymentCols = `id, order_id, method, provider, amount, currency, status, external_ref, captured_at, created_at`

func scanPayment(row interface{ Scan(...any) error }) (Payment, error) {
	var p Payment
	var captured sql.NullTime
	err := row.Scan(&p.ID, &p.OrderID, &p.Method, &p.Provider, &p.Amount, &p.Currency, &p.Status, &p.ExternalRef, &captured, &p.CreatedAt)
	if captured.Valid {
		t := captured.Time.UTC()
		p.CapturedAt = &t
	}
	p.CreatedAt = p.CreatedAt.UTC()
	return p, err
}

func getPayment(ctx context.Context, q store.Querier, id platform.ID) (Payment, error) {
	p, err := scanPayment(q.QueryRowContext(ctx, `SELECT `+paymentCols+` FROM payments WHERE id = $1`, id))
	return p, store.NotFound(err, "payment")
}

// Payment reads one payment. Errors: not found.
func (s *Service) Payment(ctx context.Context, id platform.ID) (Payment, error) {
	return getPayment(ctx, s.db.R, id)
}

// OrderPayments lists an order's payments, oldest first.
func (s *Service) OrderPayments(ctx context.Context, orderID platform.ID) ([]Payment, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+paymentCols+` FROM payments WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("payment: list: %w", err)
	}
	defer rows.Close()
	var out []Payment
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// StartInput asks to pay an order.
type StartInput struct {
	OrderID  platform.ID
	Provider string
	// CustomerID, when set, must own the order.
	CustomerID platform.ID
	NotifyURL  string
	ReturnURL  string
}

// Started is a payment and where the shopper goes next.
type Started struct {
	Payment Payment `json:"payment"`
	StartResult
}

// Start opens a payment for an order waiting for payment. A pending
// payment of the same provider is reused, so pressing "pay" twice opens
// one charge, not two. Errors: not found (also someone else's order),
// CodeNotPayable, CodeUnknownProvider, CodeProviderUnavailable.
func (s *Service) Start(ctx context.Context, in StartInput) (Started, error) {
	prov, err := s.Provider(in.Provider)
	if err != nil {
		return Started{}, err
	}
	var p Payment
	var orderNo string
	err = s.db.WriteSerializable(ctx, func(tx *store.Tx) error {
		var status string
		var customer platform.ID
		var total platform.Money
		err := tx.QueryRowContext(ctx, `SELECT order_no, status, customer_id, total FROM orders WHERE id = $1`, in.OrderID).Scan(&orderNo, &status, &customer, &total)
		if err != nil || (in.CustomerID != 0 && customer != in.CustomerID) {
			return store.NotFound(sqlNoRows(err), "order")
		}
		if status != "pending_payment" {
			return platform.E(CodeNotPayable)
		}
		p, err = scanPayment(tx.QueryRowContext(ctx, `SELECT `+paymentCols+` FROM payments WHERE order_id = $1 AND provider = $2 AND status = 'pending' ORDER BY id LIMIT 1`, in.OrderID, prov.Name()))
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		p = Payment{ID: tx.NewID(), OrderID: in.OrderID, Method: prov.Method(), Provider: prov.Name(), Amount: total,
			Currency: DefaultCurrency, Status: Pending, CreatedAt: tx.Now}
		_, err = tx.ExecContext(ctx, `INSERT INTO payments (id, order_id, method, provider, amount, currency, status, external_ref, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8)`, p.ID, p.OrderID, p.Method, p.Provider, p.Amount, p.Currency, p.Status, p.CreatedAt)
		return err
	})
	if err != nil {
		return Started{}, err
	}
	res, err := prov.Start(ctx, StartRequest{Payment: p, OrderNo: orderNo, Subject: "订单 " + orderNo, NotifyURL: in.NotifyURL, ReturnURL: in.ReturnURL})
	if err != nil {
		return Started{Payment: p}, err
	}
	return Started{Payment: p, StartResult: res}, nil
}

// sqlNoRows turns a nil error (a row of someone else) into ErrNoRows.
func sqlNoRows(err error) error {
	if err == nil {
		return sql.ErrNoRows
	}
	return err
}

// Sync asks the provider where a pending payment stands and applies the
// answer (a shopper back from the pay page before the notification, or
// the sweep of old pending payments). Errors: not found,
// CodeProviderUnavailable, CodeAmountMismatch.
func (s *Service) Sync(ctx context.Context, id platform.ID) (Payment, error) {
	p, err := getPayment(ctx, s.db.R, id)
	if err != nil || p.Status == Captured {
		return p, err
	}
	prov, err := s.providerOf(p)
	if err != nil {
		return p, err
	}
	n, err := prov.Query(ctx, p)
	if err != nil {
		return p, err
	}
	if n.Kind == NoticeCaptured || n.Kind == NoticeClosed {
		n.PaymentID = p.ID
		if err := s.db.Write(ctx, func(tx *store.Tx) error { _, err := s.apply(ctx, tx, prov.Name(), n); return err }); err != nil {
			return p, err
		}
	}
	return getPayment(ctx, s.db.R, id)
}

// capture marks payment p captured for amount and currency, once, and
// tells the order. It reports whether this call captured it (false: it
// already was). Errors: not found, CodeAmountMismatch.
func (s *Service) capture(ctx context.Context, tx *store.Tx, id platform.ID, amount platform.Money, currency, ref, actor, confirmedBy string) (bool, error) {
	p, err := getPayment(ctx, tx, id)
	if err != nil {
		return false, err
	}
	if p.Amount != amount || p.Currency != currency {
		return false, platform.E(CodeAmountMismatch)
	}
	// One conditional update: of two concurrent captures, the second
	// waits for the first's row lock (PostgreSQL) or the writer (SQLite)
	// and then matches nothing.
	res, err := tx.ExecContext(ctx, `UPDATE payments SET status = 'captured', captured_at = $1,
		external_ref = CASE WHEN CAST($2 AS TEXT) = '' THEN external_ref ELSE CAST($2 AS TEXT) END, confirmed_by = $3 WHERE id = $4 AND status <> 'captured'`,
		tx.Now, ref, confirmedBy, id)
	if err != nil {
		return false, fmt.Errorf("payment: capture: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	moved, err := s.orders.Paid(ctx, tx, p.OrderID, p.ID, actor)
	if err != nil {
		return false, err
	}
	if !moved {
		s.log.WarnContext(ctx, "payment captured for an order that was not waiting for it", "payment", p.ID, "order", p.OrderID)
	}
	payload, _ := json.Marshal(map[string]any{"payment_id": p.ID, "order_id": p.OrderID, "amount": p.Amount,
		"method": p.Method, "provider": p.Provider, "order_moved": moved})
	return true, outbox.Publish(ctx, tx, outbox.Event{Topic: "payment.captured", Key: p.OrderID.String(), Payload: payload})
}

// cancel closes a pending payment; a captured one stays captured.
func cancel(ctx context.Context, tx *store.Tx, id platform.ID) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE payments SET status = 'cancelled' WHERE id = $1 AND status = 'pending'`, id)
	if err != nil {
		return false, fmt.Errorf("payment: cancel: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// nonceKeep is how long nonces are kept: the signature window on both
// sides, with a margin.
const nonceKeep = 15 * time.Minute

// OnlineProvider names the provider online orders are paid through: the
// first online one by name, "" when the shop has none (a real shop
// without a gateway configured; the sandbox only runs in development).
func (s *Service) OnlineProvider() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	best := ""
	for name, p := range s.providers {
		if p.Method() == Online && (best == "" || name < best) {
			best = name
		}
	}
	return best
}

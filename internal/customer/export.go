package customer

import (
	"context"
	"fmt"
	"sort"
	"time"

	"storeops/internal/mail"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// ExportSection reads one domain's data about a customer for the
// customer's data export (tickets, points, returns…).
type ExportSection func(ctx context.Context, q store.Querier, customerID platform.ID) (any, error)

var exportSections = map[string]ExportSection{}

// RegisterExport adds a section to every data export under name.
func RegisterExport(name string, fn ExportSection) {
	hookMu.Lock()
	defer hookMu.Unlock()
	exportSections[name] = fn
}

// Export is everything the shop holds about a customer, as they download
// it (PIPL's right of access and portability).
type Export struct {
	GeneratedAt time.Time       `json:"generated_at"`
	Profile     *Profile        `json:"profile"`
	Addresses   []Address       `json:"addresses"`
	Consents    []ConsentRecord `json:"consent_history"`
	Sessions    []ExportSession `json:"sessions"`
	Orders      []ExportOrder   `json:"orders"`
	Emails      []mail.Stored   `json:"emails"`
	More        map[string]any  `json:"more,omitempty"`
}

// ConsentRecord is one consent change.
type ConsentRecord struct {
	Channel string    `json:"channel"`
	Granted bool      `json:"granted"`
	Source  string    `json:"source"`
	At      time.Time `json:"at"`
}

// ExportSession is a signed-in device.
type ExportSession struct {
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
}

// ExportOrder is an order with its lines.
type ExportOrder struct {
	OrderNo  string         `json:"order_no"`
	Status   string         `json:"status"`
	Total    platform.Money `json:"total"`
	Refunded platform.Money `json:"refunded"`
	Province string         `json:"province"`
	City     string         `json:"city"`
	PlacedAt time.Time      `json:"placed_at"`
	Lines    []ExportLine   `json:"lines"`
}

// ExportLine is one order line.
type ExportLine struct {
	Title     string         `json:"title"`
	Spec      string         `json:"spec,omitempty"`
	Quantity  int            `json:"quantity"`
	UnitPrice platform.Money `json:"unit_price"`
	LineTotal platform.Money `json:"line_total"`
}

// maxExportRows bounds each list in an export.
const maxExportRows = 10000

// Export gathers the customer's data in one read transaction.
//
// Errors: CodeNotFound for a deleted account.
func (s *Service) Export(ctx context.Context, id platform.ID) (*Export, error) {
	p, err := s.Profile(ctx, id)
	if err != nil {
		return nil, err
	}
	x := &Export{GeneratedAt: s.db.Now(), Profile: p, Addresses: []Address{}, Consents: []ConsentRecord{}, Sessions: []ExportSession{},
		Orders: []ExportOrder{}, Emails: []mail.Stored{}}
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		addrs, err := s.Addresses(ctx, id, platform.PageRequest{Limit: platform.MaxPageSize})
		if err != nil {
			return err
		}
		x.Addresses = append(x.Addresses, addrs.Items...)
		if err := collect(ctx, tx, `SELECT channel, granted, source, created_at FROM customer_consents WHERE customer_id = $1 ORDER BY id`, id,
			func(scan func(...any) error) error {
				var c ConsentRecord
				err := scan(&c.Channel, &c.Granted, &c.Source, &c.At)
				c.At = c.At.UTC()
				x.Consents = append(x.Consents, c)
				return err
			}); err != nil {
			return err
		}
		if err := collect(ctx, tx, `SELECT created_at, last_seen_at, ip, user_agent FROM customer_sessions WHERE customer_id = $1 ORDER BY created_at`, id,
			func(scan func(...any) error) error {
				var v ExportSession
				err := scan(&v.CreatedAt, &v.LastSeenAt, &v.IP, &v.UserAgent)
				v.CreatedAt, v.LastSeenAt = v.CreatedAt.UTC(), v.LastSeenAt.UTC()
				x.Sessions = append(x.Sessions, v)
				return err
			}); err != nil {
			return err
		}
		orderIDs := map[platform.ID]int{}
		if err := collect(ctx, tx, `SELECT id, order_no, status, total, refunded_total, province, city, placed_at FROM orders
			WHERE customer_id = $1 ORDER BY placed_at, id`, id,
			func(scan func(...any) error) error {
				var o ExportOrder
				var oid platform.ID
				err := scan(&oid, &o.OrderNo, &o.Status, &o.Total, &o.Refunded, &o.Province, &o.City, &o.PlacedAt)
				o.PlacedAt, o.Lines = o.PlacedAt.UTC(), []ExportLine{}
				orderIDs[oid] = len(x.Orders)
				x.Orders = append(x.Orders, o)
				return err
			}); err != nil {
			return err
		}
		if err := collect(ctx, tx, `SELECT l.order_id, l.title, l.spec_text, l.quantity, l.unit_price, l.line_total FROM order_lines l
			JOIN orders o ON o.id = l.order_id WHERE o.customer_id = $1 ORDER BY l.id`, id,
			func(scan func(...any) error) error {
				var l ExportLine
				var oid platform.ID
				err := scan(&oid, &l.Title, &l.Spec, &l.Quantity, &l.UnitPrice, &l.LineTotal)
				if i, ok := orderIDs[oid]; ok {
					x.Orders[i].Lines = append(x.Orders[i].Lines, l)
				}
				return err
			}); err != nil {
			return err
		}
		emails, err := mail.List(ctx, tx, mail.Filter{CustomerID: id, Page: platform.PageRequest{Limit: platform.MaxPageSize}})
		if err != nil {
			return err
		}
		x.Emails = append(x.Emails, emails.Items...)
		hookMu.Lock()
		names := make([]string, 0, len(exportSections))
		for n := range exportSections {
			names = append(names, n)
		}
		sections := exportSections
		hookMu.Unlock()
		sort.Strings(names)
		for _, n := range names {
			v, err := sections[n](ctx, tx, id)
			if err != nil {
				return fmt.Errorf("export section %s: %w", n, err)
			}
			if x.More == nil {
				x.More = map[string]any{}
			}
			x.More[n] = v
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("customer: export: %w", err)
	}
	return x, nil
}

// collect runs a query for one customer and hands each row to add.
func collect(ctx context.Context, tx *store.Tx, query string, id platform.ID, add func(scan func(...any) error) error) error {
	rows, err := tx.QueryContext(ctx, query+fmt.Sprintf(" LIMIT %d", maxExportRows), id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := add(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

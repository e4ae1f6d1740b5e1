package invoice_test

import (
	"context"
	"testing"
	"time"

	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// seedOrder inserts an order of customerID in status st: total ¥196,
// ¥6 of it refunded.
func seedOrder(t *testing.T, db *store.DB, customerID platform.ID, st order.Status) (platform.ID, string) {
	t.Helper()
	ctx := context.Background()
	var id platform.ID
	var no string
	err := db.Write(ctx, func(tx *store.Tx) error {
		placed := store.Time(tx.Now.Add(-time.Hour))
		var err error
		if no, err = order.NewOrderNo(ctx, tx, placed); err != nil {
			return err
		}
		id = tx.NewID()
		var paid any
		if st != order.PendingPayment && st != order.Cancelled {
			paid = placed.Add(time.Minute)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, refunded_total, item_count,
			placed_at, paid_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 19600, 19600, 600, 1, $5, $6, $5, $5)`,
			id, no, customerID, st, placed, paid)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, no
}

func invoicePath(orderID platform.ID) string {
	return "/api/v1/customers/me/orders/" + orderID.String() + "/invoice"
}

// A company title with a valid unified social credit code.
const companyBody = `{"title_type":"company","title":"深圳市腾讯计算机系统有限公司","tax_no":"9144030071526726xg","email":"ap@example.com"}`

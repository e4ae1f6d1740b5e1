package invoice

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"storeops/internal/module"
	"storeops/internal/store"
)

// DemoStep gives some recent delivered or completed demo orders an
// invoice request: most are issued, a few rejected, the newest still
// waiting, so the console list has something to work on. It runs after
// the order step (Order 40), hence before it when the demo is replaced,
// and then deletes the requests so the order step can clear its tables.
func DemoStep() module.DemoStep {
	return module.DemoStep{Name: "invoices", Order: 46, Run: runDemo}
}

// demoCandidates bounds the orders considered at scale 1 (at least 200,
// so a small demo still shows every status).
const demoCandidates = 400

var demoCompanies = []string{"杭州云栖科技有限公司", "上海浦江贸易有限公司", "深圳南山电子有限公司", "北京海淀文化传媒有限公司", "成都锦江餐饮管理有限公司"}
var demoPeople = []string{"王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊"}

type demoOrder struct {
	id, customerID, amount int64
	at                     time.Time
}

func runDemo(ctx context.Context, env *module.DemoEnv) error {
	if env.Clear {
		return env.DB.Load(ctx, func(l *store.Loader) error {
			if err := l.Exec(`DELETE FROM invoice_requests`); err != nil {
				return fmt.Errorf("invoice: demo clear: %w", err)
			}
			return nil
		})
	}
	limit := max(200, int(demoCandidates*env.Scale))
	rows, err := env.DB.R.QueryContext(ctx, `SELECT id, customer_id, total - refunded_total, placed_at, delivered_at FROM orders
		WHERE status IN ('delivered', 'completed') ORDER BY placed_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return fmt.Errorf("invoice: demo orders: %w", err)
	}
	var orders []demoOrder
	for rows.Next() {
		var o demoOrder
		var delivered sql.NullTime
		if err := rows.Scan(&o.id, &o.customerID, &o.amount, &o.at, &delivered); err != nil {
			rows.Close()
			return fmt.Errorf("invoice: demo orders: %w", err)
		}
		if delivered.Valid {
			o.at = delivered.Time
		}
		orders = append(orders, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("invoice: demo orders: %w", err)
	}
	end := store.Time(env.Shop.End)
	return env.DB.Load(ctx, func(l *store.Loader) error {
		b := l.Into("invoice_requests", "id", "order_id", "customer_id", "title_type", "title", "tax_no", "email", "amount", "status",
			"invoice_no", "issued_by_name", "issued_at", "reject_reason", "created_at", "updated_at")
		issued := 0
		for _, o := range orders {
			r := env.Shop.Rand("invoice", o.id)
			if r.IntN(4) != 0 || o.amount <= 0 {
				continue
			}
			created := store.Time(o.at.Add(time.Duration(1+r.IntN(48)) * time.Hour))
			if created.After(end) {
				created = end
			}
			kind, title, taxNo := Personal, demoPeople[r.IntN(len(demoPeople))], ""
			if r.IntN(5) < 2 {
				kind, title, taxNo = Company, demoCompanies[r.IntN(len(demoCompanies))], demoTaxNo(r)
			}
			var (
				status            = Requested
				invoiceNo, issuer any
				issuedAt          any
				reason            string
				updated           = created
			)
			if end.Sub(created) > 3*24*time.Hour {
				if r.IntN(8) == 0 {
					status, reason = Rejected, "抬头与订单付款人不符，请核对后重新申请"
				} else {
					issued++ // numbers in order, so they never repeat
					at := store.Time(created.Add(time.Duration(2+r.IntN(46)) * time.Hour))
					status, invoiceNo, issuer, issuedAt, updated = Issued, fmt.Sprintf("26330000%012d", issued), "客服小张", at, at
				}
			}
			if issuer == nil {
				issuer = ""
			}
			// The order's id is unique among demo requests (one per order)
			// and the same for a seed, so it serves as the request's id.
			if err := b.Add(o.id, o.id, o.customerID, string(kind), title, taxNo, "", o.amount, string(status),
				invoiceNo, issuer, issuedAt, reason, created, updated); err != nil {
				return fmt.Errorf("invoice: demo: %w", err)
			}
		}
		return b.Flush()
	})
}

// demoTaxNo makes a unified social credit code with a correct check
// character (enterprise 91, a random region and body).
func demoTaxNo(r *rand.Rand) string {
	b := []byte("91")
	for _, region := range []string{"330100", "310000", "440300", "110108", "510104"}[r.IntN(5)] {
		b = append(b, byte(region))
	}
	for len(b) < 17 {
		b = append(b, creditCodeChars[r.IntN(len(creditCodeChars))])
	}
	for _, c := range creditCodeChars {
		if s := string(b) + string(c); ValidTaxNo(s) {
			return s
		}
	}
	panic("invoice: no check character") // unreachable: one always fits
}

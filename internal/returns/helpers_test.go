package returns_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/catalog/catalogtest"
	"storeops/internal/checkout"
	"storeops/internal/inventory"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/returns"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// shop is a served app with a tee in two sizes (¥59, 10 of each in the
// first warehouse, received through the ledger) and a staff token.
type shop struct {
	t         *testing.T
	a         *app.App
	base      string
	m, l      platform.ID // the tee's SKUs
	product   platform.ID
	warehouse platform.ID
	staff     *staffClient
}

// staffClient calls the staff API with a token.
type staffClient struct {
	c     *apptest.Client
	token string
}

func (c *staffClient) JSON(method, path, body string, header ...string) (*http.Response, string) {
	return c.c.JSON(method, path, body, append(header, "Authorization", "Bearer "+c.token)...)
}

func newShop(t *testing.T, a *app.App) *shop {
	t.Helper()
	f := catalogtest.New(t, a.DB)
	s := &shop{t: t, a: a, base: apptest.Serve(t, a)}
	var skus []platform.ID
	s.product, skus = f.Create(catalogtest.Product{Category: f.Category("服饰", "Clothing", 0), Title: "纯棉短袖T恤",
		SKUs: []catalogtest.SKU{{SpecText: "白色 M", Price: 5900, Stock: 0}, {SpecText: "白色 L", Price: 5900, Stock: 0}}})
	s.m, s.l = skus[0], skus[1]
	if err := a.DB.R.QueryRow(`SELECT id FROM warehouses ORDER BY id LIMIT 1`).Scan(&s.warehouse); err != nil {
		t.Fatal(err)
	}
	inv := inventory.NewService(a.DB)
	for _, sku := range skus {
		if _, err := inv.Receive(context.Background(), audit.System, inventory.Receipt{SKU: sku, Warehouse: s.warehouse, Qty: 10, Ref: "PO-1"}); err != nil {
			t.Fatal(err)
		}
	}
	s.staff = &staffClient{c: apptest.NewClient(t, s.base), token: apptest.StaffToken(t, a, platform.RoleAdmin)}
	return s
}

// shopper signs up a customer with an address in 上海.
func (s *shop) shopper(name string) (*apptest.Client, string) {
	s.t.Helper()
	c := apptest.NewClient(s.t, s.base)
	res, body := c.JSON("POST", "/api/v1/customers/signup", `{"email":"`+name+`@example.com","password":"a long enough password"}`)
	if res.StatusCode != http.StatusCreated {
		s.t.Fatalf("sign up: %d %s", res.StatusCode, body)
	}
	res, body = c.JSON("POST", "/api/v1/customers/me/addresses", `{"recipient":"张三","mobile":"13800138000",
		"province_code":"310000","city_code":"310100","district_code":"310104","detail":"漕溪北路 88 号","is_default":true}`)
	if res.StatusCode != http.StatusCreated {
		s.t.Fatalf("address: %d %s", res.StatusCode, body)
	}
	return c, apptest.Decode[struct {
		ID string `json:"id"`
	}](s.t, body).ID
}

// bought is a placed order with its lines.
type bought struct {
	id    platform.ID
	total platform.Money
	lines map[platform.ID]platform.ID // sku → order line
}

// buy places an order for qty of each SKU paid by bank transfer, which
// staff confirm; deliver ships it and has the carrier deliver it.
func (s *shop) buy(c *apptest.Client, addr string, qty map[platform.ID]int, deliver bool) bought {
	s.t.Helper()
	for sku, n := range qty {
		if res, body := c.JSON("POST", "/api/v1/cart/items", fmt.Sprintf(`{"sku_id":"%s","quantity":%d}`, sku, n)); res.StatusCode != 200 {
			s.t.Fatalf("add to cart: %d %s", res.StatusCode, body)
		}
	}
	res, body := c.JSON("POST", "/api/v1/checkout/quote", `{"address_id":"`+addr+`"}`)
	if res.StatusCode != 200 {
		s.t.Fatalf("quote: %d %s", res.StatusCode, body)
	}
	q := apptest.Decode[checkout.Quote](s.t, body)
	res, body = c.JSON("POST", "/api/v1/checkout", fmt.Sprintf(`{"address_id":"%s","payment_method":"%s","expected_total":%d}`,
		addr, checkout.MethodBankTransfer, q.Payable), "Idempotency-Key", fmt.Sprintf("buy-%d", time.Now().UnixNano()))
	if res.StatusCode != http.StatusCreated {
		s.t.Fatalf("place: %d %s", res.StatusCode, body)
	}
	p := apptest.Decode[checkout.Placed](s.t, body)
	if res, body := s.staff.JSON("POST", "/api/v1/admin/payments/"+p.PaymentID.String()+"/confirm",
		fmt.Sprintf(`{"amount":%d,"reference":"BANK-%s"}`, p.Total, p.OrderID)); res.StatusCode != 200 {
		s.t.Fatalf("confirm: %d %s", res.StatusCode, body)
	}
	b := bought{id: p.OrderID, total: p.Total, lines: map[platform.ID]platform.ID{}}
	rows, err := s.a.DB.R.Query(`SELECT sku_id, id FROM order_lines WHERE order_id = $1`, p.OrderID)
	if err != nil {
		s.t.Fatal(err)
	}
	for rows.Next() {
		var sku, line platform.ID
		if err := rows.Scan(&sku, &line); err != nil {
			s.t.Fatal(err)
		}
		b.lines[sku] = line
	}
	rows.Close()
	if !deliver {
		return b
	}
	s.ship(b.id)
	s.deliver(b.id, 0)
	return b
}

func (s *shop) ship(id platform.ID) {
	s.t.Helper()
	if res, body := s.staff.JSON("POST", "/api/v1/admin/orders/"+id.String()+"/ship", `{"carrier":"顺丰速运","tracking_no":"SF1234567890"}`); res.StatusCode != http.StatusCreated {
		s.t.Fatalf("ship: %d %s", res.StatusCode, body)
	}
}

// deliver has the carrier deliver the order, ago before now.
func (s *shop) deliver(id platform.ID, ago time.Duration) {
	s.t.Helper()
	err := s.a.DB.Write(context.Background(), func(tx *store.Tx) error {
		if _, err := order.Transition(context.Background(), tx, id, order.Delivered, order.Carrier("顺丰速运"), "已签收"); err != nil {
			return err
		}
		_, err := tx.Exec(`UPDATE orders SET delivered_at = $1 WHERE id = $2`, store.Time(tx.Now.Add(-ago)), id)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

func (s *shop) count(q string, args ...any) int {
	s.t.Helper()
	return storetest.Count(s.t, s.a.DB, q, args...)
}

// onHand is a SKU's on-hand stock in the shop's warehouse.
func (s *shop) onHand(sku platform.ID) int {
	return s.count(`SELECT on_hand FROM stock_levels WHERE sku_id = $1 AND warehouse_id = $2`, sku, s.warehouse)
}

func (s *shop) balanced() {
	s.t.Helper()
	bad, err := inventory.CheckLedger(context.Background(), s.a.DB.R)
	if err != nil {
		s.t.Fatal(err)
	}
	if len(bad) > 0 {
		s.t.Errorf("stock ledger does not balance: %+v", bad)
	}
}

func requestPath(orderID platform.ID) string {
	return "/api/v1/customers/me/orders/" + orderID.String() + "/returns"
}

// request asks for a return and expects it made.
func request(t *testing.T, c *apptest.Client, orderID platform.ID, body string) returns.Return {
	t.Helper()
	res, out := c.JSON("POST", requestPath(orderID), body, "Idempotency-Key", fmt.Sprintf("rma-%d", time.Now().UnixNano()))
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("request: %d %s", res.StatusCode, out)
	}
	return apptest.Decode[returns.Return](t, out)
}

// staffPost is one staff API call that must succeed.
func (s *shop) staffPost(path, body string) returns.Return {
	s.t.Helper()
	res, out := s.staff.JSON("POST", path, body, "Idempotency-Key", fmt.Sprintf("staff-%d", time.Now().UnixNano()))
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("%s: %d %s", path, res.StatusCode, out)
	}
	return apptest.Decode[returns.Return](s.t, out)
}

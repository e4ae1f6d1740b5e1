package returns_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/returns"
)

// A return from request to refund: the refund is split exactly over the
// returned lines through payments, resaleable units go back on hand
// through the ledger, damaged ones do not, and the order's after-sale
// case opens and closes on its timeline.
func TestReturnEndToEnd(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("buyer")
		b := s.buy(c, addr, map[platform.ID]int{s.m: 3, s.l: 1}, true)
		if s.onHand(s.m) != 7 || s.onHand(s.l) != 9 {
			t.Fatalf("on hand after shipping: M %d, L %d", s.onHand(s.m), s.onHand(s.l))
		}
		mLine, lLine := b.lines[s.m], b.lines[s.l]

		r := request(t, c, b.id, fmt.Sprintf(`{"kind":"return","reason":"quality","description":"<script>alert(1)</script>领口开线",
			"lines":[{"order_line_id":"%s","qty":2},{"order_line_id":"%s","qty":1}]}`, mLine, lLine))
		if r.Status != returns.Requested || r.Amount != 2*5900+5900 || len(r.Lines) != 2 || !strings.HasPrefix(r.RMANo, "R") {
			t.Fatalf("requested: %+v", r)
		}
		if n := s.count(`SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'after_sale'`, b.id); n != 1 {
			t.Errorf("the order did not enter after-sale")
		}
		rid := r.ID.String()
		admin := "/api/v1/admin/returns/" + rid

		// Shipping back before approval is refused.
		res, body := c.JSON("POST", "/api/v1/customers/me/returns/"+rid+"/ship", `{"carrier":"中通快递","tracking_no":"ZT20261128001"}`)
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeStatus)

		if r = s.staffPost(admin+"/approve", ""); r.Status != returns.Approved || r.ApprovedAt == nil {
			t.Fatalf("approved: %+v", r)
		}
		res, body = c.JSON("POST", "/api/v1/customers/me/returns/"+rid+"/ship", `{"carrier":"中通快递","tracking_no":"ZT20261128001"}`)
		if res.StatusCode != 200 || !strings.Contains(body, `"status":"shipped_back"`) {
			t.Fatalf("ship back: %d %s", res.StatusCode, body)
		}

		// Inspection: both M fine, the L damaged; more than asked is refused.
		res, body = s.staff.JSON("POST", admin+"/receive", fmt.Sprintf(`{"warehouse_id":"%s","lines":[{"order_line_id":"%s","accepted_qty":3,"condition":"resaleable"}]}`, s.warehouse, mLine))
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		r = s.staffPost(admin+"/receive", fmt.Sprintf(`{"warehouse_id":"%s","lines":[{"order_line_id":"%s","accepted_qty":2,"condition":"resaleable"},
			{"order_line_id":"%s","accepted_qty":1,"condition":"damaged"}]}`, s.warehouse, mLine, lLine))
		if r.Status != returns.Received || r.Amount != 17700 || r.WarehouseID != s.warehouse {
			t.Fatalf("received: %+v", r)
		}
		if s.onHand(s.m) != 9 || s.onHand(s.l) != 9 {
			t.Errorf("on hand after inspection: M %d (want 9), L %d (want 9: damaged stays out)", s.onHand(s.m), s.onHand(s.l))
		}
		if n := s.count(`SELECT COUNT(*) FROM stock_ledger WHERE reason = 'return' AND ref_type = 'return' AND ref_id = $1 AND sku_id = $2 AND delta = 2`, rid, s.m); n != 1 {
			t.Errorf("no return ledger row for the restocked units")
		}
		s.balanced()

		r = s.staffPost(admin+"/refund", "")
		if r.Status != returns.Refunded || r.ClosedAt == nil {
			t.Fatalf("refunded: %+v", r)
		}
		if n := s.count(`SELECT COUNT(*) FROM refunds WHERE order_id = $1 AND request_key LIKE 'return:%' AND status = 'refunded'`, b.id); n != 2 {
			t.Errorf("%d refunds, want one per line", n)
		}
		if n := s.count(`SELECT COUNT(*) FROM refund_lines rl JOIN refunds f ON f.id = rl.refund_id WHERE f.order_id = $1 AND
			((rl.order_line_id = $2 AND rl.amount = 11800) OR (rl.order_line_id = $3 AND rl.amount = 5900))`, b.id, mLine, lLine); n != 2 {
			t.Errorf("refund lines not split exactly")
		}
		if n := s.count(`SELECT refunded_total FROM orders WHERE id = $1`, b.id); n != 17700 {
			t.Errorf("order refunded %d, want 17700", n)
		}
		if n := s.count(`SELECT COUNT(*) FROM order_lines WHERE (id = $1 AND refunded = 11800) OR (id = $2 AND refunded = 5900)`, mLine, lLine); n != 2 {
			t.Errorf("line refunded totals wrong")
		}
		if n := s.count(`SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'completed'`, b.id); n != 1 {
			t.Errorf("the after-sale case did not close")
		}
		// Again: nothing is refunded twice.
		res, body = s.staff.JSON("POST", admin+"/refund", "")
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeStatus)
		if n := s.count(`SELECT COUNT(*) FROM refunds WHERE order_id = $1`, b.id); n != 2 {
			t.Errorf("%d refunds after a second refund", n)
		}
		s.balanced()

		// Every step: audited, published, on the order's timeline.
		if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE entity_type = 'return' AND entity_id = $1`, rid); n != 5 {
			t.Errorf("%d audit entries, want 5", n)
		}
		if n := s.count(`SELECT COUNT(*) FROM outbox_events WHERE topic = $1`, returns.TopicStatusChanged); n != 5 {
			t.Errorf("%d events, want 5", n)
		}
		if n := s.count(`SELECT COUNT(*) FROM order_notes WHERE order_id = $1 AND body LIKE $2`, b.id, "%"+r.RMANo+"%"); n < 3 {
			t.Errorf("%d timeline notes", n)
		}

		// The shopper sees every step; the description is escaped on the page.
		res, body = c.JSON("GET", "/api/v1/customers/me/returns/"+rid, "")
		got := apptest.Decode[returns.Return](t, body)
		if res.StatusCode != 200 || got.ShippedBackAt == nil || got.ReceivedAt == nil || got.ClosedAt == nil || got.Lines[0].AcceptedQty == 0 {
			t.Errorf("shopper's view: %d %s", res.StatusCode, body)
		}
		res, body = c.Do("GET", "/orders/"+b.id.String()+"/returns", "", "")
		if res.StatusCode != 200 || !strings.Contains(body, r.RMANo) || !strings.Contains(body, "已退款") || strings.Contains(body, "<script>alert") {
			t.Errorf("shop page: %d", res.StatusCode)
		}

		// What is left: one M; the L is claimed.
		res, body = c.JSON("POST", requestPath(b.id), fmt.Sprintf(`{"kind":"return","reason":"size","lines":[{"order_line_id":"%s","qty":1}]}`, lLine))
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeQtyExceeds)
		request(t, c, b.id, fmt.Sprintf(`{"kind":"return","reason":"size","lines":[{"order_line_id":"%s","qty":1}]}`, mLine))
	})
}

// An exchange for another size: the returned unit is restocked, the
// replacement reserved and shipped through inventory, and no money moves.
func TestExchangeEndToEnd(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("swapper")
		b := s.buy(c, addr, map[platform.ID]int{s.m: 1}, true)
		res, body := c.JSON("POST", requestPath(b.id), fmt.Sprintf(`{"kind":"exchange","reason":"size","lines":[{"order_line_id":"%s","qty":1,"exchange_sku_id":"%s"}]}`, b.lines[s.m], s.product))
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		r := request(t, c, b.id, fmt.Sprintf(`{"kind":"exchange","reason":"size","lines":[{"order_line_id":"%s","qty":1,"exchange_sku_id":"%s"}]}`, b.lines[s.m], s.l))
		if r.Amount != 0 || r.Lines[0].ExchangeSKUID != s.l {
			t.Fatalf("exchange: %+v", r)
		}
		admin := "/api/v1/admin/returns/" + r.ID.String()
		s.staffPost(admin+"/approve", "")
		// Staff may receive a parcel the shopper never entered.
		s.staffPost(admin+"/receive", fmt.Sprintf(`{"warehouse_id":"%s","lines":[{"order_line_id":"%s","accepted_qty":1,"condition":"resaleable"}]}`, s.warehouse, b.lines[s.m]))
		res, body = s.staff.JSON("POST", admin+"/refund", "")
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeWrongKind)
		r = s.staffPost(admin+"/ship-exchange", `{"carrier":"顺丰速运","tracking_no":"SF9876543210"}`)
		if r.Status != returns.Exchanged || r.ExchangeTrackingNo != "SF9876543210" {
			t.Fatalf("exchanged: %+v", r)
		}
		if s.onHand(s.m) != 10 || s.onHand(s.l) != 9 {
			t.Errorf("on hand: M %d (want 10), L %d (want 9)", s.onHand(s.m), s.onHand(s.l))
		}
		if n := s.count(`SELECT COUNT(*) FROM stock_ledger WHERE reason = 'sale' AND ref_type = 'return' AND sku_id = $1 AND delta = -1`, s.l); n != 1 {
			t.Errorf("no sale ledger row for the replacement")
		}
		if n := s.count(`SELECT COUNT(*) FROM stock_levels WHERE reserved <> 0`); n != 0 {
			t.Errorf("%d stock levels still hold reservations", n)
		}
		if n := s.count(`SELECT COUNT(*) FROM refunds WHERE order_id = $1`, b.id); n != 0 {
			t.Errorf("an exchange refunded money")
		}
		if n := s.count(`SELECT COUNT(*) FROM orders WHERE id = $1 AND status = 'completed'`, b.id); n != 1 {
			t.Errorf("the after-sale case did not close")
		}
		s.balanced()
	})
}

// A parcel that never arrived: a refund only while shipped, no goods
// come back, and the order stays shipped.
func TestRefundOnlyForUndelivered(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		s := newShop(t, a)
		c, addr := s.shopper("waiting")
		b := s.buy(c, addr, map[platform.ID]int{s.m: 2}, false)
		line := b.lines[s.m]
		// Paid but not shipped: cancel instead.
		res, body := c.JSON("POST", requestPath(b.id), fmt.Sprintf(`{"kind":"refund_only","reason":"not_received","lines":[{"order_line_id":"%s","qty":2}]}`, line))
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeNotDelivered)
		s.ship(b.id)
		res, body = c.JSON("POST", requestPath(b.id), fmt.Sprintf(`{"kind":"return","reason":"not_received","lines":[{"order_line_id":"%s","qty":2}]}`, line))
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeNotDelivered)
		r := request(t, c, b.id, fmt.Sprintf(`{"kind":"refund_only","reason":"not_received","lines":[{"order_line_id":"%s","qty":2}]}`, line))
		admin := "/api/v1/admin/returns/" + r.ID.String()
		res, body = c.JSON("POST", "/api/v1/customers/me/returns/"+r.ID.String()+"/ship", `{"carrier":"中通快递","tracking_no":"ZT20261128001"}`)
		apptest.Problem(t, res, body, http.StatusConflict, returns.CodeWrongKind)
		s.staffPost(admin+"/approve", "")
		if r = s.staffPost(admin+"/refund", ""); r.Status != returns.Refunded || r.Amount != 11800 {
			t.Fatalf("refunded: %+v", r)
		}
		if n := s.count(`SELECT refunded_total FROM orders WHERE id = $1 AND status = $2`, b.id, order.Shipped); n != 11800 {
			t.Errorf("order refunded %d, want 11800 and still shipped", n)
		}
		s.balanced()
	})
}

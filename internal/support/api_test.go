package support_test

import (
	"net/http"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
	"storeops/internal/support"
)

// A shopper contacts the desk about their order, an agent answers by the
// staff API with a note the shopper never sees, the shopper replies, the
// agent resolves it and the shopper rates it once. Another shopper gets
// 404 for every id of the first one's; bad input is a 422 naming the
// field.
func TestTicketFlowAndIsolation(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		buyer, other := apptest.SignUp(t, base, "buyer"), apptest.SignUp(t, base, "other")
		ord, _ := seedOrder(t, a.DB, buyer.ID, order.Shipped)
		othersOrder, _ := seedOrder(t, a.DB, other.ID, order.Shipped)
		_, tok := agent(t, a, "xiaomei", "after_sale")
		staff := apptest.NewClient(t, base)
		auth := func(h ...string) []string { return append([]string{"Authorization", "Bearer " + tok}, h...) }

		guest := apptest.NewClient(t, base)
		res, body := guest.JSON("POST", "/api/v1/support/tickets", `{"type":"pre_sale","subject":"问价","body":"有货吗"}`, "Accept-Language", "en")
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		if !strings.Contains(body, "leave an email") {
			t.Errorf("guest without contact: %s", body)
		}
		res, body = guest.JSON("POST", "/api/v1/support/tickets", `{"type":"refund","body":"x"}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, body = guest.JSON("POST", "/api/v1/support/tickets", `{"type":"pre_sale","email":"g@example.com","body":"有货吗？\n第二行"}`)
		if g := apptest.Decode[support.Ticket](t, body); res.StatusCode != http.StatusCreated || g.Subject != "有货吗？" || g.Channel != support.Web {
			t.Fatalf("guest contact: %d %s", res.StatusCode, body)
		}

		res, body = buyer.C.JSON("POST", "/api/v1/support/tickets", `{"type":"after_sale","order_id":"`+othersOrder.String()+`","subject":"坏了","body":"x"}`)
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		res, body = buyer.C.JSON("POST", "/api/v1/support/tickets", `{"type":"after_sale","order_id":"`+ord.String()+`","subject":"<script>alert(1)</script>收到的杯子碎了","body":"杯子碎了，怎么办？"}`)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("open: %d %s", res.StatusCode, body)
		}
		tk := apptest.Decode[support.Ticket](t, body)
		if tk.CustomerID != buyer.ID || tk.OrderID != ord || tk.Status != support.Open || tk.ContactEmail != "buyer@example.com" {
			t.Errorf("opened: %+v", tk)
		}
		path := "/api/v1/customers/me/tickets/" + tk.ID.String()
		for _, c := range []struct{ method, path, body string }{
			{"GET", path, ""}, {"POST", path + "/messages", `{"body":"我的"}`},
			{"GET", "/api/v1/customers/me/tickets/1", ""}, {"GET", "/api/v1/customers/me/tickets/nope", ""},
		} {
			res, body := other.C.JSON(c.method, c.path, c.body)
			apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		}
		res, body = other.C.JSON("GET", "/api/v1/customers/me/tickets", "")
		if res.StatusCode != 200 || strings.Contains(body, tk.ID.String()) {
			t.Errorf("other's list: %s", body)
		}
		res, _ = guest.JSON("GET", path, "")
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("signed out: %d", res.StatusCode)
		}

		// The after-sale agent got it by skill; they note and reply.
		res, body = staff.JSON("POST", "/api/v1/admin/support/tickets/"+tk.ID.String()+"/note", `{"body":"内部：先核实物流"}`, auth()...)
		if res.StatusCode != 200 {
			t.Fatalf("note: %d %s", res.StatusCode, body)
		}
		res, body = staff.JSON("POST", "/api/v1/admin/support/tickets/"+tk.ID.String()+"/reply", `{"body":"非常抱歉，马上为您补发"}`, auth()...)
		st := apptest.Decode[support.StaffTicket](t, body)
		if res.StatusCode != 200 || st.Status != support.Pending || st.AssigneeID == 0 || len(st.Messages) != 3 || !st.Messages[1].Internal {
			t.Fatalf("reply: %d %s", res.StatusCode, body)
		}
		res, body = buyer.C.JSON("GET", path, "")
		if d := apptest.Decode[support.TicketDetail](t, body); res.StatusCode != 200 || len(d.Messages) != 2 || strings.Contains(body, "内部") || strings.Contains(body, "assignee") {
			t.Errorf("shopper's view: %s", body)
		}
		res, body = buyer.C.JSON("POST", path+"/messages", `{"body":"好的，谢谢"}`)
		if d := apptest.Decode[support.TicketDetail](t, body); res.StatusCode != http.StatusCreated || d.Status != support.Open {
			t.Errorf("shopper's reply: %d %s", res.StatusCode, body)
		}
		res, body = staff.JSON("POST", "/api/v1/admin/support/tickets/"+tk.ID.String()+"/resolve", ``, auth()...)
		if res.StatusCode != 200 {
			t.Fatalf("resolve: %d %s", res.StatusCode, body)
		}
		var csat string
		if err := a.DB.R.QueryRow(`SELECT csat_token FROM support_tickets WHERE id = $1`, tk.ID).Scan(&csat); err != nil || csat == "" {
			t.Fatalf("no survey token: %v", err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM support_outgoing WHERE ticket_id = $1 AND body LIKE $2`, tk.ID, "%"+csat+"%"); n != 1 {
			t.Errorf("%d survey mails queued", n)
		}
		res, body = guest.JSON("POST", "/api/v1/support/surveys/"+csat, `{"score":6}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, body = guest.JSON("POST", "/api/v1/support/surveys/WRONG", `{"score":5}`)
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		if res, body = guest.JSON("POST", "/api/v1/support/surveys/"+csat, `{"score":5,"comment":"很快"}`); res.StatusCode != http.StatusNoContent {
			t.Errorf("survey: %d %s", res.StatusCode, body)
		}
		res, body = guest.JSON("POST", "/api/v1/support/surveys/"+csat, `{"score":1}`)
		apptest.Problem(t, res, body, http.StatusConflict, support.CodeSurveyUnavailable)

		res, body = staff.JSON("POST", "/api/v1/admin/support/tickets/"+tk.ID.String()+"/close", ``, auth()...)
		if res.StatusCode != 200 {
			t.Fatalf("close: %d %s", res.StatusCode, body)
		}
		res, body = buyer.C.JSON("POST", path+"/messages", `{"body":"还有一个问题"}`)
		apptest.Problem(t, res, body, http.StatusConflict, support.CodeTicketClosed)
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE entity_type = 'support_ticket' AND entity_id = $1`, tk.ID.String()); n != 4 {
			t.Errorf("%d audit entries (note, reply, resolve, close)", n)
		}

		// An analyst may not read tickets; a bad filter is a 422.
		analyst := apptest.StaffToken(t, a, platform.RoleAnalyst)
		res, _ = staff.JSON("GET", "/api/v1/admin/support/tickets", "", "Authorization", "Bearer "+analyst)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("analyst lists tickets: %d", res.StatusCode)
		}
		res, body = staff.JSON("GET", "/api/v1/admin/support/tickets?status=lost", "", auth()...)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, body = staff.JSON("GET", "/api/v1/admin/support/tickets?q=杯子&type=after_sale", "", auth()...)
		if p := apptest.Decode[platform.Page[support.Ticket]](t, body); res.StatusCode != 200 || len(p.Items) != 1 || p.Items[0].ID != tk.ID {
			t.Errorf("search: %s", body)
		}
	})
}

// Round-robin by skill: after-sale tickets alternate between the two
// after-sale agents; a pre-sale ticket goes to the generalist; a phone
// call logged by an agent is audited; the contact form floods stop at
// ten an hour.
func TestAssignmentAndPhone(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		wang, tok := agent(t, a, "wang", "after_sale")
		li, _ := agent(t, a, "li", "after_sale", "complaint")
		zhao, _ := agent(t, a, "zhao")
		staff := apptest.NewClient(t, base)
		var got []platform.ID
		for i := 0; i < 4; i++ {
			res, body := staff.JSON("POST", "/api/v1/admin/support/tickets",
				`{"phone":"13800138000","name":"张三","type":"after_sale","subject":"来电","body":"退货怎么寄"}`, "Authorization", "Bearer "+tok)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("phone: %d %s", res.StatusCode, body)
			}
			st := apptest.Decode[support.StaffTicket](t, body)
			if st.Channel != support.Phone {
				t.Errorf("channel %s", st.Channel)
			}
			got = append(got, st.AssigneeID)
		}
		if got[0] == got[1] || got[0] != got[2] || got[1] != got[3] || (got[0] != wang.StaffID && got[0] != li.StaffID) || (got[1] != wang.StaffID && got[1] != li.StaffID) {
			t.Errorf("after-sale assignees %v (wang %d, li %d)", got, wang.StaffID, li.StaffID)
		}
		res, body := staff.JSON("POST", "/api/v1/admin/support/tickets", `{"email":"q@example.com","type":"pre_sale","subject":"来电","body":"有货吗"}`, "Authorization", "Bearer "+tok)
		if st := apptest.Decode[support.StaffTicket](t, body); res.StatusCode != http.StatusCreated || st.AssigneeID != zhao.StaffID {
			t.Errorf("pre-sale went to %d, want the generalist %d", st.AssigneeID, zhao.StaffID)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action = 'support.open'`); n != 5 {
			t.Errorf("%d audited phone logs", n)
		}
		res, body = staff.JSON("POST", "/api/v1/admin/support/tickets/"+apptest.Decode[support.StaffTicket](t, body).ID.String()+"/assign",
			`{"agent_id":"1"}`, "Authorization", "Bearer "+tok)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, support.CodeNotAgent)

		guest := apptest.NewClient(t, base)
		for i := 0; i < 11; i++ {
			res, body := guest.JSON("POST", "/api/v1/support/tickets", `{"email":"flood@example.com","body":"hello"}`)
			if i < 10 && res.StatusCode != http.StatusCreated {
				t.Fatalf("contact %d: %d %s", i, res.StatusCode, body)
			}
			if i == 10 {
				apptest.Problem(t, res, body, http.StatusTooManyRequests, support.CodeTooMany)
			}
		}
	})
}

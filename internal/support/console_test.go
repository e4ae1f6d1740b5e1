package support_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/audit"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
	"storeops/internal/support"
	"storeops/internal/web"
)

// staffDo is one console call as a staff user of role.
func staffDo(t *testing.T, a *app.App, by audit.Actor, role platform.Role, method, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	p := &web.Principal{StaffID: by.StaffID, Role: role, Name: by.Name, Email: by.Email, Via: "session"}
	if form == nil {
		return apptest.ConsoleAs(t, a, p, method, target, "", nil)
	}
	return apptest.ConsoleAs(t, a, p, method, target, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

const script = `<script>alert("x")</script>`

// The storefront contact form opens a ticket; the console's queue and
// ticket page show it with the customer's text escaped; an agent works
// it through the forms (canned reply with variables, note, classify,
// link, resolve); the shopper rates it on the survey page; the metrics,
// report and settings pages render and the settings forms save.
func TestConsoleAndShopPages(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		base := apptest.Serve(t, a)
		buyer := apptest.SignUp(t, base, "buyer")
		_, orderNo := seedOrder(t, a.DB, buyer.ID, order.Delivered)
		by, _ := agent(t, a, "xiaomei")
		s := support.NewService(a.DB)

		res, body := buyer.C.Form("/contact", url.Values{"type": {"complaint"}, "subject": {script + "漏发"}, "body": {script + "少了一件"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/contact?sent=") {
			t.Fatalf("contact: %d %s", res.StatusCode, body)
		}
		if _, body = buyer.C.Do("GET", res.Header.Get("Location"), "", ""); !strings.Contains(body, "contact-sent") {
			t.Errorf("no confirmation: %s", body)
		}
		guest := apptest.NewClient(t, base)
		res, body = guest.Form("/contact", url.Values{"type": {"pre_sale"}, "body": {"有货吗"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "请留下邮箱或手机号") {
			t.Errorf("guest without contact: %d", res.StatusCode)
		}
		page, _ := support.List(ctx, a.DB.R, support.Filter{Type: support.Complaint})
		if len(page.Items) != 1 || page.Items[0].Priority != support.High {
			t.Fatalf("complaint: %+v", page.Items)
		}
		tk := page.Items[0]
		if _, err := s.SaveCanned(ctx, by, support.Canned{Title: "致歉", Body: "{{name}}您好，订单 {{order_no}} 的问题由{{agent}}跟进。"}); err != nil {
			t.Fatal(err)
		}
		canned, _ := s.CannedReplies(ctx)

		for _, path := range []string{"/console/support", "/console/support?active=1&breached=1", "/console/support/tickets/" + tk.ID.String()} {
			w := staffDo(t, a, by, platform.RoleService, "GET", path, nil)
			if w.Code != 200 || strings.Contains(w.Body.String(), script) || (!strings.Contains(path, "breached") && !strings.Contains(w.Body.String(), "&lt;script&gt;")) {
				t.Errorf("%s: %d, escaped: %v", path, w.Code, !strings.Contains(w.Body.String(), script))
			}
		}
		detail := "/console/support/tickets/" + tk.ID.String()
		for _, step := range []struct {
			action string
			form   url.Values
		}{
			{"orders", url.Values{"order_no": {orderNo}}},
			{"reply", url.Values{"body": {""}, "canned_id": {canned[0].ID.String()}}},
			{"note", url.Values{"body": {"仓库确认漏发"}}},
			{"classify", url.Values{"type": {"complaint"}, "priority": {"high"}, "cause": {"logistics.lost"}, "carrier": {"中通"}}},
			{"resolve", url.Values{}},
		} {
			w := staffDo(t, a, by, platform.RoleService, "POST", detail+"/"+step.action, step.form)
			if w.Code != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", step.action, w.Code, w.Body.String())
			}
		}
		w := staffDo(t, a, by, platform.RoleService, "POST", detail+"/orders", url.Values{"order_no": {"nope"}})
		if w.Code != http.StatusNotFound {
			t.Errorf("link unknown order: %d", w.Code)
		}
		w = staffDo(t, a, by, platform.RoleService, "POST", detail+"/classify", url.Values{"type": {"x"}, "priority": {"high"}})
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "form-error") {
			t.Errorf("bad classify: %d", w.Code)
		}
		msgs, _ := support.Messages(ctx, a.DB.R, tk.ID, false)
		if want := "您好，订单 " + orderNo + " 的问题由xiaomei跟进。"; len(msgs) != 2 || !strings.HasSuffix(msgs[1].Body, want) {
			t.Errorf("canned reply: %+v, want …%s", msgs, want)
		}
		w = staffDo(t, a, by, platform.RoleService, "GET", detail, nil)
		if b := w.Body.String(); !strings.Contains(b, "仓库确认漏发") || !strings.Contains(b, orderNo) || !strings.Contains(b, "customer-360") || !strings.Contains(b, "快递丢件") {
			t.Errorf("detail after the work: %s", b)
		}
		if w := staffDo(t, a, by, platform.RoleAnalyst, "GET", detail, nil); w.Code != http.StatusForbidden {
			t.Errorf("analyst opens a ticket: %d", w.Code)
		}

		tk, _ = s.Get(ctx, tk.ID)
		res, body = guest.Form("/support/survey/"+tk.CSATToken, url.Values{"score": {"2"}, "comment": {script}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("survey: %d %s", res.StatusCode, body)
		}
		if _, body = guest.Do("GET", "/support/survey/"+tk.CSATToken, "", ""); !strings.Contains(body, "survey-thanks") {
			t.Errorf("survey page after rating: %s", body)
		}
		if res, _ := guest.Do("GET", "/support/survey/NOPE", "", ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown survey: %d", res.StatusCode)
		}

		for _, path := range []string{"/console/support/metrics", "/console/support/report", "/console/support/report?from=2026-01-01&to=2026-12-31"} {
			w := staffDo(t, a, by, platform.RoleAnalyst, "GET", path, nil)
			if w.Code != 200 {
				t.Errorf("%s: %d", path, w.Code)
			}
		}
		w = staffDo(t, a, by, platform.RoleAnalyst, "GET", "/console/support/report", nil)
		if b := w.Body.String(); !strings.Contains(b, `data-cause="logistics.lost"`) || !strings.Contains(b, "中通") {
			t.Errorf("report without the cause")
		}
		if w := staffDo(t, a, by, platform.RoleAnalyst, "GET", "/console/support/metrics?from=bad", nil); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("bad period: %d", w.Code)
		}
		w = staffDo(t, a, by, platform.RoleAdmin, "GET", "/console/support/settings", nil)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "xiaomei") {
			t.Fatalf("settings: %d", w.Code)
		}
		for _, c := range []struct {
			what string
			form url.Values
			want int
		}{
			{"team", url.Values{"name": {"售后组"}, "skills": {"after_sale", "complaint"}}, http.StatusSeeOther},
			{"team", url.Values{"name": {"坏组"}, "skills": {"refund"}}, http.StatusUnprocessableEntity},
			{"sla", url.Values{"priority": {"urgent"}, "first_response_min": {"15"}, "resolution_min": {"120"}}, http.StatusSeeOther},
			{"sla", url.Values{"priority": {"urgent"}, "first_response_min": {"60"}, "resolution_min": {"30"}}, http.StatusUnprocessableEntity},
			{"hours", url.Values{"start": {"08:30"}, "end": {"21:00"}}, http.StatusSeeOther},
			{"hours", url.Values{"start": {"21:00"}, "end": {"08:00"}}, http.StatusUnprocessableEntity},
			{"day", url.Values{"day": {"2026-12-05"}, "worked": {"1"}, "note": {"双十二备战"}}, http.StatusSeeOther},
			{"care", url.Values{"kind": {"vip_idle"}, "enabled": {"1"}, "action": {"message"}, "days": {"90"}, "template": {"{{name}}，好久不见"}}, http.StatusSeeOther},
			{"care", url.Values{"kind": {"vip_idle"}, "action": {"sms"}, "days": {"90"}, "template": {"x"}}, http.StatusUnprocessableEntity},
		} {
			if w := staffDo(t, a, by, platform.RoleAdmin, "POST", "/console/support/settings/"+c.what, c.form); w.Code != c.want {
				t.Errorf("settings %s %v: %d, want %d", c.what, c.form, w.Code, c.want)
			}
		}
		if w := staffDo(t, a, by, platform.RoleService, "POST", "/console/support/settings/hours", url.Values{"start": {"00:00"}, "end": {"24:00"}}); w.Code != http.StatusForbidden {
			t.Errorf("service changes hours: %d", w.Code)
		}
		ps, _ := support.Policies(ctx, a.DB.R)
		if ps[support.Urgent].FirstResponse.Minutes() != 15 {
			t.Errorf("urgent policy %v", ps[support.Urgent])
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM audit_log WHERE action LIKE 'support.%'`); n < 10 {
			t.Errorf("%d audit entries", n)
		}
		w = staffDo(t, a, by, platform.RoleService, "POST", "/console/support/phone", url.Values{"name": {"来电人"}, "phone": {"13912345678"}, "type": {"pre_sale"}, "body": {"咨询发货时间"}})
		if w.Code != http.StatusSeeOther {
			t.Errorf("phone log: %d %s", w.Code, w.Body.String())
		}
	})
}

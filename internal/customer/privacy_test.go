package customer_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/customer"
	"storeops/internal/mail/mailtest"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// member signs up a customer with email and mobile and returns the
// signed-in client and id.
func member(t *testing.T, base, email, mobile string) (*apptest.Client, platform.ID) {
	t.Helper()
	c := apptest.NewClient(t, base)
	res, body := c.JSON("POST", "/api/v1/customers/signup", `{"email":"`+email+`","mobile":"`+mobile+`","name":"<b>小红</b>","password":"a long enough password"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("sign up %s: %d %s", email, res.StatusCode, body)
	}
	return c, apptest.Decode[customer.Customer](t, body).ID
}

// seedOrder inserts a completed order with one line for the customer.
func seedOrder(t *testing.T, db *store.DB, customerID platform.ID) string {
	t.Helper()
	ctx := context.Background()
	var no string
	err := db.Write(ctx, func(tx *store.Tx) error {
		placed := store.Time(tx.Now.Add(-48 * time.Hour))
		var err error
		if no, err = order.NewOrderNo(ctx, tx, placed); err != nil {
			return err
		}
		id := tx.NewID()
		if _, err = tx.ExecContext(ctx, `INSERT INTO orders (id, order_no, customer_id, status, items_total, total, item_count, province, city,
			placed_at, paid_at, created_at, updated_at) VALUES ($1, $2, $3, 'completed', 9900, 9900, 1, '浙江省', '杭州市', $4, $4, $4, $4)`,
			id, no, customerID, placed); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO order_lines (id, order_id, product_id, sku_id, category_id, title, quantity, unit_price, line_total, unit_cost)
			VALUES ($1, $2, 1, 1, 1, '龙井茶 250g', 1, 9900, 9900, 5000)`, tx.NewID(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return no
}

// TestPasswordResetByEmail: the reset link arrives over real SMTP, works
// once, signs every session out; an unknown address gets the same answer
// and no email.
func TestPasswordResetByEmail(t *testing.T) {
	srv := mailtest.Start(t)
	apptest.Each(t, apptest.Options{SMTP: srv.Config()}, func(t *testing.T, a *app.App) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := a.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer a.Stop(context.Background())
		base := apptest.Serve(t, a)
		c, _ := member(t, base, "reset-me@example.com", "13811110000")
		before := len(srv.Messages())

		anon := apptest.NewClient(t, base)
		res, body := anon.JSON("POST", "/api/v1/customers/password/reset", `{"email":"nobody@example.com"}`)
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("unknown address: %d %s", res.StatusCode, body)
		}
		res, body = anon.JSON("POST", "/api/v1/customers/password/reset", `{"email":"Reset-Me@example.com"}`)
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("reset: %d %s", res.StatusCode, body)
		}
		msgs := srv.Wait(t, before+1, 30*time.Second)
		m := msgs[before]
		if m.To != "reset-me@example.com" || m.Subject != "重置您的密码" {
			t.Fatalf("email %+v", m)
		}
		link := regexp.MustCompile(`https?://\S+/password/reset\?token=\S+`).FindString(m.Text)
		if link == "" || !strings.Contains(m.HTML, "重置密码") || strings.Contains(m.Text, "&lt;") {
			t.Fatalf("no link in %q", m.Text)
		}
		u, _ := url.Parse(link)
		token := u.Query().Get("token")
		var stored int
		_ = a.DB.R.QueryRow(`SELECT COUNT(*) FROM customer_reset_tokens WHERE token_hash = $1`, token).Scan(&stored)
		if stored != 0 {
			t.Error("reset token stored in the clear")
		}
		if len(srv.Messages()) != before+1 {
			t.Errorf("%d emails, want 1 (none for the unknown address)", len(srv.Messages())-before)
		}

		// The page shows the form; the API sets the password.
		if res, body := anon.Do("GET", u.RequestURI(), "", ""); res.StatusCode != http.StatusOK || !strings.Contains(body, `name="token"`) {
			t.Errorf("reset page: %d", res.StatusCode)
		}
		res, body = anon.JSON("POST", "/api/v1/customers/password/reset/confirm", `{"token":"`+token+`","password":"short"}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, body = anon.JSON("POST", "/api/v1/customers/password/reset/confirm", `{"token":"`+token+`","password":"a brand new password"}`)
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("confirm: %d %s", res.StatusCode, body)
		}
		res, body = anon.JSON("POST", "/api/v1/customers/password/reset/confirm", `{"token":"`+token+`","password":"another new password"}`)
		apptest.Problem(t, res, body, http.StatusBadRequest, customer.CodeResetInvalid)
		if res, _ := c.JSON("GET", "/api/v1/customers/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("old session after reset: %d, want 401", res.StatusCode)
		}
		if res, body := anon.JSON("POST", "/api/v1/customers/signin", `{"login":"reset-me@example.com","password":"a brand new password"}`); res.StatusCode != http.StatusOK {
			t.Errorf("sign in with the new password: %d %s", res.StatusCode, body)
		}
		res, body = anon.JSON("POST", "/api/v1/customers/password/reset", `{"email":"not an email"}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
	})
}

// TestResetLinkExpires: a link older than 30 minutes is refused, and
// requests per address are limited.
func TestResetLinkExpires(t *testing.T) {
	clk := newClock()
	apptest.Each(t, apptest.Options{Clock: clk}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		member(t, base, "late@example.com", "13811110001")
		anon := apptest.NewClient(t, base)
		for i := 0; i < 3; i++ {
			if res, body := anon.JSON("POST", "/api/v1/customers/password/reset", `{"email":"late@example.com"}`); res.StatusCode != http.StatusAccepted {
				t.Fatalf("reset %d: %d %s", i, res.StatusCode, body)
			}
		}
		res, body := anon.JSON("POST", "/api/v1/customers/password/reset", `{"email":"late@example.com"}`)
		apptest.Problem(t, res, body, http.StatusTooManyRequests, platform.CodeRateLimited)
		var text string
		if err := a.DB.R.QueryRow(`SELECT text_body FROM mail_messages ORDER BY id DESC LIMIT 1`).Scan(&text); err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(regexp.MustCompile(`https?://\S+`).FindString(text))
		clk.Advance(31 * time.Minute)
		res, body = anon.JSON("POST", "/api/v1/customers/password/reset/confirm", `{"token":"`+u.Query().Get("token")+`","password":"a brand new password"}`)
		apptest.Problem(t, res, body, http.StatusBadRequest, customer.CodeResetInvalid)
	})
}

// TestProfileConsentExport: profile fields validate, consent keeps its
// history, the export holds the customer's data, and the account page
// escapes what the customer typed.
func TestProfileConsentExport(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		c, id := member(t, base, "p@example.com", "13811110002")
		no := seedOrder(t, a.DB, id)

		res, body := c.JSON("PUT", "/api/v1/customers/me/profile", `{"name":"<script>alert(1)</script>","gender":"female","birthday":"1990-05-17","lang":"en"}`)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `"birthday":"1990-05-17"`) || !strings.Contains(body, `"lang":"en"`) {
			t.Fatalf("profile: %d %s", res.StatusCode, body)
		}
		for _, b := range []string{`{"gender":"x"}`, `{"birthday":"2999-01-01"}`, `{"birthday":"17/05/1990"}`, `{"lang":"fr"}`, `{"name":"` + strings.Repeat("长", 51) + `"}`} {
			res, body := c.JSON("PUT", "/api/v1/customers/me/profile", b)
			apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		}
		c.JSON("PUT", "/api/v1/customers/me/consents", `{"channel":"email","granted":true}`)
		res, body = c.JSON("PUT", "/api/v1/customers/me/consents", `{"channel":"email","granted":false}`)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `"channel":"email","granted":false,"source":"api"`) {
			t.Errorf("consent: %d %s", res.StatusCode, body)
		}
		res, body = c.JSON("PUT", "/api/v1/customers/me/consents", `{"channel":"fax","granted":true}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		// The page form grants SMS.
		if res, _ := c.Form("/account/consents", url.Values{"sms": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("consent form: %d", res.StatusCode)
		}

		res, body = c.Do("GET", "/api/v1/customers/me/export", "", "")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %s", res.StatusCode, body)
		}
		var x customer.Export
		if err := json.Unmarshal([]byte(body), &x); err != nil {
			t.Fatal(err)
		}
		if x.Profile.Birthday != "1990-05-17" || len(x.Consents) != 3 || len(x.Sessions) != 1 || len(x.Orders) != 1 ||
			x.Orders[0].OrderNo != no || len(x.Orders[0].Lines) != 1 || x.Orders[0].Lines[0].Title != "龙井茶 250g" {
			t.Errorf("export %+v", x)
		}

		res, body = c.Do("GET", "/account", "", "")
		if res.StatusCode != http.StatusOK || strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1)") {
			t.Errorf("account page: %d, name not escaped", res.StatusCode)
		}
		if res, _ := apptest.NewClient(t, base).Do("GET", "/account", "", ""); res.StatusCode != http.StatusSeeOther ||
			!strings.HasPrefix(res.Header.Get("Location"), "/signin") {
			t.Errorf("anonymous /account: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		// The profile form on the page.
		res, _ = c.Form("/account/profile", url.Values{"name": {"小红"}, "gender": {"female"}, "birthday": {"1990-05-18"}, "lang": {"zh-CN"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("profile form: %d", res.StatusCode)
		}
		res, body = c.Form("/account/profile", url.Values{"birthday": {"nonsense"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "form-error") {
			t.Errorf("bad profile form: %d", res.StatusCode)
		}
	})
}

// TestDeleteAccount: deletion anonymises the account, ends its sessions,
// keeps the order with the city masked, is audited, and sign-in is
// impossible afterwards; the number is free for a new account.
func TestDeleteAccount(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		c, id := member(t, base, "gone@example.com", "13811110003")
		other := apptest.NewClient(t, base)
		if res, _ := other.JSON("POST", "/api/v1/customers/signin", `{"login":"gone@example.com","password":"a long enough password"}`); res.StatusCode != http.StatusOK {
			t.Fatal("second session")
		}
		c.JSON("POST", "/api/v1/customers/me/addresses", `{"recipient":"张三","mobile":"13812345678","province_code":"11","city_code":"1101","district_code":"110101","detail":"东华门大街 1 号"}`)
		no := seedOrder(t, a.DB, id)

		res, body := c.JSON("DELETE", "/api/v1/customers/me", `{"confirm":"yes"}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, customer.CodeConfirmRequired)
		res, body = c.JSON("DELETE", "/api/v1/customers/me", `{"confirm":"DELETE"}`)
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("delete: %d %s", res.StatusCode, body)
		}
		if res, _ := other.JSON("GET", "/api/v1/customers/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("other session after deletion: %d", res.StatusCode)
		}
		res, body = apptest.NewClient(t, base).JSON("POST", "/api/v1/customers/signin", `{"login":"gone@example.com","password":"a long enough password"}`)
		apptest.Problem(t, res, body, http.StatusUnauthorized, customer.CodeInvalidCredentials)

		var email, mobile *string
		var name, status, birthday string
		if err := a.DB.R.QueryRow(`SELECT email, mobile, name, status, birthday FROM customers WHERE id = $1`, id).Scan(&email, &mobile, &name, &status, &birthday); err != nil {
			t.Fatal(err)
		}
		if email != nil || mobile != nil || name != "" || status != "deleted" {
			t.Errorf("after deletion: %v %v %q %s", email, mobile, name, status)
		}
		for q, want := range map[string]int{
			`SELECT COUNT(*) FROM customer_addresses WHERE customer_id = $1`:                                        0,
			`SELECT COUNT(*) FROM customer_sessions WHERE customer_id = $1`:                                         0,
			`SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND city = ''`:                                      1,
			`SELECT COUNT(*) FROM audit_log WHERE action = 'customer.delete' AND entity_id = '` + id.String() + `'`: 1,
		} {
			args := []any{id}
			if strings.Contains(q, "audit_log") {
				args = nil
			}
			if n := storetest.Count(t, a.DB, q, args...); n != want {
				t.Errorf("%s: %d, want %d", q, n, want)
			}
		}
		var orderNo string
		if err := a.DB.R.QueryRow(`SELECT order_no FROM orders WHERE customer_id = $1`, id).Scan(&orderNo); err != nil || orderNo != no {
			t.Errorf("order kept: %q %v", orderNo, err)
		}
		var snap string
		if err := a.DB.R.QueryRow(`SELECT COALESCE(before_json, '') FROM audit_log WHERE action = 'customer.delete'`).Scan(&snap); err != nil || strings.Contains(snap, "gone@example.com") {
			t.Errorf("audit keeps the address: %q %v", snap, err)
		}
		// The number can open a new account.
		if res, body := apptest.NewClient(t, base).JSON("POST", "/api/v1/customers/signup", `{"mobile":"13811110003","password":"a long enough password"}`); res.StatusCode != http.StatusCreated {
			t.Errorf("new account on the freed number: %d %s", res.StatusCode, body)
		}
	})
}

// TestStaffErasesOnRequest: an admin deletes an account on the customer's
// request, audited with the reason; customer service may not.
func TestStaffErasesOnRequest(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		c, id := member(t, base, "phone-in@example.com", "13811110009")
		staff := apptest.NewClient(t, base)
		path := "/api/v1/admin/customers/" + id.String() + "/erase"
		res, body := staff.JSON("POST", path, `{"reason":"工单 T-1"}`, "Authorization", "Bearer "+apptest.StaffToken(t, a, platform.RoleService))
		apptest.Problem(t, res, body, http.StatusForbidden, platform.CodeForbidden)
		admin := apptest.StaffToken(t, a, platform.RoleAdmin)
		res, body = staff.JSON("POST", path, `{"reason":""}`, "Authorization", "Bearer "+admin)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		if res, body := staff.JSON("POST", path, `{"reason":"工单 T-1"}`, "Authorization", "Bearer "+admin); res.StatusCode != http.StatusNoContent {
			t.Fatalf("erase: %d %s", res.StatusCode, body)
		}
		res, body = staff.JSON("POST", path, `{"reason":"again"}`, "Authorization", "Bearer "+admin)
		apptest.Problem(t, res, body, http.StatusNotFound, platform.CodeNotFound)
		if res, _ := c.JSON("GET", "/api/v1/customers/me", ""); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("session after erase: %d", res.StatusCode)
		}
		var kind, after string
		if err := a.DB.R.QueryRow(`SELECT actor_kind, after_json FROM audit_log WHERE action = 'customer.delete'`).Scan(&kind, &after); err != nil ||
			kind != "staff" || !strings.Contains(after, "T-1") {
			t.Errorf("audit: %s %s %v", kind, after, err)
		}
	})
}

// TestSignUpRecordsConsent: boxes ticked on sign-up become consent rows
// with source "signup"; an unknown channel is refused.
func TestSignUpRecordsConsent(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		c := apptest.NewClient(t, base)
		res, body := c.JSON("POST", "/api/v1/customers/signup", `{"email":"x@example.com","password":"a long enough password","marketing":["fax"]}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		res, _ = c.Form("/signup", url.Values{"email": {"opt-in@example.com"}, "password": {"a long enough password"}, "marketing_email": {"1"}, "next": {"/account"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-up form: %d", res.StatusCode)
		}
		res, body = c.JSON("GET", "/api/v1/customers/me/profile", "")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `{"channel":"email","granted":true,"source":"signup"`) ||
			!strings.Contains(body, `{"channel":"sms","granted":false}`) {
			t.Errorf("profile: %d %s", res.StatusCode, body)
		}
		if res, body := c.Do("GET", "/signin?reset=1", "", ""); res.StatusCode != http.StatusOK || !strings.Contains(body, "密码已重置") {
			t.Errorf("sign-in page after reset: %d", res.StatusCode)
		}
	})
}

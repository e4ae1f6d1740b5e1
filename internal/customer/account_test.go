package customer_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"storeops/internal/customer"
	"storeops/internal/store/storetest"
)

func beijing(detail string) map[string]any {
	return map[string]any{
		"recipient": "张三", "mobile": "138 1234 5678",
		"province": "北京市", "province_code": "11", "city": "市辖区", "city_code": "1101",
		"district": "东城区", "district_code": "110101", "detail": detail, "postal_code": "100010",
	}
}

func TestAccountAndAddresses(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			base := serve(t, d)
			c := newClient(t, base)

			var me customer.Customer
			resp := c.want(http.StatusCreated, "POST", "/api/v1/customers/signup",
				map[string]string{"email": "Li.Si@Example.com", "password": "secret-pass", "name": "李四"}, &me)
			if me.Email != "li.si@example.com" || me.ID == 0 || me.Status != customer.StatusActive {
				t.Fatalf("signed up %+v", me)
			}
			var cookie *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == customer.CookieName {
					cookie = ck
				}
			}
			if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
				t.Fatalf("session cookie %+v", cookie)
			}
			var got customer.Customer
			c.want(http.StatusOK, "GET", "/api/v1/customers/me", nil, &got)
			if got.ID != me.ID {
				t.Fatalf("me = %+v, want %v", got, me.ID)
			}

			t.Run("DuplicateEmail", func(t *testing.T) {
				var p problem
				newClient(t, base).want(http.StatusConflict, "POST", "/api/v1/customers/signup",
					map[string]string{"email": "li.si@example.com", "password": "another-pass"}, &p)
				if p.Code != string(customer.CodeEmailTaken) {
					t.Fatalf("code %q", p.Code)
				}
			})
			t.Run("DuplicateMobile", func(t *testing.T) {
				x := newClient(t, base)
				x.want(http.StatusCreated, "POST", "/api/v1/customers/signup", map[string]string{"mobile": "13912345678", "password": "secret-pass"}, nil)
				var p problem
				x.want(http.StatusConflict, "POST", "/api/v1/customers/signup", map[string]string{"mobile": "+86 139-1234-5678", "password": "secret-pass"}, &p)
				if p.Code != string(customer.CodeMobileTaken) {
					t.Fatalf("code %q", p.Code)
				}
				x.want(http.StatusOK, "POST", "/api/v1/customers/signin", map[string]string{"login": "13912345678", "password": "secret-pass"}, nil)
			})
			t.Run("Validation", func(t *testing.T) {
				var p problem
				resp, out := newClient(t, base).do("POST", "/api/v1/customers/signup",
					map[string]string{"mobile": "12345", "password": "short"}, http.Header{"Accept-Language": {"en"}})
				if resp.StatusCode != 422 {
					t.Fatalf("status %d: %s", resp.StatusCode, out)
				}
				_ = jsonUnmarshal(out, &p)
				fields := map[string]string{}
				for _, e := range p.Errors {
					fields[e.Field] = e.Message
				}
				if fields["mobile"] == "" || !strings.Contains(fields["password"], "at least 8") {
					t.Fatalf("field errors %+v", p.Errors)
				}
			})

			// Address book.
			var a1, a2 customer.Address
			c.want(http.StatusCreated, "POST", "/api/v1/customers/me/addresses", beijing("景山前街4号"), &a1)
			if !a1.IsDefault || a1.ProvinceCode != "110000" || a1.CityCode != "110100" || a1.Mobile != "13812345678" {
				t.Fatalf("first address %+v", a1)
			}
			body := beijing("王府井大街1号")
			body["is_default"] = true
			c.want(http.StatusCreated, "POST", "/api/v1/customers/me/addresses", body, &a2)
			var page struct {
				Items      []customer.Address `json:"items"`
				NextCursor string             `json:"next_cursor"`
			}
			c.want(http.StatusOK, "GET", "/api/v1/customers/me/addresses?limit=1", nil, &page)
			if len(page.Items) != 1 || page.Items[0].ID != a1.ID || page.Items[0].IsDefault || page.NextCursor == "" {
				t.Fatalf("page 1 %+v", page)
			}
			c.want(http.StatusOK, "GET", "/api/v1/customers/me/addresses?limit=1&cursor="+page.NextCursor, nil, &page)
			if len(page.Items) != 1 || page.Items[0].ID != a2.ID || !page.Items[0].IsDefault {
				t.Fatalf("page 2 %+v", page)
			}
			upd := beijing("景山前街4号 故宫")
			var a1u customer.Address
			c.want(http.StatusOK, "PUT", fmt.Sprintf("/api/v1/customers/me/addresses/%d", a1.ID), upd, &a1u)
			if a1u.Detail != "景山前街4号 故宫" || a1u.IsDefault {
				t.Fatalf("updated %+v", a1u)
			}
			bad := beijing("x")
			bad["district_code"] = "120101"
			var p problem
			c.want(http.StatusUnprocessableEntity, "PUT", fmt.Sprintf("/api/v1/customers/me/addresses/%d", a1.ID), bad, &p)
			if len(p.Errors) != 1 || p.Errors[0].Field != "district_code" {
				t.Fatalf("mismatch errors %+v", p)
			}
			c.want(http.StatusNoContent, "DELETE", fmt.Sprintf("/api/v1/customers/me/addresses/%d", a2.ID), nil, nil)
			c.want(http.StatusOK, "GET", "/api/v1/customers/me/addresses", nil, &page)
			if len(page.Items) != 1 || !page.Items[0].IsDefault {
				t.Fatalf("after deleting the default %+v", page)
			}

			// Another customer cannot see or touch these.
			other := newClient(t, base)
			other.want(http.StatusCreated, "POST", "/api/v1/customers/signup", map[string]string{"email": "w@example.com", "password": "secret-pass"}, nil)
			other.want(http.StatusNotFound, "PUT", fmt.Sprintf("/api/v1/customers/me/addresses/%d", a1.ID), upd, nil)
			other.want(http.StatusNotFound, "DELETE", fmt.Sprintf("/api/v1/customers/me/addresses/%d", a1.ID), nil, nil)

			// Sign out ends the session server-side.
			c.want(http.StatusNoContent, "POST", "/api/v1/customers/signout", nil, nil)
			c.want(http.StatusUnauthorized, "GET", "/api/v1/customers/me", nil, nil)
			c.want(http.StatusOK, "POST", "/api/v1/customers/signin", map[string]string{"login": "LI.SI@example.com", "password": "secret-pass"}, nil)
			c.want(http.StatusOK, "GET", "/api/v1/customers/me", nil, nil)
		})
	}
}

func TestSignInThrottle(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			base := serve(t, d)
			c := newClient(t, base)
			c.want(http.StatusCreated, "POST", "/api/v1/customers/signup", map[string]string{"mobile": "13700000001", "password": "right-password"}, nil)

			// Unknown login and wrong password look the same.
			var p1, p2 problem
			c.want(http.StatusUnauthorized, "POST", "/api/v1/customers/signin", map[string]string{"login": "13700000009", "password": "whatever-pw"}, &p1)
			c.want(http.StatusUnauthorized, "POST", "/api/v1/customers/signin", map[string]string{"login": "13700000001", "password": "wrong-password"}, &p2)
			if p1.Code != p2.Code || p1.Title != p2.Title || p1.Code != string(customer.CodeInvalidCredentials) {
				t.Fatalf("unknown login %+v vs wrong password %+v", p1, p2)
			}
			// Four more failures reach the per-login limit of five.
			for i := 0; i < 4; i++ {
				c.want(http.StatusUnauthorized, "POST", "/api/v1/customers/signin", map[string]string{"login": "13700000001", "password": "wrong-password"}, nil)
			}
			// Now even the right password is refused until the lock ends.
			resp, out := c.do("POST", "/api/v1/customers/signin", map[string]string{"login": "13700000001", "password": "right-password"}, nil)
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(out), "account_locked") {
				t.Fatalf("locked: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), out)
			}
			// Another login from the same address is still allowed.
			c.want(http.StatusUnauthorized, "POST", "/api/v1/customers/signin", map[string]string{"login": "x@example.com", "password": "whatever-pw"}, nil)
		})
	}
}

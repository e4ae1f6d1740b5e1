package customer_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/customer"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
)

// Owned is one customer endpoint that takes the id of something a
// customer owns. Other domains add theirs to OwnedEndpoints (tickets,
// returns, chats, points…): the test creates the owner's resource with
// Create and checks that another customer gets 404 for it.
type Owned struct {
	Name string
	// Create makes the owner's resource and returns its id.
	Create func(t *testing.T, a *app.App, owner *apptest.Client, ownerID platform.ID) string
	// Requests are what the intruder tries with that id.
	Requests []Request
}

// Request is one call: %s in Path is the id.
type Request struct {
	Method, Path, Body string
	// Form posts Body as a form (storefront pages) instead of JSON.
	Form bool
}

// OwnedEndpoints is the table; keep it growing with every endpoint.
var OwnedEndpoints = []Owned{
	{
		Name: "address",
		Create: func(t *testing.T, a *app.App, owner *apptest.Client, _ platform.ID) string {
			res, body := owner.JSON("POST", "/api/v1/customers/me/addresses",
				`{"recipient":"张三","mobile":"13812345678","province_code":"11","city_code":"1101","district_code":"110101","detail":"东华门大街 1 号"}`)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("address: %d %s", res.StatusCode, body)
			}
			return apptest.Decode[struct {
				ID platform.ID `json:"id"`
			}](t, body).ID.String()
		},
		Requests: []Request{
			{Method: "PUT", Path: "/api/v1/customers/me/addresses/%s",
				Body: `{"recipient":"李四","mobile":"13812345678","province_code":"11","city_code":"1101","district_code":"110101","detail":"x"}`},
			{Method: "DELETE", Path: "/api/v1/customers/me/addresses/%s"},
			{Method: "POST", Path: "/account/addresses/%s/default", Form: true},
			{Method: "POST", Path: "/account/addresses/%s/delete", Form: true},
		},
	},
	{
		Name:   "order invoice",
		Create: orderOf,
		Requests: []Request{
			{Method: "GET", Path: "/api/v1/customers/me/orders/%s/invoice"},
			{Method: "POST", Path: "/api/v1/customers/me/orders/%s/invoice", Body: `{"title_type":"personal","title":"x"}`},
			{Method: "GET", Path: "/orders/%s/invoice"},
		},
	},
	{
		Name:   "order and its returns",
		Create: orderOf,
		Requests: []Request{
			{Method: "GET", Path: "/api/v1/customers/me/orders/%s"},
			{Method: "GET", Path: "/api/v1/customers/me/orders/%s/returns"},
			{Method: "POST", Path: "/api/v1/customers/me/orders/%s/returns", Body: `{"kind":"return","reason":"size","lines":[{"order_line_id":"1","qty":1}]}`},
			{Method: "GET", Path: "/orders/%s/returns"},
		},
	},
	{
		Name: "ticket",
		Create: func(t *testing.T, a *app.App, owner *apptest.Client, _ platform.ID) string {
			return createdID(t, "ticket", owner, "/api/v1/support/tickets", `{"type":"pre_sale","subject":"有货吗","body":"请问什么时候到货？"}`)
		},
		Requests: []Request{
			{Method: "GET", Path: "/api/v1/customers/me/tickets/%s"},
			{Method: "POST", Path: "/api/v1/customers/me/tickets/%s/messages", Body: `{"body":"我来看看"}`},
		},
	},
	{
		Name: "chat",
		Create: func(t *testing.T, a *app.App, owner *apptest.Client, _ platform.ID) string {
			res, body := owner.JSON("POST", "/api/v1/chat/conversations", `{}`)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("chat: %d %s", res.StatusCode, body)
			}
			return apptest.Decode[struct {
				Conversation struct {
					ID platform.ID `json:"id"`
				} `json:"conversation"`
			}](t, body).Conversation.ID.String()
		},
		Requests: []Request{
			{Method: "GET", Path: "/api/v1/chat/conversations/%s/messages"},
			{Method: "GET", Path: "/api/v1/chat/ws?conversation=%s"},
		},
	},
}

// orderOf seeds an order of the owner and returns its id.
func orderOf(t *testing.T, a *app.App, _ *apptest.Client, ownerID platform.ID) string {
	no := seedOrder(t, a.DB, ownerID)
	var id platform.ID
	if err := a.DB.R.QueryRow(`SELECT id FROM orders WHERE order_no = $1`, no).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id.String()
}

// createdID posts body to path as the owner and returns the new
// resource's id.
func createdID(t *testing.T, what string, owner *apptest.Client, path, body string) string {
	t.Helper()
	res, out := owner.JSON("POST", path, body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("%s: %d %s", what, res.StatusCode, out)
	}
	return apptest.Decode[struct {
		ID platform.ID `json:"id"`
	}](t, out).ID.String()
}

// TestAnotherCustomersIDsAreNotFound: every customer endpoint answers 404
// for an id another customer owns, and the owner's data is unchanged.
func TestAnotherCustomersIDsAreNotFound(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		owner, ownerID := member(t, base, "owner@example.com", "13822220000")
		intruder, _ := member(t, base, "intruder@example.com", "13822220001")
		for _, o := range OwnedEndpoints {
			id := o.Create(t, a, owner, ownerID)
			for _, r := range o.Requests {
				path := strings.ReplaceAll(r.Path, "%s", id)
				var res *http.Response
				var body string
				if r.Form {
					v, _ := url.ParseQuery(r.Body)
					res, body = intruder.Form(path, v)
				} else {
					res, body = intruder.JSON(r.Method, path, r.Body, "Idempotency-Key", "k-"+strings.ReplaceAll(o.Name, " ", "-")+"-"+r.Method)
				}
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("%s: %s %s by another customer: %d %s, want 404", o.Name, r.Method, r.Path, res.StatusCode, body)
				}
			}
		}
		// The owner's address is still there.
		if res, body := owner.JSON("GET", "/api/v1/customers/me/addresses", ""); res.StatusCode != http.StatusOK || !strings.Contains(body, "东华门大街") {
			t.Errorf("owner's addresses: %d %s", res.StatusCode, body)
		}
	})
}

// TestAccountPagesByForm: the storefront flow a shopper clicks through:
// code sign-in, the address book, sign out of other devices, deletion.
func TestAccountPagesByForm(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		c := apptest.NewClient(t, base)
		const mobile = "13833330000"
		if res, body := c.Do("GET", "/signin/code?next=/account", "", ""); res.StatusCode != http.StatusOK || !strings.Contains(body, "code-send-form") {
			t.Fatalf("code page: %d", res.StatusCode)
		}
		res, _ := c.Form("/signin/code/send", url.Values{"mobile": {mobile}, "next": {"/account"}})
		if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "sent=1") {
			t.Fatalf("send form: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res, body := c.Form("/signin/code", url.Values{"mobile": {mobile}, "code": {"99999x"}, "next": {"/account"}})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "form-error") {
			t.Errorf("wrong code form: %d", res.StatusCode)
		}
		res, _ = c.Form("/signin/code", url.Values{"mobile": {mobile}, "code": {lastCode(t, a, mobile)}, "next": {"/account"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
			t.Fatalf("code sign-in form: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res, body := c.Do("GET", "/account", "", ""); res.StatusCode != http.StatusOK || !strings.Contains(body, "138****0000") {
			t.Errorf("account page: %d", res.StatusCode)
		}

		res, body = c.Form("/account/addresses", url.Values{"recipient": {"王五"}, "mobile": {"13812345678"}, "province_code": {"11"},
			"city_code": {"1101"}, "district_code": {"110101"}, "detail": {"<i>东华门</i>"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("add address: %d %s", res.StatusCode, body)
		}
		res, body = c.Do("GET", "/account/addresses", "", "")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "&lt;i&gt;东华门") || !strings.Contains(body, "王五") {
			t.Errorf("address page: %d", res.StatusCode)
		}
		res, body = c.Form("/account/addresses", url.Values{"recipient": {"王五"}, "mobile": {"123"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "form-error") {
			t.Errorf("bad address form: %d", res.StatusCode)
		}

		var id platform.ID
		if err := a.DB.R.QueryRow(`SELECT id FROM customers WHERE mobile = $1`, mobile).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, _, err := customer.NewService(a.DB, nil, customer.Config{}).StartSession(context.Background(), id, customer.SessionMeta{}); err != nil {
			t.Fatal(err)
		}
		if res, _ := c.Form("/account/sessions/end", nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("end sessions: %d", res.StatusCode)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM customer_sessions WHERE customer_id = $1`, id); n != 1 {
			t.Errorf("%d sessions after signing out the others, want 1", n)
		}
		if res, _ := c.Do("GET", "/account", "", ""); res.StatusCode != http.StatusOK {
			t.Errorf("own session ended too: %d", res.StatusCode)
		}

		res, _ = c.Form("/account/delete", url.Values{})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("delete without confirmation: %d", res.StatusCode)
		}
		res, _ = c.Form("/account/delete", url.Values{"confirm": {"DELETE"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete form: %d", res.StatusCode)
		}
		if res, _ := c.Do("GET", "/account", "", ""); res.StatusCode != http.StatusSeeOther {
			t.Errorf("account after deletion: %d, want a redirect to sign in", res.StatusCode)
		}
	})
}

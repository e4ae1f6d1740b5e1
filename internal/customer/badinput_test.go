package customer_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"storeops/internal/store/storetest"
)

// badInput is one malformed request against the real server.
type badInput struct {
	Name           string
	Method, URL    string
	Header         http.Header
	Body           any // string or []byte sent as is; nil for none
	SignedIn       bool
	ExpectedStatus int
	ExpectedCode   string
}

// Every bad request gets an RFC 9457 problem with a stable code, in
// Chinese by default and in English on request.
func TestBadInput(t *testing.T) {
	big := `{"recipient":"` + strings.Repeat("x", 2<<20) + `"}`
	cases := []badInput{
		{"MalformedJSON", "POST", "/api/v1/customers/signup", nil, `{"email":`, false, 400, "malformed_json"},
		{"TrailingData", "POST", "/api/v1/customers/signin", nil, `{"login":"a@b.cn","password":"x"} {}`, false, 400, "malformed_json"},
		{"EmptyBody", "POST", "/api/v1/customers/signin", nil, ``, false, 400, "malformed_json"},
		{"WrongContentType", "POST", "/api/v1/customers/signup", http.Header{"Content-Type": {"text/plain"}}, `{"email":"a@b.cn"}`, false, 415, "unsupported_media"},
		{"Oversize", "POST", "/api/v1/customers/me/addresses", nil, big, true, 413, "body_too_large"},
		{"UnknownRoute", "GET", "/api/v1/no-such-thing", nil, nil, false, 404, "route_not_found"},
		{"WrongMethod", "DELETE", "/api/v1/customers/signup", nil, nil, false, 405, "method_not_allowed"},
		{"UnknownField", "POST", "/api/v1/customers/signup", nil, `{"email":"a@b.cn","password":"12345678","admin":true}`, false, 422, "invalid"},
		{"WrongType", "POST", "/api/v1/customers/signup", nil, `{"email":42,"password":"12345678"}`, false, 422, "invalid"},
		{"BadCursor", "GET", "/api/v1/customers/me/addresses?cursor=bm90LWpzb24", nil, nil, true, 400, "bad_cursor"},
		{"BadLimit", "GET", "/api/v1/customers/me/addresses?limit=1000", nil, nil, true, 422, "invalid"},
		{"UnknownID", "PUT", "/api/v1/customers/me/addresses/999999", nil, `{"recipient":"张三","mobile":"13812345678","province":"北京市","province_code":"11","city":"市辖区","city_code":"1101","district":"东城区","district_code":"110101","detail":"x"}`, true, 404, "not_found"},
		{"MalformedID", "DELETE", "/api/v1/customers/me/addresses/abc", nil, nil, true, 404, "not_found"},
		{"SignedOutMe", "GET", "/api/v1/customers/me", nil, nil, false, 401, "unauthenticated"},
		{"SignedOutAddresses", "POST", "/api/v1/customers/me/addresses", nil, `{}`, false, 401, "unauthenticated"},
		{"ForgedCookie", "GET", "/api/v1/customers/me", http.Header{"Cookie": {"storeops_shop=forged"}}, nil, false, 401, "unauthenticated"},
	}
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			base := serve(t, d)
			signedIn := newClient(t, base)
			signedIn.want(http.StatusCreated, "POST", "/api/v1/customers/signup", map[string]string{"email": "bad@example.com", "password": "secret-pass"}, nil)
			anon := newClient(t, base)
			for _, tc := range cases {
				t.Run(tc.Name, func(t *testing.T) {
					c := anon
					if tc.SignedIn {
						c = signedIn
					}
					for _, lang := range []string{"", "en"} {
						h := http.Header{}
						if tc.Body != nil {
							h.Set("Content-Type", "application/json")
						}
						for k, v := range tc.Header {
							h[k] = v
						}
						if lang != "" {
							h.Set("Accept-Language", lang)
						}
						resp, out := c.doRaw(tc.Method, tc.URL, tc.Body, h)
						if resp.StatusCode != tc.ExpectedStatus {
							t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, tc.ExpectedStatus, out)
						}
						if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
							t.Fatalf("content type %q", ct)
						}
						var p problem
						if err := json.Unmarshal(out, &p); err != nil {
							t.Fatalf("problem is not JSON: %v: %s", err, out)
						}
						if p.Code != tc.ExpectedCode || p.Status != tc.ExpectedStatus {
							t.Fatalf("problem %+v, want code %s", p, tc.ExpectedCode)
						}
						if lang == "" && !hasHan(p.Title) {
							t.Errorf("default title %q is not Chinese", p.Title)
						}
						if lang == "en" && (hasHan(p.Title) || p.Title == "") {
							t.Errorf("English title %q", p.Title)
						}
						for _, e := range p.Errors {
							if lang == "" && !hasHan(e.Message) || lang == "en" && hasHan(e.Message) {
								t.Errorf("field %s message %q in the wrong language", e.Field, e.Message)
							}
						}
					}
				})
			}
		})
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

package apptest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"storeops/internal/platform"
)

// Client is a browser-like HTTP client for a served app: its own cookie
// jar, same-origin requests, redirects not followed (tests look at them).
type Client struct {
	t    testing.TB
	Base string
	HTTP *http.Client
}

// NewClient makes a client for the app served at base.
func NewClient(t testing.TB, base string) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, Base: base, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Do sends a request with a body of content type ctype ("" for none) and
// header name/value pairs, and returns the response with its body read.
func (c *Client) Do(method, path, ctype, body string, header ...string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.Base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	// What a browser sends from the shop's own pages.
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(data)
}

// JSON sends a JSON body.
func (c *Client) JSON(method, path, body string, header ...string) (*http.Response, string) {
	c.t.Helper()
	return c.Do(method, path, "application/json", body, header...)
}

// Form posts url-encoded form values.
func (c *Client) Form(path string, values url.Values, header ...string) (*http.Response, string) {
	c.t.Helper()
	return c.Do(http.MethodPost, path, "application/x-www-form-urlencoded", values.Encode(), header...)
}

// Cookie returns the jar's cookie of that name, or nil.
func (c *Client) Cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.Base)
	for _, k := range c.HTTP.Jar.Cookies(u) {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// Decode unmarshals a JSON body into v or fails the test.
func Decode[T any](t testing.TB, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
	return v
}

// Problem checks that a response is a JSON problem with status and code.
func Problem(t testing.TB, res *http.Response, body string, status int, code platform.Code) {
	t.Helper()
	var p struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal([]byte(body), &p)
	if res.StatusCode != status || p.Code != string(code) || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("got %d %s (%s), want %d %s", res.StatusCode, p.Code, body, status, code)
	}
}

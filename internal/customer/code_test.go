package customer_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"storeops/internal/app"
	"storeops/internal/app/apptest"
	"storeops/internal/customer"
	"storeops/internal/customer/sms"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
)

// lastCode reads the code the SMS sandbox sent to mobile.
func lastCode(t *testing.T, a *app.App, mobile string) string {
	t.Helper()
	m, err := sms.Last(context.Background(), a.DB.R, mobile)
	if err != nil {
		t.Fatalf("no SMS to %s: %v", mobile, err)
	}
	if m.Template != sms.TemplateCode || len(m.Params["code"]) != 6 {
		t.Fatalf("SMS %+v", m)
	}
	return m.Params["code"]
}

func newClock() *platform.FixedClock {
	return platform.NewFixedClock(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
}

// TestSignInByCode: a code signs a new number up, then signs it in; a code
// works once, expires, and burns after five wrong tries; an account
// without a password cannot sign in with one.
func TestSignInByCode(t *testing.T) {
	clk := newClock()
	apptest.Each(t, apptest.Options{Clock: clk}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		c := apptest.NewClient(t, base)
		const mobile = "13800138000"

		res, body := c.JSON("POST", "/api/v1/customers/codes", `{"mobile":"+86 138-0013-8000"}`)
		if res.StatusCode != http.StatusAccepted || !strings.Contains(body, `"expires_in":300`) {
			t.Fatalf("send: %d %s", res.StatusCode, body)
		}
		code := lastCode(t, a, mobile)
		var stored string
		if err := a.DB.R.QueryRow(`SELECT code_hash FROM customer_otp_codes WHERE mobile = $1`, mobile).Scan(&stored); err != nil || strings.Contains(stored, code) {
			t.Errorf("stored code %q (err %v): want a hash", stored, err)
		}
		res, body = c.JSON("POST", "/api/v1/customers/signin/code", `{"mobile":"`+mobile+`","code":"`+code+`"}`)
		if res.StatusCode != http.StatusCreated || c.Cookie(customer.CookieName) == nil {
			t.Fatalf("sign up by code: %d %s", res.StatusCode, body)
		}
		id := apptest.Decode[customer.Customer](t, body).ID
		if res, body := c.JSON("GET", "/api/v1/customers/me", ""); res.StatusCode != http.StatusOK || !strings.Contains(body, mobile) {
			t.Errorf("me: %d %s", res.StatusCode, body)
		}
		// Used once.
		res, body = c.JSON("POST", "/api/v1/customers/signin/code", `{"mobile":"`+mobile+`","code":"`+code+`"}`)
		apptest.Problem(t, res, body, http.StatusUnauthorized, customer.CodeCodeInvalid)
		// A password never set cannot be guessed, and is no server error.
		res, body = c.JSON("POST", "/api/v1/customers/signin", `{"login":"`+mobile+`","password":"whatever1234"}`)
		apptest.Problem(t, res, body, http.StatusUnauthorized, customer.CodeInvalidCredentials)

		// A second code inside a minute is refused with Retry-After.
		res, body = c.JSON("POST", "/api/v1/customers/codes", `{"mobile":"`+mobile+`"}`)
		apptest.Problem(t, res, body, http.StatusTooManyRequests, platform.CodeRateLimited)
		if res.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		clk.Advance(61 * time.Second)
		other := apptest.NewClient(t, base)
		if res, body := other.JSON("POST", "/api/v1/customers/codes", `{"mobile":"`+mobile+`"}`); res.StatusCode != http.StatusAccepted {
			t.Fatalf("second code: %d %s", res.StatusCode, body)
		}
		code = lastCode(t, a, mobile)
		res, body = other.JSON("POST", "/api/v1/customers/signin/code", `{"mobile":"`+mobile+`","code":"`+code+`"}`)
		if res.StatusCode != http.StatusOK || apptest.Decode[customer.Customer](t, body).ID != id {
			t.Fatalf("sign in by code: %d %s, want the same account", res.StatusCode, body)
		}

		// Expired after five minutes.
		clk.Advance(61 * time.Second)
		other.JSON("POST", "/api/v1/customers/codes", `{"mobile":"`+mobile+`"}`)
		code = lastCode(t, a, mobile)
		clk.Advance(5*time.Minute + time.Second)
		res, body = other.JSON("POST", "/api/v1/customers/signin/code", `{"mobile":"`+mobile+`","code":"`+code+`"}`)
		apptest.Problem(t, res, body, http.StatusUnauthorized, customer.CodeCodeInvalid)

		// Burnt after five wrong tries, even for the right code after.
		const m2 = "13900139000"
		if res, body := other.JSON("POST", "/api/v1/customers/codes", `{"mobile":"`+m2+`"}`); res.StatusCode != http.StatusAccepted {
			t.Fatalf("send: %d %s", res.StatusCode, body)
		}
		code = lastCode(t, a, m2)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		for i := 0; i < 5; i++ {
			res, body = other.JSON("POST", "/api/v1/customers/signin/code", `{"mobile":"`+m2+`","code":"`+wrong+`"}`)
			if res.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong code %d: %d %s", i, res.StatusCode, body)
			}
		}
		res, body = other.JSON("POST", "/api/v1/customers/signin/code", `{"mobile":"`+m2+`","code":"`+code+`"}`)
		if res.StatusCode == http.StatusOK || res.StatusCode == http.StatusCreated {
			t.Errorf("right code after five wrong tries: %d %s", res.StatusCode, body)
		}

		// Bad input is a 422, never a 500.
		for _, b := range []string{`{"mobile":"12345"}`, `{"mobile":""}`, `{"mobile":"<script>"}`} {
			res, body := other.JSON("POST", "/api/v1/customers/codes", b)
			apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
		}
		res, body = other.JSON("POST", "/api/v1/customers/signin/code", `{"mobile":"`+mobile+`","code":"12"}`)
		apptest.Problem(t, res, body, http.StatusUnprocessableEntity, platform.CodeInvalid)
	})
}

// TestCodeRateLimits: codes are limited per number (five an hour) and per
// client address (twenty an hour).
func TestCodeRateLimits(t *testing.T) {
	clk := newClock()
	apptest.Each(t, apptest.Options{Clock: clk}, func(t *testing.T, a *app.App) {
		c := apptest.NewClient(t, apptest.Serve(t, a))
		const mobile = "13700137000"
		for i := 0; i < 5; i++ {
			if res, body := c.JSON("POST", "/api/v1/customers/codes", `{"mobile":"`+mobile+`"}`); res.StatusCode != http.StatusAccepted {
				t.Fatalf("code %d: %d %s", i, res.StatusCode, body)
			}
			clk.Advance(61 * time.Second)
		}
		res, body := c.JSON("POST", "/api/v1/customers/codes", `{"mobile":"`+mobile+`"}`)
		apptest.Problem(t, res, body, http.StatusTooManyRequests, platform.CodeRateLimited)

		// Fifteen more numbers from the same address reach its limit of 20.
		for i := 0; i < 15; i++ {
			m := "1360013" + strings.Repeat("0", 3) + string(rune('0'+i%10))
			if i >= 10 {
				m = "1350013" + strings.Repeat("0", 3) + string(rune('0'+i%10))
			}
			if res, body := c.JSON("POST", "/api/v1/customers/codes", `{"mobile":"`+m+`"}`); res.StatusCode != http.StatusAccepted {
				t.Fatalf("number %d (%s): %d %s", i, m, res.StatusCode, body)
			}
		}
		res, body = c.JSON("POST", "/api/v1/customers/codes", `{"mobile":"13400134000"}`)
		apptest.Problem(t, res, body, http.StatusTooManyRequests, platform.CodeRateLimited)
	})
}

// TestSMSSandboxChecksSignatures: the sandbox refuses a request signed
// with the wrong secret, and a replayed one.
func TestSMSSandboxChecksSignatures(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		bad := &sms.HTTPSender{URL: base + customer.SMSSandboxPrefix + "/send", Key: "storeops-sandbox", Secret: "not the secret"}
		err := bad.Send(context.Background(), sms.Message{Mobile: "13800138000", Template: sms.TemplateCode, Params: map[string]string{"code": "123456"}})
		if err == nil || !strings.Contains(err.Error(), "BAD_SIGNATURE") {
			t.Errorf("wrong secret: %v", err)
		}
		// Replay: the same signed request twice, on a sandbox we hold the secret of.
		sb := &sms.Sandbox{DB: a.DB, Key: "k", Secret: "s", Log: apptest.Logger()}
		var first *http.Request
		rec := recordingTransport{h: sb, keep: &first}
		good := &sms.HTTPSender{URL: "http://sandbox.test/send", Key: "k", Secret: "s", Client: &http.Client{Transport: rec}, Now: a.DB.Now}
		if err := good.Send(context.Background(), sms.Message{Mobile: "13800138001", Template: sms.TemplateCode, Params: map[string]string{"code": "1"}}); err != nil {
			t.Fatal(err)
		}
		res, _ := sms.HandlerTransport{Handler: sb}.RoundTrip(first)
		if res.StatusCode != http.StatusConflict {
			t.Errorf("replay: %d, want 409", res.StatusCode)
		}
	})
}

// recordingTransport serves with h and keeps a replayable copy of the
// first request.
type recordingTransport struct {
	h    http.Handler
	keep **http.Request
}

func (rt recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if *rt.keep == nil {
		body, _ := req.GetBody()
		cp := req.Clone(req.Context())
		cp.Body = body
		*rt.keep = cp
	}
	return sms.HandlerTransport{Handler: rt.h}.RoundTrip(req)
}

// TestCodeWorksOnceUnderConcurrency: eight simultaneous sign-ins with the
// same code start exactly one session.
func TestCodeWorksOnceUnderConcurrency(t *testing.T) {
	apptest.Each(t, apptest.Options{}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		const mobile = "13855550000"
		if res, body := apptest.NewClient(t, base).JSON("POST", "/api/v1/customers/codes", `{"mobile":"`+mobile+`"}`); res.StatusCode != http.StatusAccepted {
			t.Fatalf("send: %d %s", res.StatusCode, body)
		}
		code := lastCode(t, a, mobile)
		const n = 8
		statuses := make(chan int, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("POST", base+"/api/v1/customers/signin/code",
					strings.NewReader(`{"mobile":"`+mobile+`","code":"`+code+`"}`))
				req.Header.Set("Content-Type", "application/json")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					statuses <- 0
					return
				}
				res.Body.Close()
				statuses <- res.StatusCode
			}()
		}
		wg.Wait()
		close(statuses)
		ok := 0
		for s := range statuses {
			switch s {
			case http.StatusCreated, http.StatusOK:
				ok++
			case http.StatusUnauthorized, http.StatusTooManyRequests: // refused, or the number locked after five tries
			default:
				t.Errorf("status %d", s)
			}
		}
		if ok != 1 {
			t.Errorf("%d sign-ins with one code, want 1", ok)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM customers WHERE mobile = $1`, mobile); n != 1 {
			t.Errorf("%d accounts for the number", n)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM customer_sessions`); n != 1 {
			t.Errorf("%d sessions, want 1", n)
		}
	})
}

// TestPurgeForgetsExpiredCodes: housekeeping deletes codes and reset
// links a day after they expired.
func TestPurgeForgetsExpiredCodes(t *testing.T) {
	clk := newClock()
	apptest.Each(t, apptest.Options{Clock: clk}, func(t *testing.T, a *app.App) {
		base := apptest.Serve(t, a)
		apptest.NewClient(t, base).JSON("POST", "/api/v1/customers/codes", `{"mobile":"13866660000"}`)
		if _, _, err := customer.Purge(context.Background(), a.DB, a.DB.Now()); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM customer_otp_codes`); n != 1 {
			t.Fatalf("%d codes after an early purge, want 1", n)
		}
		if _, _, err := customer.Purge(context.Background(), a.DB, a.DB.Now().Add(25*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, a.DB, `SELECT COUNT(*) FROM customer_otp_codes`); n != 0 {
			t.Errorf("%d codes a day after expiry, want 0", n)
		}
	})
}

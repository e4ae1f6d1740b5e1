package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"storeops/internal/customer"
	"storeops/internal/platform"
)

// outcome is what a buyer's checkout request came to.
type outcome int

const (
	notSent outcome = iota // no checkout request went out (not tried, or its quote failed)
	acked                  // 201: the order id and number are in Placed
	refused                // a 4xx problem with a stable code
	unknown                // the connection died mid-request: the order may or may not exist
	failed                 // a 5xx or an unreadable answer: a bug
)

func (o outcome) String() string {
	return [...]string{"not_sent", "acked", "refused", "unknown", "failed"}[o]
}

// attempt is one buyer's checkout request and what came of it.
type attempt struct {
	Buyer   *buyer
	Body    []byte // exactly as sent, so a retry is the same request
	Outcome outcome
	Status  int
	Code    string
	Placed  placedBody
	Err     error
}

// placedBody is the part of a 201 the test checks.
type placedBody struct {
	OrderID  platform.ID    `json:"order_id"`
	OrderNo  string         `json:"order_no"`
	Status   string         `json:"status"`
	Total    platform.Money `json:"total"`
	Replayed bool           `json:"replayed"`
}

// shopClient speaks to one server as the buyers.
type shopClient struct {
	base string
	http *http.Client
}

func newShopClient(base string, conns int) *shopClient {
	tr := &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns}
	return &shopClient{base: base, http: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (c *shopClient) post(b *buyer, path, key string, body []byte) (*http.Response, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "en")
	req.AddCookie(&http.Cookie{Name: customer.CookieName, Value: b.Token})
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res, data, err
}

// quote asks for the payable amount the buyer is shown; place must send
// it back as expected_total. A refused quote (the stock already gone)
// comes back as an attempt outcome, and no order is asked for.
func (c *shopClient) quote(a *attempt) (platform.Money, bool) {
	body := fmt.Appendf(nil, `{"address_id":"%s"}`, a.Buyer.Address)
	res, data, err := c.post(a.Buyer, "/api/v1/checkout/quote", "", body)
	if err != nil {
		// A quote changes nothing: without one, no order was asked for.
		a.Outcome, a.Err = notSent, err
		return 0, false
	}
	if res.StatusCode != http.StatusOK {
		a.record(res.StatusCode, data)
		return 0, false
	}
	var q struct {
		Payable platform.Money `json:"payable"`
	}
	if err := json.Unmarshal(data, &q); err != nil {
		a.Outcome, a.Err = failed, fmt.Errorf("quote: %w: %s", err, data)
		return 0, false
	}
	return q.Payable, true
}

// place sends the checkout request in a and records its outcome.
func (c *shopClient) place(a *attempt) {
	res, data, err := c.post(a.Buyer, "/api/v1/checkout", a.Buyer.Key, a.Body)
	a.Err = err
	if err != nil {
		// Even "connection refused" proves nothing: the transport resends
		// a request that carries an Idempotency-Key when its reused
		// connection dies, so the refusal may follow a first send that
		// the server received and committed.
		a.Outcome = unknown
		return
	}
	a.record(res.StatusCode, data)
}

// record classifies an HTTP answer: 201 with an order, a 4xx problem with
// a stable code, or anything else (a bug).
func (a *attempt) record(status int, data []byte) {
	a.Status = status
	switch {
	case status == http.StatusCreated:
		if err := json.Unmarshal(data, &a.Placed); err != nil || a.Placed.OrderID == 0 {
			a.Outcome, a.Err = failed, fmt.Errorf("201 without an order: %v: %s", err, data)
			return
		}
		a.Outcome = acked
	case status >= 400 && status < 500:
		var p struct {
			Code string `json:"code"`
		}
		if json.Unmarshal(data, &p) != nil || p.Code == "" {
			a.Outcome, a.Err = failed, fmt.Errorf("%d without a problem code: %s", status, data)
			return
		}
		a.Outcome, a.Code = refused, p.Code
	default:
		a.Outcome, a.Err = failed, fmt.Errorf("status %d: %s", status, data)
	}
}

// checkoutBody is the buyer's place request for the quoted total.
func checkoutBody(b *buyer, payable platform.Money) []byte {
	return fmt.Appendf(nil, `{"address_id":"%s","payment_method":"%s","expected_total":%d}`, b.Address, b.Method, payable)
}

// load has every buyer quote and check out from workers goroutines, and
// closes trigger once killAfter orders were acknowledged. After stop is
// closed, buyers not yet started are left not sent.
func load(c *shopClient, buyers []*buyer, workers, killAfter int, trigger chan<- struct{}, stop <-chan struct{}) []*attempt {
	out := make([]*attempt, len(buyers))
	next := make(chan int)
	var acks atomic.Int64
	var once sync.Once
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				a := &attempt{Buyer: buyers[i]}
				out[i] = a
				select {
				case <-stop:
					continue
				default:
				}
				payable, ok := c.quote(a)
				if !ok {
					continue
				}
				a.Body = checkoutBody(a.Buyer, payable)
				c.place(a)
				if a.Outcome == acked && acks.Add(1) == int64(killAfter) {
					once.Do(func() { close(trigger) })
				}
			}
		})
	}
	for i := range buyers {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

package sms

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// HTTPSender sends through an HTTP SMS API that signs requests like the
// sandbox does.
type HTTPSender struct {
	URL    string // the API's send endpoint
	Key    string
	Secret string
	Client *http.Client
	Now    func() time.Time
}

// Send posts one signed message and maps the provider's answer.
func (h *HTTPSender) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	var nb [16]byte
	_, _ = rand.Read(nb[:])
	nonce := hex.EncodeToString(nb[:])
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderKey, h.Key)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderSignature, sign(h.Secret, h.Key, ts, nonce, body))
	client := h.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("sms: send: %w", err)
	}
	defer res.Body.Close()
	var answer Response
	_ = json.NewDecoder(io.LimitReader(res.Body, 4096)).Decode(&answer)
	switch {
	case res.StatusCode == http.StatusOK && answer.Code == "OK":
		return nil
	case res.StatusCode == http.StatusTooManyRequests:
		return ErrRateLimited
	case res.StatusCode >= 400 && res.StatusCode < 500:
		return fmt.Errorf("%w: %d %s", ErrRejected, res.StatusCode, answer.Code)
	}
	return fmt.Errorf("sms: send: provider answered %d %s", res.StatusCode, answer.Code)
}

// HandlerTransport serves requests with an in-process handler: the app
// talks to its own sandbox through the same HTTP request and response a
// remote provider would get, without a network hop.
type HandlerTransport struct{ Handler http.Handler }

// RoundTrip implements http.RoundTripper.
func (t HandlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	t.Handler.ServeHTTP(rec, req)
	return &http.Response{StatusCode: rec.status, Header: rec.header, Body: io.NopCloser(&rec.body),
		Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}, nil
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(s int)           { r.status = s }

package payment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"storeops/internal/payment/sandbox"
	"storeops/internal/platform"
)

// SandboxProvider is the client of the sandbox gateway: a merchant
// account (id and signing secret) at a gateway URL.
type SandboxProvider struct {
	// GatewayURL is the gateway's base, e.g. http://host/sandbox-pay.
	GatewayURL string
	Merchant   string
	Secret     string
	Client     *http.Client
	// Now is the clock for signatures and the timestamp window (default
	// the system clock).
	Now func() time.Time
}

func (p *SandboxProvider) Name() string   { return "sandbox" }
func (p *SandboxProvider) Method() Method { return Online }

func (p *SandboxProvider) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *SandboxProvider) client() *http.Client {
	if p.Client != nil {
		return p.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// call makes one signed request and decodes a 200 answer into out.
func (p *SandboxProvider) call(ctx context.Context, method, path string, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(p.GatewayURL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return platform.E(CodeProviderUnavailable).Wrap(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sandbox.Sign(p.Merchant, p.Secret, p.now(), body).Apply(req.Header)
	resp, err := p.client().Do(req)
	if err != nil {
		return platform.E(CodeProviderUnavailable).Wrap(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		var prob sandbox.Problem
		_ = json.Unmarshal(data, &prob)
		cause := fmt.Errorf("sandbox %s %s: %d %s %s", method, path, resp.StatusCode, prob.Code, prob.Message)
		if resp.StatusCode == http.StatusConflict {
			return platform.E(platform.CodeConflict).Wrap(cause)
		}
		return platform.E(CodeProviderUnavailable).Wrap(cause)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return platform.E(CodeProviderUnavailable).Wrap(err)
	}
	return nil
}

// Start opens a trade keyed by the payment id and returns its pay page.
func (p *SandboxProvider) Start(ctx context.Context, req StartRequest) (StartResult, error) {
	var t sandbox.Trade
	err := p.call(ctx, http.MethodPost, "/api/trades", sandbox.OpenTrade{OutTradeNo: req.Payment.ID.String(), Amount: int64(req.Payment.Amount),
		Currency: req.Payment.Currency, Subject: req.Subject, NotifyURL: req.NotifyURL, ReturnURL: req.ReturnURL}, &t)
	if err != nil {
		return StartResult{}, err
	}
	return StartResult{RedirectURL: t.PayURL}, nil
}

// ParseNotification checks the gateway's signature with the merchant
// secret and maps the notification onto the shop's ids.
func (p *SandboxProvider) ParseNotification(_ context.Context, h http.Header, body []byte) (Notice, error) {
	sig, err := sandbox.SignedFrom(h)
	if err == nil && sig.Merchant != p.Merchant {
		err = sandbox.ErrSignature
	}
	if err == nil {
		err = sig.Verify(p.Secret, p.now(), body)
	}
	if err != nil {
		return Notice{}, platform.E(CodeBadSignature).Wrap(err)
	}
	var n sandbox.Notification
	if err := json.Unmarshal(body, &n); err != nil || n.NotifyID == "" {
		return Notice{}, platform.E(platform.CodeBadRequest).Wrap(errors.Join(err, errors.New("sandbox notification without id")))
	}
	out := Notice{ID: n.NotifyID, Nonce: sig.Nonce, Amount: platform.Money(n.Amount), Currency: n.Currency, ExternalRef: n.TradeNo, Body: body}
	if out.PaymentID, err = platform.ParseID(n.OutTradeNo); err != nil {
		return Notice{}, platform.E(platform.CodeBadRequest).Wrap(err)
	}
	switch n.Kind {
	case sandbox.KindPaid:
		out.Kind = NoticeCaptured
	case sandbox.KindClosed:
		out.Kind = NoticeClosed
	case sandbox.KindRefunded:
		out.Kind = NoticeRefunded
		out.ExternalRef = n.RefundNo
		if out.RefundID, err = platform.ParseID(n.OutRefundNo); err != nil {
			return Notice{}, platform.E(platform.CodeBadRequest).Wrap(err)
		}
	default:
		return Notice{}, platform.E(platform.CodeBadRequest).Wrap(fmt.Errorf("sandbox notification kind %q", n.Kind))
	}
	return out, nil
}

// Refund opens a gateway refund keyed by the refund id; the result comes
// back as a notification.
func (p *SandboxProvider) Refund(ctx context.Context, req RefundRequest) (RefundResult, error) {
	var r sandbox.Refund
	err := p.call(ctx, http.MethodPost, "/api/refunds", sandbox.OpenRefund{OutTradeNo: req.Payment.ID.String(),
		OutRefundNo: req.RefundID.String(), Amount: int64(req.Amount)}, &r)
	if err != nil {
		return RefundResult{}, err
	}
	return RefundResult{ExternalRef: r.RefundNo}, nil
}

// Query reads the trade.
func (p *SandboxProvider) Query(ctx context.Context, pay Payment) (Notice, error) {
	var t sandbox.Trade
	if err := p.call(ctx, http.MethodGet, "/api/trades/"+url.PathEscape(pay.ID.String()), nil, &t); err != nil {
		return Notice{}, err
	}
	n := Notice{ID: "query:" + t.TradeNo + ":" + t.Status, Kind: NoticePending, PaymentID: pay.ID, Amount: platform.Money(t.Amount),
		Currency: t.Currency, ExternalRef: t.TradeNo, Body: []byte(`{"query":"` + t.Status + `"}`)}
	switch t.Status {
	case sandbox.TradePaid:
		n.Kind = NoticeCaptured
	case sandbox.TradeClosed:
		n.Kind = NoticeClosed
	}
	return n, nil
}

package payment

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"storeops/internal/payment/sandbox"
	"storeops/internal/store"
)

// SandboxPrefix is where the app mounts the sandbox gateway.
const SandboxPrefix = "/sandbox-pay"

// sandboxAccount is the shop's merchant account at the gateway mounted in
// its own server: created on first use with a random secret, registered
// with the gateway, and kept in payment_accounts. The gateway's address
// is the shop's own, learnt from the first request that starts a payment
// (the server may sit behind a proxy, so no configured address is
// trusted more than what shoppers reach).
type sandboxAccount struct {
	db *store.DB
	gw *sandbox.Gateway

	mu   sync.Mutex
	prov *SandboxProvider
}

func (a *sandboxAccount) provider(ctx context.Context, base string) (*SandboxProvider, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.prov != nil && a.prov.GatewayURL != "" {
		return a.prov, nil
	}
	var b [24]byte
	_, _ = rand.Read(b[:])
	secret := hex.EncodeToString(b[:])
	var merchant, gatewayURL string
	err := a.db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO payment_accounts (provider, merchant_id, secret, gateway_url, created_at)
			VALUES ('sandbox', 'storeops', $1, '', $2) ON CONFLICT (provider) DO NOTHING`, secret, tx.Now); err != nil {
			return err
		}
		if base != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE payment_accounts SET gateway_url = $1 WHERE provider = 'sandbox' AND gateway_url = ''`, base+SandboxPrefix); err != nil {
				return err
			}
		}
		return tx.QueryRowContext(ctx, `SELECT merchant_id, secret, gateway_url FROM payment_accounts WHERE provider = 'sandbox'`).Scan(&merchant, &secret, &gatewayURL)
	})
	if err != nil {
		return nil, fmt.Errorf("payment: sandbox account: %w", err)
	}
	if err := a.gw.AddMerchant(ctx, merchant, secret); err != nil {
		return nil, fmt.Errorf("payment: sandbox merchant: %w", err)
	}
	a.prov = &SandboxProvider{GatewayURL: gatewayURL, Merchant: merchant, Secret: secret, Now: a.db.Clock.Now}
	return a.prov, nil
}

// baseURL is the scheme and host a request reached.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// appSandbox is the sandbox provider of the app: it resolves the account
// on each use.
type appSandbox struct {
	acct *sandboxAccount
}

func (p appSandbox) Name() string   { return "sandbox" }
func (p appSandbox) Method() Method { return Online }

func (p appSandbox) get(ctx context.Context) (*SandboxProvider, error) {
	return p.acct.provider(ctx, baseFrom(ctx))
}

func (p appSandbox) Start(ctx context.Context, req StartRequest) (StartResult, error) {
	prov, err := p.get(ctx)
	if err != nil {
		return StartResult{}, err
	}
	return prov.Start(ctx, req)
}

func (p appSandbox) ParseNotification(ctx context.Context, h http.Header, body []byte) (Notice, error) {
	prov, err := p.get(ctx)
	if err != nil {
		return Notice{}, err
	}
	return prov.ParseNotification(ctx, h, body)
}

func (p appSandbox) Refund(ctx context.Context, req RefundRequest) (RefundResult, error) {
	prov, err := p.get(ctx)
	if err != nil {
		return RefundResult{}, err
	}
	return prov.Refund(ctx, req)
}

func (p appSandbox) Query(ctx context.Context, pay Payment) (Notice, error) {
	prov, err := p.get(ctx)
	if err != nil {
		return Notice{}, err
	}
	return prov.Query(ctx, pay)
}

type baseKey struct{}

// withBase remembers the request's base URL for the app's sandbox account.
func withBase(r *http.Request) context.Context {
	return context.WithValue(r.Context(), baseKey{}, baseURL(r))
}

func baseFrom(ctx context.Context) string {
	s, _ := ctx.Value(baseKey{}).(string)
	return s
}

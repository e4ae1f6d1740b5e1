package payment

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"storeops/internal/payment/sandbox"
	"storeops/internal/platform"
)

// ParseNotification takes anything a stranger can post: it never panics
// and accepts only bodies signed with the merchant's key.
func FuzzParseNotification(f *testing.F) {
	f.Add([]byte(`{"notify_id":"1","kind":"trade.paid","out_trade_no":"123","amount":100,"currency":"CNY"}`), "1700000000", "0123456789abcdef", strings.Repeat("a", 64), true)
	f.Add([]byte(`{"notify_id":"2","kind":"refund.succeeded","out_trade_no":"1","out_refund_no":"x"}`), "x", "", "", false)
	f.Add([]byte(`[]`), "", "n", "s", true)
	p := &SandboxProvider{Merchant: testMerchant, Secret: testSecret}
	f.Fuzz(func(t *testing.T, body []byte, ts, nonce, sig string, sign bool) {
		h := http.Header{}
		if sign {
			sandbox.Sign(testMerchant, testSecret, time.Now(), body).Apply(h)
		} else {
			h.Set(sandbox.HeaderMerchant, testMerchant)
			h.Set(sandbox.HeaderTimestamp, ts)
			h.Set(sandbox.HeaderNonce, nonce)
			h.Set(sandbox.HeaderSignature, sig)
		}
		n, err := p.ParseNotification(context.Background(), h, body)
		if err != nil {
			if c := platform.ErrorCode(err); c != CodeBadSignature && c != platform.CodeBadRequest {
				t.Fatalf("error code %s", c)
			}
			return
		}
		if !sign {
			t.Fatalf("an unsigned body was accepted: %q", body)
		}
		if n.ID == "" || n.PaymentID == 0 || n.Nonce == "" {
			t.Fatalf("accepted an incomplete notice %+v", n)
		}
	})
}

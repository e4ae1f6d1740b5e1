package payment

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"storeops/internal/payment/sandbox"
	"storeops/internal/store"
	"storeops/internal/store/storetest"
)

// notification builds a gateway notification body for payment p.
func notification(id, kind string, p Payment, amount int64) []byte {
	b, _ := json.Marshal(sandbox.Notification{NotifyID: id, Kind: kind, TradeNo: "9" + p.ID.String(), OutTradeNo: p.ID.String(),
		Amount: amount, Currency: "CNY", At: time.Now().UTC()})
	return b
}

// post sends body to url with the given signature headers and returns
// the status and answer.
func post(t *testing.T, url string, body []byte, sig sandbox.Signed) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig.Signature != "" {
		sig.Apply(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(answer)
}

func TestSignature(t *testing.T) {
	now := time.Now()
	body := []byte(`{"amount":100}`)
	s := sandbox.Sign("m", "secret", now, body)
	if err := s.Verify("secret", now, body); err != nil {
		t.Fatalf("valid signature refused: %v", err)
	}
	if err := s.Verify("secret", now, []byte(`{"amount":101}`)); err != sandbox.ErrSignature {
		t.Errorf("tampered body: %v", err)
	}
	if err := s.Verify("other", now, body); err != sandbox.ErrSignature {
		t.Errorf("wrong key: %v", err)
	}
	forged := s
	forged.Merchant = "m2"
	if err := forged.Verify("secret", now, body); err != sandbox.ErrSignature {
		t.Errorf("changed merchant: %v", err)
	}
	if err := s.Verify("secret", now.Add(sandbox.Window+time.Second), body); err != sandbox.ErrStale {
		t.Errorf("stale timestamp: %v", err)
	}
	if other := sandbox.Sign("m", "secret", now, body); other.Nonce == s.Nonce {
		t.Error("two signatures share a nonce")
	}
}

// A notification is applied only with a valid, fresh, unreplayed
// signature and the payment's amount; a duplicate succeeds and changes
// nothing.
func TestNotificationVerification(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		s := newShop(t, db, "")
		o := mustOrder(t, db, "pending_payment", []int64{5000, 2500}, 800)
		p := mustPayment(t, db, o, Online, "sandbox")
		now := time.Now()
		good := notification("n1", sandbox.KindPaid, p, int64(p.Amount))

		// Unsigned, tampered, wrong key, stale: all refused, nothing moves.
		if st, _ := post(t, s.notify, good, sandbox.Signed{}); st != http.StatusUnauthorized {
			t.Errorf("unsigned: %d", st)
		}
		sig := sandbox.Sign(testMerchant, testSecret, now, good)
		tampered := bytes.Replace(good, []byte(`"amount":8300`), []byte(`"amount":1`), 1)
		if bytes.Equal(tampered, good) {
			t.Fatal("tampering did not change the body")
		}
		if st, body := post(t, s.notify, tampered, sig); st != http.StatusUnauthorized || !strings.Contains(body, "payment_bad_signature") {
			t.Errorf("tampered: %d %s", st, body)
		}
		if st, _ := post(t, s.notify, good, sandbox.Sign(testMerchant, "wrong-secret-wrong-secret", now, good)); st != http.StatusUnauthorized {
			t.Errorf("wrong key: %d", st)
		}
		if st, _ := post(t, s.notify, good, sandbox.Sign(testMerchant, testSecret, now.Add(-10*time.Minute), good)); st != http.StatusUnauthorized {
			t.Errorf("stale: %d", st)
		}
		// Signed properly but for another amount: refused.
		wrong := notification("n0", sandbox.KindPaid, p, int64(p.Amount)-1)
		if st, body := post(t, s.notify, wrong, sandbox.Sign(testMerchant, testSecret, now, wrong)); st != http.StatusUnprocessableEntity || !strings.Contains(body, "payment_amount_mismatch") {
			t.Errorf("wrong amount: %d %s", st, body)
		}
		if got := paymentStatus(t, db, p.ID); got != Pending {
			t.Fatalf("payment %s after refused notifications", got)
		}

		// The real one.
		if st, body := post(t, s.notify, good, sig); st != http.StatusOK || body != "success" {
			t.Fatalf("valid: %d %s", st, body)
		}
		if got := paymentStatus(t, db, p.ID); got != Captured {
			t.Fatalf("payment %s, want captured", got)
		}
		if got := orderStatus(t, db, o.ID); got != "paid" {
			t.Fatalf("order %s, want paid", got)
		}
		// The same request again (same nonce): a replay, refused.
		if st, _ := post(t, s.notify, good, sig); st != http.StatusUnauthorized {
			t.Errorf("replay: %d", st)
		}
		// A duplicate delivery (fresh signature): success, no change.
		if st, body := post(t, s.notify, good, sandbox.Sign(testMerchant, testSecret, time.Now(), good)); st != http.StatusOK || body != "success" {
			t.Errorf("duplicate: %d %s", st, body)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM order_transitions WHERE order_id = $1`, o.ID); n != 1 {
			t.Errorf("%d transitions, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox_events WHERE topic = 'payment.captured'`); n != 1 {
			t.Errorf("%d payment.captured events, want 1", n)
		}
	})
}

// A payment never moves backwards: a close after the capture, a second
// capture notification, or a refund's notification before the capture's
// retry leave it captured.
func TestOutOfOrderNotifications(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		s := newShop(t, db, "")
		o := mustOrder(t, db, "pending_payment", []int64{3000}, 0)
		p := mustPayment(t, db, o, Online, "sandbox")
		send := func(body []byte) {
			t.Helper()
			if st, answer := post(t, s.notify, body, sandbox.Sign(testMerchant, testSecret, time.Now(), body)); st != http.StatusOK || answer != "success" {
				t.Fatalf("notification: %d %s", st, answer)
			}
		}
		send(notification("paid-1", sandbox.KindPaid, p, 3000))
		send(notification("closed-1", sandbox.KindClosed, p, 3000))
		if got := paymentStatus(t, db, p.ID); got != Captured {
			t.Fatalf("after a late close: %s", got)
		}
		// Closed first, then paid: money that arrived is never dropped.
		o2 := mustOrder(t, db, "pending_payment", []int64{1200}, 0)
		p2 := mustPayment(t, db, o2, Online, "sandbox")
		send(notification("closed-2", sandbox.KindClosed, p2, 1200))
		if got := paymentStatus(t, db, p2.ID); got != Cancelled {
			t.Fatalf("after close: %s", got)
		}
		send(notification("paid-2", sandbox.KindPaid, p2, 1200))
		if got := paymentStatus(t, db, p2.ID); got != Captured {
			t.Fatalf("a capture after a close: %s", got)
		}
		var outcome string
		if err := db.R.QueryRow(`SELECT outcome FROM payment_notifications WHERE notify_id = 'closed-1'`).Scan(&outcome); err != nil || outcome != outcomeUnchanged {
			t.Errorf("late close outcome %q (%v)", outcome, err)
		}
	})
}

// Concurrent duplicates of one notification capture once.
func TestConcurrentDuplicatesCaptureOnce(t *testing.T) {
	storetest.Each(t, shopConfig, func(t *testing.T, db *store.DB) {
		s := newShop(t, db, "")
		o := mustOrder(t, db, "pending_payment", []int64{9900}, 0)
		p := mustPayment(t, db, o, Online, "sandbox")
		body := notification("dup", sandbox.KindPaid, p, 9900)
		// Another notification id for the same capture (a query's answer).
		other := notification("dup-2", sandbox.KindPaid, p, 9900)
		var wg sync.WaitGroup
		fails := make(chan string, 40)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b := body
				if i%2 == 1 {
					b = other
				}
				if st, answer := post(t, s.notify, b, sandbox.Sign(testMerchant, testSecret, time.Now(), b)); st != http.StatusOK || answer != "success" {
					fails <- answer
				}
			}()
		}
		wg.Wait()
		close(fails)
		for f := range fails {
			t.Errorf("a duplicate failed: %s", f)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM order_transitions WHERE order_id = $1 AND to_status = 'paid'`, o.ID); n != 1 {
			t.Errorf("%d paid transitions, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM outbox_events WHERE topic = 'payment.captured'`); n != 1 {
			t.Errorf("%d capture events, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM payment_notifications WHERE payment_id = $1`, p.ID); n != 2 {
			t.Errorf("%d notifications logged, want 2", n)
		}
	})
}

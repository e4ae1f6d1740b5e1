package sms_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"storeops/internal/app/apptest"
	"storeops/internal/customer/sms"
	"storeops/internal/platform"
	"storeops/internal/store/storetest"
)

// TestSandboxBehavesLikeAProvider: signed messages are recorded, a number
// gets one message a minute, and a wrong key is rejected for good.
func TestSandboxBehavesLikeAProvider(t *testing.T) {
	for _, d := range storetest.Kinds(t) {
		t.Run(string(d), func(t *testing.T) {
			clk := platform.NewFixedClock(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
			db := apptest.Open(t, d, apptest.Options{Clock: clk})
			sb := &sms.Sandbox{DB: db, Key: "k", Secret: "s", Log: apptest.Logger()}
			client := &http.Client{Transport: sms.HandlerTransport{Handler: sb}}
			send := &sms.HTTPSender{URL: "http://sandbox.test/send", Key: "k", Secret: "s", Client: client, Now: db.Now}
			ctx := context.Background()
			msg := sms.Message{Mobile: "13800138000", Template: sms.TemplateCode, Params: map[string]string{"code": "123456"}}
			if err := send.Send(ctx, msg); err != nil {
				t.Fatal(err)
			}
			got, err := sms.Last(ctx, db.R, "13800138000")
			if err != nil || got.Params["code"] != "123456" {
				t.Fatalf("recorded %+v, %v", got, err)
			}
			if err := send.Send(ctx, msg); !errors.Is(err, sms.ErrRateLimited) {
				t.Errorf("second message inside a minute: %v", err)
			}
			clk.Advance(61 * time.Second)
			if err := send.Send(ctx, msg); err != nil {
				t.Errorf("after a minute: %v", err)
			}
			wrong := &sms.HTTPSender{URL: "http://sandbox.test/send", Key: "other", Secret: "s", Client: client, Now: db.Now}
			if err := wrong.Send(ctx, msg); !errors.Is(err, sms.ErrRejected) {
				t.Errorf("wrong key: %v", err)
			}
			stale := &sms.HTTPSender{URL: "http://sandbox.test/send", Key: "k", Secret: "s", Client: client,
				Now: func() time.Time { return db.Now().Add(-time.Hour) }}
			if err := stale.Send(ctx, sms.Message{Mobile: "13900139000", Template: sms.TemplateCode}); !errors.Is(err, sms.ErrRejected) {
				t.Errorf("stale timestamp: %v", err)
			}
		})
	}
}

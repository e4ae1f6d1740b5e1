package sms

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Signature headers of a request to the sandbox.
const (
	HeaderKey       = "X-Sms-Key"
	HeaderTimestamp = "X-Sms-Timestamp"
	HeaderNonce     = "X-Sms-Nonce"
	HeaderSignature = "X-Sms-Signature"
)

// Window is how far a request's timestamp may be from the sandbox clock.
const Window = 5 * time.Minute

// Limits are the sandbox's per-number limits, those a real provider
// applies to verification codes by default: one a minute, five an hour,
// ten a day.
var Limits = []struct {
	Per time.Duration
	Max int
}{{time.Minute, 1}, {time.Hour, 5}, {24 * time.Hour, 10}}

// Sandbox is the SMS provider of development and tests.
type Sandbox struct {
	DB     *store.DB
	Key    string
	Secret string
	Log    *slog.Logger
}

// sign is the HMAC-SHA256 of the key, timestamp, nonce and body hash.
func sign(secret, key, ts, nonce string, body []byte) string {
	sum := sha256.Sum256(body)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(key + "\n" + ts + "\n" + nonce + "\n" + hex.EncodeToString(sum[:])))
	return hex.EncodeToString(m.Sum(nil))
}

// Response is the sandbox's answer body.
type Response struct {
	Code    string `json:"code"` // OK, RATE_LIMITED, BAD_SIGNATURE, BAD_REQUEST, REPLAYED
	Message string `json:"message,omitempty"`
	BizID   string `json:"biz_id,omitempty"`
}

// ServeHTTP accepts POST …/send with a signed JSON Message.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/send") {
		answer(w, http.StatusNotFound, Response{Code: "NOT_FOUND"})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<10))
	if err != nil {
		answer(w, http.StatusBadRequest, Response{Code: "BAD_REQUEST"})
		return
	}
	now := s.DB.Now()
	key, tsText, nonce := r.Header.Get(HeaderKey), r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderNonce)
	ts, err := strconv.ParseInt(tsText, 10, 64)
	want := sign(s.Secret, key, tsText, nonce, body)
	if err != nil || key != s.Key || len(nonce) < 16 || len(nonce) > 64 ||
		!hmac.Equal([]byte(want), []byte(r.Header.Get(HeaderSignature))) {
		answer(w, http.StatusUnauthorized, Response{Code: "BAD_SIGNATURE"})
		return
	}
	if at := time.Unix(ts, 0); at.Before(now.Add(-Window)) || at.After(now.Add(Window)) {
		answer(w, http.StatusUnauthorized, Response{Code: "BAD_SIGNATURE", Message: "timestamp outside the window"})
		return
	}
	var m Message
	if err := json.Unmarshal(body, &m); err != nil || len(m.Mobile) != 11 || m.Template == "" {
		answer(w, http.StatusBadRequest, Response{Code: "BAD_REQUEST"})
		return
	}
	params, _ := json.Marshal(m.Params)
	var id platform.ID
	limited, replayed := false, false
	err = s.DB.Write(r.Context(), func(tx *store.Tx) error {
		var seen int
		if err := tx.QueryRowContext(r.Context(), `SELECT COUNT(*) FROM sms_sandbox_messages WHERE nonce = $1`, nonce).Scan(&seen); err != nil {
			return err
		}
		if seen > 0 {
			replayed = true
			return nil
		}
		for _, l := range Limits {
			var n int
			if err := tx.QueryRowContext(r.Context(), `SELECT COUNT(*) FROM sms_sandbox_messages WHERE mobile = $1 AND created_at > $2`,
				m.Mobile, tx.Now.Add(-l.Per)).Scan(&n); err != nil {
				return err
			}
			if n >= l.Max {
				limited = true
				return nil
			}
		}
		id = tx.NewID()
		_, err := tx.ExecContext(r.Context(), `INSERT INTO sms_sandbox_messages (id, mobile, template, params, nonce, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, int64(id), m.Mobile, m.Template, string(params), nonce, tx.Now)
		return err
	})
	switch {
	case replayed || store.IsUniqueViolation(err):
		answer(w, http.StatusConflict, Response{Code: "REPLAYED"})
		return
	case err != nil:
		s.Log.Error("sms sandbox: record", "err", err)
		answer(w, http.StatusInternalServerError, Response{Code: "INTERNAL"})
		return
	case limited:
		answer(w, http.StatusTooManyRequests, Response{Code: "RATE_LIMITED"})
		return
	}
	// The sandbox's whole point: the developer reads the code here.
	s.Log.Info("sms sandbox: message sent", "mobile", m.Mobile, "template", m.Template, "params", string(params))
	answer(w, http.StatusOK, Response{Code: "OK", BizID: id.String()})
}

func answer(w http.ResponseWriter, status int, v Response) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Sent is a message the sandbox recorded.
type Sent struct {
	Mobile   string
	Template string
	Params   map[string]string
	At       time.Time
}

// Last returns the newest message the sandbox recorded for mobile, for
// tests and the development page.
func Last(ctx context.Context, q store.Querier, mobile string) (*Sent, error) {
	var s Sent
	var params string
	err := q.QueryRowContext(ctx, `SELECT mobile, template, params, created_at FROM sms_sandbox_messages
		WHERE mobile = $1 ORDER BY id DESC LIMIT 1`, mobile).Scan(&s.Mobile, &s.Template, &params, &s.At)
	if err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(params), &s.Params)
	return &s, nil
}

package sandbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/store"
)

// Handler serves the gateway: the merchant API under Prefix+"/api/" and
// the hosted pay page under Prefix+"/pay/".
func (g *Gateway) Handler() http.Handler {
	mux := http.NewServeMux()
	p := g.prefix
	mux.HandleFunc("POST "+p+"/api/trades", g.openTrade)
	mux.HandleFunc("GET "+p+"/api/trades/{out}", g.queryTrade)
	mux.HandleFunc("POST "+p+"/api/refunds", g.openRefund)
	mux.HandleFunc("GET "+p+"/pay/{trade}", g.payPage)
	mux.HandleFunc("POST "+p+"/pay/{trade}", g.payAction)
	return mux
}

// AddMerchant creates or re-keys a merchant account.
func (g *Gateway) AddMerchant(ctx context.Context, id, secret string) error {
	return g.db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sandbox_merchants (id, secret, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET secret = excluded.secret`, id, secret, tx.Now)
		return err
	})
}

func writeProblem(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(Problem{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// authenticate checks a merchant's signed request and returns the merchant
// id and body. A replayed nonce is refused like a bad signature.
func (g *Gateway) authenticate(w http.ResponseWriter, r *http.Request) (string, []byte, bool) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		writeProblem(w, http.StatusBadRequest, "bad_body", err.Error())
		return "", nil, false
	}
	s, err := SignedFrom(r.Header)
	if err != nil {
		writeProblem(w, http.StatusUnauthorized, "unsigned", err.Error())
		return "", nil, false
	}
	ctx := r.Context()
	var secret string
	if err := g.db.R.QueryRowContext(ctx, `SELECT secret FROM sandbox_merchants WHERE id = $1`, s.Merchant).Scan(&secret); err != nil {
		writeProblem(w, http.StatusUnauthorized, "unknown_merchant", "unknown merchant")
		return "", nil, false
	}
	if err := s.Verify(secret, g.db.Now(), body); err != nil {
		writeProblem(w, http.StatusUnauthorized, "bad_signature", err.Error())
		return "", nil, false
	}
	return s.Merchant, body, true
}

func (g *Gateway) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + g.prefix
}

func (g *Gateway) openTrade(w http.ResponseWriter, r *http.Request) {
	merchant, body, ok := g.authenticate(w, r)
	if !ok {
		return
	}
	var in OpenTrade
	if err := json.Unmarshal(body, &in); err != nil {
		writeProblem(w, http.StatusBadRequest, "bad_json", err.Error())
		return
	}
	if in.Currency == "" {
		in.Currency = "CNY"
	}
	u, err := url.Parse(in.NotifyURL)
	switch {
	case in.OutTradeNo == "" || len(in.OutTradeNo) > 64:
		writeProblem(w, http.StatusUnprocessableEntity, "bad_out_trade_no", "out_trade_no is required (at most 64 characters)")
		return
	case in.Amount <= 0:
		writeProblem(w, http.StatusUnprocessableEntity, "bad_amount", "amount must be positive")
		return
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		writeProblem(w, http.StatusUnprocessableEntity, "bad_notify_url", "notify_url must be an absolute http(s) URL")
		return
	}
	ctx := r.Context()
	var t Trade
	err = g.db.Write(ctx, func(tx *store.Tx) error {
		id := tx.NewID()
		res, err := tx.ExecContext(ctx, `INSERT INTO sandbox_trades (id, merchant_id, out_trade_no, amount, currency, subject, notify_url, return_url, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (merchant_id, out_trade_no) DO NOTHING`,
			id, merchant, in.OutTradeNo, in.Amount, in.Currency, in.Subject, in.NotifyURL, in.ReturnURL, TradeWaiting, tx.Now)
		if err != nil {
			return err
		}
		_ = res
		t, err = g.tradeByOut(ctx, tx, merchant, in.OutTradeNo)
		if err != nil {
			return err
		}
		if t.Amount != in.Amount || t.Currency != in.Currency {
			return errConflict
		}
		return nil
	})
	if errors.Is(err, errConflict) {
		writeProblem(w, http.StatusConflict, "trade_conflict", "out_trade_no was opened with another amount")
		return
	}
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	t.PayURL = g.baseURL(r) + "/pay/" + t.TradeNo
	writeJSON(w, t)
}

var (
	errConflict = errors.New("sandbox: conflict")
	errNoTrade  = errors.New("sandbox: no such trade")
)

func (g *Gateway) tradeByOut(ctx context.Context, q store.Querier, merchant, out string) (Trade, error) {
	var t Trade
	var id int64
	var paid sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, out_trade_no, amount, currency, status, refunded, paid_at FROM sandbox_trades
		WHERE merchant_id = $1 AND out_trade_no = $2`, merchant, out).Scan(&id, &t.OutTradeNo, &t.Amount, &t.Currency, &t.Status, &t.Refunded, &paid)
	if errors.Is(err, sql.ErrNoRows) {
		return t, errNoTrade
	}
	t.TradeNo = strconv.FormatInt(id, 10)
	if paid.Valid {
		at := paid.Time.UTC()
		t.PaidAt = &at
	}
	return t, err
}

func (g *Gateway) queryTrade(w http.ResponseWriter, r *http.Request) {
	merchant, _, ok := g.authenticate(w, r)
	if !ok {
		return
	}
	t, err := g.tradeByOut(r.Context(), g.db.R, merchant, r.PathValue("out"))
	if errors.Is(err, errNoTrade) {
		writeProblem(w, http.StatusNotFound, "trade_not_found", "no such trade")
		return
	}
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	t.PayURL = g.baseURL(r) + "/pay/" + t.TradeNo
	writeJSON(w, t)
}

func (g *Gateway) openRefund(w http.ResponseWriter, r *http.Request) {
	merchant, body, ok := g.authenticate(w, r)
	if !ok {
		return
	}
	var in OpenRefund
	if err := json.Unmarshal(body, &in); err != nil {
		writeProblem(w, http.StatusBadRequest, "bad_json", err.Error())
		return
	}
	if in.Amount <= 0 || in.OutRefundNo == "" || len(in.OutRefundNo) > 64 {
		writeProblem(w, http.StatusUnprocessableEntity, "bad_refund", "out_refund_no and a positive amount are required")
		return
	}
	ctx := r.Context()
	var out Refund
	var failure Problem
	err := g.db.Write(ctx, func(tx *store.Tx) error {
		failure = Problem{}
		t, err := g.tradeByOut(ctx, tx, merchant, in.OutTradeNo)
		if err != nil {
			return err
		}
		tradeID, _ := strconv.ParseInt(t.TradeNo, 10, 64)
		var id, amount int64
		err = tx.QueryRowContext(ctx, `SELECT id, amount FROM sandbox_refunds WHERE trade_id = $1 AND out_refund_no = $2`, tradeID, in.OutRefundNo).Scan(&id, &amount)
		if err == nil {
			if amount != in.Amount {
				failure = Problem{"refund_conflict", "out_refund_no was used with another amount"}
				return nil
			}
			out = Refund{RefundNo: strconv.FormatInt(id, 10), OutRefundNo: in.OutRefundNo, OutTradeNo: in.OutTradeNo, Amount: amount, Status: "processing"}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if t.Status != TradePaid {
			failure = Problem{"trade_not_paid", "only a paid trade can be refunded"}
			return nil
		}
		// A conditional update: concurrent refunds never exceed the trade.
		res, err := tx.ExecContext(ctx, `UPDATE sandbox_trades SET refunded = refunded + $1 WHERE id = $2 AND refunded + $1 <= amount`, in.Amount, tradeID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			failure = Problem{"refund_exceeds_trade", "the refund exceeds what is left of the trade"}
			return nil
		}
		id = int64(tx.NewID())
		if _, err := tx.ExecContext(ctx, `INSERT INTO sandbox_refunds (id, trade_id, out_refund_no, amount, created_at) VALUES ($1, $2, $3, $4, $5)`,
			id, tradeID, in.OutRefundNo, in.Amount, tx.Now); err != nil {
			return err
		}
		out = Refund{RefundNo: strconv.FormatInt(id, 10), OutRefundNo: in.OutRefundNo, OutTradeNo: in.OutTradeNo, Amount: in.Amount, Status: "processing"}
		return g.notify(ctx, tx, tradeID, Notification{Kind: KindRefunded, TradeNo: t.TradeNo, OutTradeNo: t.OutTradeNo,
			OutRefundNo: in.OutRefundNo, RefundNo: out.RefundNo, Amount: in.Amount, Currency: t.Currency})
	})
	switch {
	case errors.Is(err, errNoTrade):
		writeProblem(w, http.StatusNotFound, "trade_not_found", "no such trade")
	case err != nil:
		writeProblem(w, http.StatusInternalServerError, "internal", err.Error())
	case failure.Code != "":
		writeProblem(w, http.StatusConflict, failure.Code, failure.Message)
	default:
		writeJSON(w, out)
	}
}

// notify records a notification in tx and enqueues its delivery (twice
// when chaos says so), held back as chaos says.
func (g *Gateway) notify(ctx context.Context, tx *store.Tx, tradeID int64, n Notification) error {
	id := tx.NewID()
	n.NotifyID = id.String()
	n.At = tx.Now
	body, err := json.Marshal(n)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sandbox_notifications (id, trade_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5)`,
		id, tradeID, n.Kind, string(body), tx.Now); err != nil {
		return fmt.Errorf("sandbox: notification: %w", err)
	}
	copies := 1
	if g.chance(g.chaos.Duplicate) {
		copies = 2
	}
	for range copies {
		opts := &river.InsertOpts{MaxAttempts: 25}
		if d := g.chaos.Hold[n.Kind] + g.jitter(); d > 0 {
			opts.ScheduledAt = time.Now().Add(d)
		}
		if _, err := g.jobs().InsertTx(ctx, tx, NotifyArgs{NotificationID: int64(id)}, opts); err != nil {
			return err
		}
	}
	return nil
}

// trimPrefix is the trade number in a pay page path.
func tradeNo(r *http.Request) (int64, bool) {
	v := strings.TrimSpace(r.PathValue("trade"))
	id, err := strconv.ParseInt(v, 10, 64)
	return id, err == nil && id > 0
}

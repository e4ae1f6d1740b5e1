package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"storeops/internal/store"
)

// payTemplate is the hosted pay page: what is being paid, to whom, and the
// two buttons. It is the gateway's page, not the shop's, so it stands
// alone (no shop layout, no shop assets).
var payTemplate = template.Must(template.New("pay").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>沙箱收银台</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}
.amount{font-size:2rem;margin:.5rem 0}button{font-size:1.1rem;padding:.6rem 1.6rem;margin-right:.6rem}
.pay{background:#1677ff;color:#fff;border:0;border-radius:4px}.muted{color:#666}</style></head>
<body>
<h1>沙箱收银台 <small class="muted">Sandbox checkout</small></h1>
<p class="muted">商户 {{.Merchant}} · 订单 {{.OutTradeNo}}</p>
{{if .Subject}}<p>{{.Subject}}</p>{{end}}
<p class="amount" id="amount">{{.Amount}}</p>
{{if eq .Status "waiting"}}
<form method="post">
<button class="pay" name="action" value="pay" id="pay">支付</button>
<button name="action" value="cancel" id="cancel">取消</button>
</form>
{{else if eq .Status "paid"}}<p id="status">已支付 Paid</p>{{if .ReturnURL}}<p><a href="{{.ReturnURL}}" id="back">返回商户</a></p>{{end}}
{{else}}<p id="status">已取消 Cancelled</p>{{if .ReturnURL}}<p><a href="{{.ReturnURL}}" id="back">返回商户</a></p>{{end}}
{{end}}
</body></html>`))

type payView struct {
	Merchant, OutTradeNo, Subject, Amount, Status, Currency string
	ReturnURL                                               string
}

type tradeRow struct {
	id                                               int64
	merchant, out, subject, currency, status, retURL string
	amount                                           int64
}

func (g *Gateway) loadTrade(ctx context.Context, q store.Querier, id int64) (tradeRow, error) {
	var t tradeRow
	err := q.QueryRowContext(ctx, `SELECT id, merchant_id, out_trade_no, subject, currency, status, return_url, amount FROM sandbox_trades WHERE id = $1`, id).
		Scan(&t.id, &t.merchant, &t.out, &t.subject, &t.currency, &t.status, &t.retURL, &t.amount)
	if errors.Is(err, sql.ErrNoRows) {
		return t, errNoTrade
	}
	return t, err
}

func yuan(fen int64, currency string) string {
	sign := "¥"
	if currency != "CNY" {
		sign = currency + " "
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

func (g *Gateway) payPage(w http.ResponseWriter, r *http.Request) {
	id, ok := tradeNo(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	t, err := g.loadTrade(r.Context(), g.db.R, id)
	if errors.Is(err, errNoTrade) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = payTemplate.Execute(w, payView{Merchant: t.merchant, OutTradeNo: t.out, Subject: t.subject,
		Amount: yuan(t.amount, t.currency), Status: t.status, Currency: t.currency, ReturnURL: safeReturn(t.retURL)})
}

// safeReturn keeps only absolute http(s) return URLs, so a trade cannot
// turn the pay page into a javascript: link.
func safeReturn(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return s
}

// payAction is the shopper pressing 支付 or 取消: the trade moves once
// (waiting → paid or closed) and the merchant is told asynchronously.
func (g *Gateway) payAction(w http.ResponseWriter, r *http.Request) {
	id, ok := tradeNo(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	action := r.PostFormValue("action")
	if action != "pay" && action != "cancel" {
		http.Error(w, "action must be pay or cancel", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	var t tradeRow
	err := g.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = g.loadTrade(ctx, tx, id); err != nil {
			return err
		}
		to, kind := TradePaid, KindPaid
		if action == "cancel" {
			to, kind = TradeClosed, KindClosed
		}
		var paidAt any
		if to == TradePaid {
			paidAt = tx.Now
		}
		res, err := tx.ExecContext(ctx, `UPDATE sandbox_trades SET status = $1, paid_at = $2 WHERE id = $3 AND status = $4`, to, paidAt, id, TradeWaiting)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // pressed twice, or in two tabs: the first press won
		}
		return g.notify(ctx, tx, id, Notification{Kind: kind, TradeNo: strconv.FormatInt(id, 10), OutTradeNo: t.out, Amount: t.amount, Currency: t.currency})
	})
	if errors.Is(err, errNoTrade) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if ret := safeReturn(t.retURL); ret != "" {
		http.Redirect(w, r, ret, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
}

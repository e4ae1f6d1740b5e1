package sandbox

import "time"

// OpenTrade is a merchant's request to open a trade. Opening the same
// OutTradeNo again returns the same trade (a retried call never opens a
// second one); with a different amount it is refused.
type OpenTrade struct {
	OutTradeNo string `json:"out_trade_no"`
	Amount     int64  `json:"amount"` // fen
	Currency   string `json:"currency"`
	Subject    string `json:"subject"`
	NotifyURL  string `json:"notify_url"`
	ReturnURL  string `json:"return_url"`
}

// Trade is the gateway's view of a trade.
type Trade struct {
	TradeNo    string     `json:"trade_no"`
	OutTradeNo string     `json:"out_trade_no"`
	Amount     int64      `json:"amount"`
	Currency   string     `json:"currency"`
	Status     string     `json:"status"`
	Refunded   int64      `json:"refunded"`
	PayURL     string     `json:"pay_url"`
	PaidAt     *time.Time `json:"paid_at,omitempty"`
}

// OpenRefund asks to refund part or all of a paid trade. The same
// OutRefundNo again returns the same refund.
type OpenRefund struct {
	OutTradeNo  string `json:"out_trade_no"`
	OutRefundNo string `json:"out_refund_no"`
	Amount      int64  `json:"amount"`
}

// Refund is an accepted refund; its result comes as a notification.
type Refund struct {
	RefundNo    string `json:"refund_no"`
	OutRefundNo string `json:"out_refund_no"`
	OutTradeNo  string `json:"out_trade_no"`
	Amount      int64  `json:"amount"`
	Status      string `json:"status"` // processing
}

// Notification is the body the gateway posts to a trade's notify URL.
// NotifyID stays the same across retries and duplicates of one
// notification; the signature headers are fresh on each delivery.
type Notification struct {
	NotifyID    string    `json:"notify_id"`
	Kind        string    `json:"kind"`
	TradeNo     string    `json:"trade_no"`
	OutTradeNo  string    `json:"out_trade_no"`
	OutRefundNo string    `json:"out_refund_no,omitempty"`
	RefundNo    string    `json:"refund_no,omitempty"`
	Amount      int64     `json:"amount"` // the trade's, or the refund's
	Currency    string    `json:"currency"`
	At          time.Time `json:"at"`
}

// Ack is the body a merchant answers a notification with to stop the
// retries; anything else (or another status than 200) is a failure.
const Ack = "success"

// Problem is the gateway's error body.
type Problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

-- +goose Up
-- The sandbox payment gateway's own books: merchants with their signing
-- keys, trades (one per merchant order number), refunds, and the
-- notifications it owes merchants until they acknowledge them.
CREATE TABLE sandbox_merchants (
    id         TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE sandbox_trades (
    id           BIGINT PRIMARY KEY,
    merchant_id  TEXT NOT NULL REFERENCES sandbox_merchants (id),
    out_trade_no TEXT NOT NULL,
    amount       BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    notify_url   TEXT NOT NULL,
    return_url   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    refunded     BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL,
    paid_at      TIMESTAMP,
    UNIQUE (merchant_id, out_trade_no)
);
CREATE TABLE sandbox_refunds (
    id            BIGINT PRIMARY KEY,
    trade_id      BIGINT NOT NULL REFERENCES sandbox_trades (id),
    out_refund_no TEXT NOT NULL,
    amount        BIGINT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (trade_id, out_refund_no)
);
CREATE TABLE sandbox_notifications (
    id           BIGINT PRIMARY KEY,
    trade_id     BIGINT NOT NULL REFERENCES sandbox_trades (id),
    kind         TEXT NOT NULL,
    body         TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    delivered_at TIMESTAMP,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX sandbox_notifications_trade ON sandbox_notifications (trade_id);

-- +goose Down
DROP TABLE sandbox_notifications;
DROP TABLE sandbox_refunds;
DROP TABLE sandbox_trades;
DROP TABLE sandbox_merchants;

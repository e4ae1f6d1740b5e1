-- +goose Up
-- Payments learn their currency (notifications are checked against it)
-- and who confirmed an offline one (bank transfer, cash on delivery).
ALTER TABLE payments ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY';
ALTER TABLE payments ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT '';
CREATE INDEX payments_captured ON payments (captured_at);
CREATE INDEX payments_pending ON payments (status, method, created_at);
CREATE INDEX payments_ref ON payments (method, external_ref);

-- Refunds: the caller's request key makes a refund request idempotent
-- (NULL on rows made before it existed); shipping_amount is the part not
-- allocated over lines; submitted_at says the provider has the request.
ALTER TABLE refunds ADD COLUMN request_key TEXT;
ALTER TABLE refunds ADD COLUMN shipping_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN external_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE refunds ADD COLUMN submitted_at TIMESTAMPTZ;
CREATE UNIQUE INDEX refunds_request_key ON refunds (order_id, request_key);
CREATE INDEX refunds_refunded ON refunds (refunded_at);
CREATE INDEX refunds_open ON refunds (status, created_at);

-- A refund's exact split over the order's lines (largest remainder).
CREATE TABLE refund_lines (
    refund_id     BIGINT NOT NULL REFERENCES refunds (id),
    order_line_id BIGINT NOT NULL REFERENCES order_lines (id),
    amount        BIGINT NOT NULL,
    PRIMARY KEY (refund_id, order_line_id)
);
CREATE INDEX refund_lines_line ON refund_lines (order_line_id);

-- Every provider notification handled, once: the key makes a duplicate a
-- no-op, the row is the log support reads.
CREATE TABLE payment_notifications (
    provider    TEXT NOT NULL,
    notify_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payment_id  BIGINT,
    refund_id   BIGINT,
    amount      BIGINT NOT NULL DEFAULT 0,
    outcome     TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, notify_id)
);
CREATE INDEX payment_notifications_payment ON payment_notifications (payment_id);

-- Nonces of signed requests seen inside the timestamp window: a replayed
-- request is refused. Purged once older than the window.
CREATE TABLE payment_nonces (
    provider TEXT NOT NULL,
    nonce    TEXT NOT NULL,
    seen_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (provider, nonce)
);
CREATE INDEX payment_nonces_seen ON payment_nonces (seen_at);

-- The daily reconciliation: one row per shop-zone day, and what it found.
CREATE TABLE payment_reconciliations (
    day               TEXT PRIMARY KEY,
    captured_total    BIGINT NOT NULL,
    captured_count    INTEGER NOT NULL,
    paid_orders_total BIGINT NOT NULL,
    paid_orders_count INTEGER NOT NULL,
    refunded_total    BIGINT NOT NULL,
    refund_count      INTEGER NOT NULL,
    issues            INTEGER NOT NULL,
    computed_at       TIMESTAMPTZ NOT NULL
);
CREATE TABLE payment_reconciliation_issues (
    id         BIGINT PRIMARY KEY,
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    order_id   BIGINT,
    payment_id BIGINT,
    refund_id  BIGINT,
    amount     BIGINT NOT NULL DEFAULT 0,
    expected   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX payment_reconciliation_issues_day ON payment_reconciliation_issues (day);

-- Credentials of online providers (one merchant account each).
CREATE TABLE payment_accounts (
    provider    TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    secret      TEXT NOT NULL,
    gateway_url TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE payment_accounts;
DROP TABLE payment_reconciliation_issues;
DROP TABLE payment_reconciliations;
DROP TABLE payment_nonces;
DROP TABLE payment_notifications;
DROP TABLE refund_lines;
DROP INDEX refunds_open;
DROP INDEX refunds_refunded;
DROP INDEX refunds_request_key;
ALTER TABLE refunds DROP COLUMN submitted_at;
ALTER TABLE refunds DROP COLUMN external_ref;
ALTER TABLE refunds DROP COLUMN shipping_amount;
ALTER TABLE refunds DROP COLUMN request_key;
DROP INDEX payments_ref;
DROP INDEX payments_pending;
DROP INDEX payments_captured;
ALTER TABLE payments DROP COLUMN confirmed_by;
ALTER TABLE payments DROP COLUMN currency;

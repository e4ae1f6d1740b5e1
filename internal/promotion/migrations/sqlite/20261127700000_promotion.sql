-- +goose Up
-- Price rules: the pricing.Rule definition as JSON, with the columns the
-- console filters on and checkout's ActiveRules reads by.
-- status: draft, active, paused, ended.
CREATE TABLE promo_rules (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'draft',
    starts_at  TIMESTAMP,
    ends_at    TIMESTAMP,
    rule_json  TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX promo_rules_status ON promo_rules (status, ends_at);

-- Coupon batches: the pricing.Batch definition as JSON; total and
-- per_customer are copied out of it so Redeem enforces them with
-- conditional updates. issued counts codes made, used the live
-- redemptions (it always equals their count).
CREATE TABLE coupon_batches (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft',
    starts_at    TIMESTAMP,
    ends_at      TIMESTAMP,
    batch_json   TEXT NOT NULL,
    total        INTEGER NOT NULL DEFAULT 0,
    per_customer INTEGER NOT NULL DEFAULT 0,
    issued       INTEGER NOT NULL DEFAULT 0,
    used         INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT NOT NULL DEFAULT '',
    updated_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX coupon_batches_status ON coupon_batches (status, ends_at);

-- Coupon codes. A single-use code (public = FALSE) is issued, then maybe
-- claimed by a customer (owner_id), then redeemed once; a public code is
-- one any shopper may type, limited only by the batch's counts.
-- status: issued, claimed, redeemed, void.
CREATE TABLE coupon_codes (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    batch_id    BIGINT NOT NULL REFERENCES coupon_batches (id),
    public      BOOLEAN NOT NULL DEFAULT FALSE,
    owner_id    BIGINT,
    starts_at   TIMESTAMP,
    ends_at     TIMESTAMP,
    status      TEXT NOT NULL DEFAULT 'issued',
    claimed_at  TIMESTAMP,
    redeemed_at TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX coupon_codes_batch ON coupon_codes (batch_id, id);
CREATE INDEX coupon_codes_owner ON coupon_codes (owner_id) WHERE owner_id IS NOT NULL;

-- Each customer's live uses of a batch, kept beside the redemptions so the
-- per-customer limit is one conditional upsert.
CREATE TABLE coupon_customer_uses (
    batch_id    BIGINT NOT NULL REFERENCES coupon_batches (id),
    customer_id BIGINT NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (batch_id, customer_id)
);

-- Redemptions: one row per coupon an order used; released_at is set when
-- the order is cancelled unpaid and the counts go back. A single-use code
-- has at most one live redemption (the partial unique index).
CREATE TABLE coupon_redemptions (
    id          INTEGER PRIMARY KEY,
    code_id     BIGINT NOT NULL REFERENCES coupon_codes (id),
    batch_id    BIGINT NOT NULL REFERENCES coupon_batches (id),
    customer_id BIGINT NOT NULL DEFAULT 0,
    order_id    BIGINT NOT NULL,
    single_use  BOOLEAN NOT NULL,
    amount      BIGINT NOT NULL,
    at          TIMESTAMP NOT NULL,
    released_at TIMESTAMP
);
CREATE INDEX coupon_redemptions_order ON coupon_redemptions (order_id);
CREATE INDEX coupon_redemptions_batch ON coupon_redemptions (batch_id, at);
CREATE UNIQUE INDEX coupon_redemptions_single ON coupon_redemptions (code_id) WHERE released_at IS NULL AND single_use;

-- +goose Down
DROP TABLE coupon_redemptions;
DROP TABLE coupon_customer_uses;
DROP TABLE coupon_codes;
DROP TABLE coupon_batches;
DROP TABLE promo_rules;

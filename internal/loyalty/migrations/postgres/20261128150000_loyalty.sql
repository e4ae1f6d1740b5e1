-- +goose Up
-- Membership tiers (会员等级), ordered by min_spend: a customer's tier is
-- the highest whose min_spend (fen, rolling 12 months of completed
-- orders net of refunds) they reach; the lowest has min_spend 0.
-- Benefits: percent_off is the member price (list price minus that
-- percent), free_shipping_over the items amount from which the member
-- ships free (0: none), points_multiplier a percent of the base earn rate
-- (100 = 1×), priority marks priority service; birthday_points and
-- tier_up_points are the rewards granted on the birthday and on reaching
-- the tier.
CREATE TABLE loyalty_tiers (
    id                 BIGINT PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    name_zh            TEXT NOT NULL,
    name_en            TEXT NOT NULL,
    min_spend          BIGINT NOT NULL,
    percent_off        INTEGER NOT NULL DEFAULT 0,
    free_shipping_over BIGINT NOT NULL DEFAULT 0,
    points_multiplier  INTEGER NOT NULL DEFAULT 100,
    priority           BOOLEAN NOT NULL DEFAULT FALSE,
    birthday_points    BIGINT NOT NULL DEFAULT 0,
    tier_up_points     BIGINT NOT NULL DEFAULT 0,
    updated_at         TIMESTAMPTZ NOT NULL
);
INSERT INTO loyalty_tiers (id, code, name_zh, name_en, min_spend, percent_off, free_shipping_over, points_multiplier, priority, birthday_points, tier_up_points, updated_at) VALUES
    (1, 'regular', '普通会员', 'Member',  0,       0, 0,    100, FALSE, 100,  0,    '2026-11-28 00:00:00+00'),
    (2, 'silver',  '银卡会员', 'Silver',  100000,  2, 6900, 120, FALSE, 300,  200,  '2026-11-28 00:00:00+00'),
    (3, 'gold',    '金卡会员', 'Gold',    500000,  5, 4900, 150, TRUE,  800,  500,  '2026-11-28 00:00:00+00'),
    (4, 'diamond', '钻石会员', 'Diamond', 2000000, 8, 1,    200, TRUE,  2000, 1000, '2026-11-28 00:00:00+00');

-- One row per customer with points or a tier: balance is the sum of the
-- customer's ledger entries (and of their lots' remaining points), kept
-- in the transaction that appends an entry; spend is the rolling spend
-- the last evaluation saw.
CREATE TABLE loyalty_accounts (
    customer_id BIGINT PRIMARY KEY,
    balance     BIGINT NOT NULL DEFAULT 0 CHECK (balance >= 0),
    tier_code   TEXT NOT NULL,
    tier_since  TIMESTAMPTZ NOT NULL,
    spend       BIGINT NOT NULL DEFAULT 0,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX loyalty_accounts_tier ON loyalty_accounts (tier_code);

-- The points ledger, append-only. kind: earn, redeem, restore, reverse,
-- expire, adjust, birthday, tier_up. points is signed; ref makes each
-- business event land once (earn:<order>, redeem:<order>…); basis is
-- the net order amount (fen) an earn entry was computed on.
CREATE TABLE loyalty_entries (
    id            BIGINT PRIMARY KEY,
    customer_id   BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    points        BIGINT NOT NULL,
    balance_after BIGINT NOT NULL CHECK (balance_after >= 0),
    ref           TEXT NOT NULL UNIQUE,
    order_id      BIGINT,
    basis         BIGINT NOT NULL DEFAULT 0,
    reason        TEXT NOT NULL DEFAULT '',
    actor         TEXT NOT NULL DEFAULT '',
    expires_at    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX loyalty_entries_customer ON loyalty_entries (customer_id, id);
CREATE INDEX loyalty_entries_order ON loyalty_entries (order_id) WHERE order_id IS NOT NULL;

-- A credit's points not yet spent or expired, consumed first in, first
-- out by expiry; the ledger rows stay as written.
CREATE TABLE loyalty_lots (
    entry_id    BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    remaining   BIGINT NOT NULL CHECK (remaining >= 0)
);
CREATE INDEX loyalty_lots_customer ON loyalty_lots (customer_id, expires_at, entry_id) WHERE remaining > 0;
CREATE INDEX loyalty_lots_due ON loyalty_lots (expires_at) WHERE remaining > 0;

-- Which lots a debit took its points from, so a cancelled order's
-- redemption goes back to the lots it came from.
CREATE TABLE loyalty_lot_uses (
    debit_id BIGINT NOT NULL,
    lot_id   BIGINT NOT NULL,
    points   BIGINT NOT NULL,
    PRIMARY KEY (debit_id, lot_id)
);

-- Tier changes, with the spend that caused them.
CREATE TABLE loyalty_tier_history (
    id          BIGINT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    from_code   TEXT NOT NULL,
    to_code     TEXT NOT NULL,
    spend       BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX loyalty_tier_history_customer ON loyalty_tier_history (customer_id, id);

-- Daily jobs done, so a job run twice on one shop day does nothing.
CREATE TABLE loyalty_job_days (
    job  TEXT NOT NULL,
    day  TEXT NOT NULL,
    done TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job, day)
);

-- +goose Down
DROP TABLE loyalty_job_days;
DROP TABLE loyalty_tier_history;
DROP TABLE loyalty_lot_uses;
DROP TABLE loyalty_lots;
DROP TABLE loyalty_entries;
DROP TABLE loyalty_accounts;
DROP TABLE loyalty_tiers;

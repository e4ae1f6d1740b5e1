-- +goose Up
-- The stock ledger: every change to on_hand is one row here, written in
-- the same transaction as the change, never updated or deleted, so the sum
-- of delta per SKU and warehouse always equals stock_levels.on_hand.
-- reason: receipt, sale, cancel, return, adjustment, transfer, stock_take.
CREATE TABLE stock_ledger (
    id            BIGINT PRIMARY KEY,
    sku_id        BIGINT NOT NULL,
    warehouse_id  BIGINT NOT NULL REFERENCES warehouses (id),
    delta         INTEGER NOT NULL,
    on_hand_after INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    ref_type      TEXT NOT NULL DEFAULT '',
    ref_id        TEXT NOT NULL DEFAULT '',
    actor         TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX stock_ledger_sku ON stock_ledger (sku_id, warehouse_id, id);
CREATE INDEX stock_ledger_ref ON stock_ledger (ref_type, ref_id);

-- Stock held for a checkout until it ships (committed), is cancelled or
-- expires (released). One row per SKU and warehouse a reference holds.
CREATE TABLE stock_reservations (
    id           BIGINT PRIMARY KEY,
    ref_type     TEXT NOT NULL,
    ref_id       TEXT NOT NULL,
    sku_id       BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    qty          INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'held',
    expires_at   TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX stock_reservations_ref ON stock_reservations (ref_type, ref_id);
CREATE INDEX stock_reservations_due ON stock_reservations (expires_at) WHERE status = 'held';

-- Low-stock thresholds: a SKU×warehouse's own (stock_levels.low_threshold)
-- wins, then its product category's, then the global one (category_id 0).
ALTER TABLE stock_levels ADD COLUMN low_threshold INTEGER;
CREATE TABLE low_stock_thresholds (
    category_id BIGINT PRIMARY KEY,
    threshold   INTEGER NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- The low-stock to-do: one open row per SKU×warehouse whose available
-- stock fell to its threshold; resolved when stock rises above it again.
CREATE TABLE low_stock_alerts (
    id           BIGINT PRIMARY KEY,
    sku_id       BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    threshold    INTEGER NOT NULL,
    available    INTEGER NOT NULL,
    raised_at    TIMESTAMPTZ NOT NULL,
    resolved_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX low_stock_alerts_open ON low_stock_alerts (sku_id, warehouse_id) WHERE resolved_at IS NULL;
CREATE INDEX low_stock_alerts_raised ON low_stock_alerts (raised_at) WHERE resolved_at IS NULL;

-- +goose Down
DROP TABLE low_stock_alerts;
DROP TABLE low_stock_thresholds;
ALTER TABLE stock_levels DROP COLUMN low_threshold;
DROP TABLE stock_reservations;
DROP TABLE stock_ledger;

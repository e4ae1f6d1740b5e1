-- +goose Up
-- Warehouses. cold_chain marks those that keep chilled and frozen goods.
CREATE TABLE warehouses (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    province_code TEXT NOT NULL,
    province      TEXT NOT NULL,
    city          TEXT NOT NULL,
    cold_chain    BOOLEAN NOT NULL DEFAULT FALSE,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL
);

-- On-hand stock per SKU per warehouse; reserved is what unpaid orders
-- hold. Available = on_hand - reserved.
CREATE TABLE stock_levels (
    sku_id       BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    on_hand      INTEGER NOT NULL DEFAULT 0,
    reserved     INTEGER NOT NULL DEFAULT 0,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (sku_id, warehouse_id)
);
CREATE INDEX stock_levels_warehouse ON stock_levels (warehouse_id);

-- +goose Down
DROP TABLE stock_levels;
DROP TABLE warehouses;

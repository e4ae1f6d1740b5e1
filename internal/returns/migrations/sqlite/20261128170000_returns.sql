-- +goose Up
-- An after-sale request (售后单) on one order: kind return (退货退款),
-- refund_only (仅退款) or exchange (换货). status: requested, approved,
-- rejected, cancelled, shipped_back, received, refunded, exchanged (the
-- last four of rejected, cancelled, refunded, exchanged are final).
-- reason is a code from the fixed list (quality, size…); refund_amount is
-- what the accepted lines refund, in fen; warehouse_id is where inspected
-- resaleable units were restocked.
CREATE TABLE returns (
    id                   INTEGER PRIMARY KEY,
    rma_no               TEXT NOT NULL UNIQUE,
    order_id             BIGINT NOT NULL REFERENCES orders (id),
    customer_id          BIGINT NOT NULL,
    kind                 TEXT NOT NULL,
    status               TEXT NOT NULL,
    reason               TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    refund_amount        BIGINT NOT NULL DEFAULT 0,
    reject_reason        TEXT NOT NULL DEFAULT '',
    return_carrier       TEXT NOT NULL DEFAULT '',
    return_tracking_no   TEXT NOT NULL DEFAULT '',
    exchange_carrier     TEXT NOT NULL DEFAULT '',
    exchange_tracking_no TEXT NOT NULL DEFAULT '',
    warehouse_id         BIGINT,
    handled_by           TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    approved_at          TIMESTAMP,
    shipped_back_at      TIMESTAMP,
    received_at          TIMESTAMP,
    closed_at            TIMESTAMP
);
CREATE INDEX returns_created ON returns (created_at, id);
CREATE INDEX returns_order ON returns (order_id, created_at);
CREATE INDEX returns_customer ON returns (customer_id, created_at);
CREATE INDEX returns_status ON returns (status, created_at);

-- The order lines a request covers: qty asked for, amount the refund of
-- those units (exact share of the line total), accepted_qty and condition
-- (resaleable, damaged) set at inspection; exchange_sku_id is the SKU
-- sent in exchange (the same product, maybe another size).
CREATE TABLE return_lines (
    return_id       BIGINT NOT NULL REFERENCES returns (id),
    order_line_id   BIGINT NOT NULL REFERENCES order_lines (id),
    sku_id          BIGINT NOT NULL,
    product_id      BIGINT NOT NULL,
    qty             INTEGER NOT NULL,
    amount          BIGINT NOT NULL,
    accepted_qty    INTEGER NOT NULL DEFAULT 0,
    condition       TEXT NOT NULL DEFAULT '',
    exchange_sku_id BIGINT,
    PRIMARY KEY (return_id, order_line_id)
);
CREATE INDEX return_lines_line ON return_lines (order_line_id);
CREATE INDEX return_lines_product ON return_lines (product_id);

-- +goose Down
DROP TABLE return_lines;
DROP TABLE returns;

-- +goose Up
-- Orders. status: pending_payment, paid, allocated, shipped, delivered,
-- completed, cancelled, after_sale. Money in fen: total is what the
-- shopper pays (items_total - discount_total + shipping_fee); cost_total
-- is the cost of goods at the time of sale; refunded_total grows with
-- refunds. channel is the traffic source the order came from.
CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    order_no       TEXT NOT NULL UNIQUE,
    customer_id    BIGINT NOT NULL,
    status         TEXT NOT NULL,
    channel        TEXT NOT NULL DEFAULT 'direct',
    session_id     BIGINT,
    items_total    BIGINT NOT NULL,
    discount_total BIGINT NOT NULL DEFAULT 0,
    shipping_fee   BIGINT NOT NULL DEFAULT 0,
    total          BIGINT NOT NULL,
    cost_total     BIGINT NOT NULL DEFAULT 0,
    refunded_total BIGINT NOT NULL DEFAULT 0,
    item_count     INTEGER NOT NULL DEFAULT 0,
    province_code  TEXT NOT NULL DEFAULT '',
    province       TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    placed_at      TIMESTAMP NOT NULL,
    paid_at        TIMESTAMP,
    shipped_at     TIMESTAMP,
    delivered_at   TIMESTAMP,
    completed_at   TIMESTAMP,
    cancelled_at   TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX orders_placed ON orders (placed_at);
CREATE INDEX orders_customer ON orders (customer_id, placed_at);
CREATE INDEX orders_status ON orders (status, placed_at);

-- Order lines keep a snapshot of what was sold: title, spec, price, cost
-- and category, so reports never change when the catalog does.
CREATE TABLE order_lines (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    product_id  BIGINT NOT NULL,
    sku_id      BIGINT NOT NULL,
    category_id BIGINT NOT NULL,
    title       TEXT NOT NULL,
    spec_text   TEXT NOT NULL DEFAULT '',
    quantity    INTEGER NOT NULL,
    unit_price  BIGINT NOT NULL,
    discount    BIGINT NOT NULL DEFAULT 0,
    line_total  BIGINT NOT NULL,
    unit_cost   BIGINT NOT NULL,
    refunded    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX order_lines_order ON order_lines (order_id);
CREATE INDEX order_lines_product ON order_lines (product_id);

-- Payments. method: online, cod, bank_transfer. status: pending,
-- captured, failed, cancelled.
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES orders (id),
    method       TEXT NOT NULL,
    provider     TEXT NOT NULL DEFAULT '',
    amount       BIGINT NOT NULL,
    status       TEXT NOT NULL,
    external_ref TEXT NOT NULL DEFAULT '',
    captured_at  TIMESTAMP,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX payments_order ON payments (order_id);

-- Refunds. status: requested, approved, refunded, rejected.
CREATE TABLE refunds (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    payment_id  BIGINT REFERENCES payments (id),
    amount      BIGINT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    refunded_at TIMESTAMP
);
CREATE INDEX refunds_order ON refunds (order_id);
CREATE INDEX refunds_created ON refunds (created_at);

-- Every status change with who made it and why.
CREATE TABLE order_transitions (
    id          INTEGER PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE INDEX order_transitions_order ON order_transitions (order_id, at);

-- +goose Down
DROP TABLE order_transitions;
DROP TABLE refunds;
DROP TABLE payments;
DROP TABLE order_lines;
DROP TABLE orders;

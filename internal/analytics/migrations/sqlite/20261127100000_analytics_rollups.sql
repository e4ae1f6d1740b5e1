-- +goose Up
-- Daily rollups of the counted orders (see the package doc), so the
-- Overview reads one row per past day instead of every order. day is the
-- shop-zone calendar day, YYYY-MM-DD. A row in analytics_days means the
-- day is rolled up: its rows in the other day tables are complete (a day
-- without sales has its analytics_days row of zeros and nothing else).
CREATE TABLE analytics_days (
    day       TEXT PRIMARY KEY,
    gmv       BIGINT NOT NULL,
    orders    BIGINT NOT NULL,
    cost      BIGINT NOT NULL,
    refunds   BIGINT NOT NULL,
    rolled_at TIMESTAMP NOT NULL
) WITHOUT ROWID;

-- Line sales per day and product, and per day and category sold under;
-- orders counts the day's distinct orders with such a line.
CREATE TABLE analytics_day_products (
    day        TEXT NOT NULL,
    product_id BIGINT NOT NULL,
    quantity   BIGINT NOT NULL,
    orders     BIGINT NOT NULL,
    sales      BIGINT NOT NULL,
    PRIMARY KEY (day, product_id)
) WITHOUT ROWID;
CREATE TABLE analytics_day_categories (
    day         TEXT NOT NULL,
    category_id BIGINT NOT NULL,
    quantity    BIGINT NOT NULL,
    orders      BIGINT NOT NULL,
    sales       BIGINT NOT NULL,
    PRIMARY KEY (day, category_id)
) WITHOUT ROWID;

-- The customers with a counted order on each day, for a range's distinct
-- customers.
CREATE TABLE analytics_day_customers (
    day         TEXT NOT NULL,
    customer_id BIGINT NOT NULL,
    PRIMARY KEY (day, customer_id)
) WITHOUT ROWID;

-- Each customer's first and second counted orders' placed_at (second_at
-- NULL with one), for new and repeat customers. Valid once
-- analytics_rollup_state.customers_at is set, except for the customers
-- with a row in analytics_dirty.
CREATE TABLE analytics_customers (
    customer_id INTEGER PRIMARY KEY,
    first_at    TIMESTAMP NOT NULL,
    second_at   TIMESTAMP
);
CREATE INDEX analytics_customers_first ON analytics_customers (first_at, second_at);

CREATE TABLE analytics_rollup_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    customers_at TIMESTAMP NOT NULL
);

-- Changes not yet rolled up: one row per order write (analytics.MarkDirty),
-- naming the order's shop day and customer. Readers treat those days and
-- customers as unknown and read them raw; the refresh job recomputes them
-- and deletes exactly the rows it saw.
CREATE TABLE analytics_dirty (
    id          INTEGER PRIMARY KEY,
    day         TEXT NOT NULL,
    customer_id BIGINT NOT NULL
);
CREATE INDEX analytics_dirty_day ON analytics_dirty (day);
CREATE INDEX analytics_dirty_customer ON analytics_dirty (customer_id);

-- +goose Down
DROP TABLE analytics_dirty;
DROP TABLE analytics_rollup_state;
DROP TABLE analytics_customers;
DROP TABLE analytics_day_customers;
DROP TABLE analytics_day_categories;
DROP TABLE analytics_day_products;
DROP TABLE analytics_days;

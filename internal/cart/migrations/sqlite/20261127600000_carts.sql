-- +goose Up
-- Shopping carts: one per signed-in customer, or one per guest browser
-- (identified by the hash of a random cookie token). A guest cart is
-- merged into the customer's on their first cart request after signing in.
CREATE TABLE carts (
    id          INTEGER PRIMARY KEY,
    customer_id BIGINT UNIQUE REFERENCES customers (id) ON DELETE CASCADE,
    guest_hash  TEXT UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    CHECK ((customer_id IS NULL) <> (guest_hash IS NULL))
);
CREATE INDEX carts_updated ON carts (updated_at);

CREATE TABLE cart_items (
    cart_id    BIGINT NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    sku_id     BIGINT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    -- selected lines go to checkout; the others stay for later.
    selected   BOOLEAN NOT NULL DEFAULT TRUE,
    added_at   TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (cart_id, sku_id)
);

-- +goose Down
DROP TABLE cart_items;
DROP TABLE carts;

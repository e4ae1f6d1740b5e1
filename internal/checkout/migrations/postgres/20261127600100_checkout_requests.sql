-- +goose Up
-- One row per successful checkout, written in the checkout's own
-- transaction: a retried request with the same Idempotency-Key finds the
-- order it already made, however long after the first.
CREATE TABLE checkout_requests (
    customer_id BIGINT NOT NULL,
    idem_key    TEXT NOT NULL,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (customer_id, idem_key)
);

-- +goose Down
DROP TABLE checkout_requests;

-- +goose Up
-- A shopper's review of a product they received: one per order line
-- (a verified purchase). status: published (shown), pending (flagged by
-- the automatic checks, hidden until staff approve it), rejected
-- (hidden). flags lists the checks that fired (link, ad, contact,
-- profanity), comma-separated. author is the masked display name taken
-- when the review was written. The merchant's public reply lives on the
-- row (one per review): replied_at is the first answer (the 24-hour
-- target counts from created_at to it), reply_updated_at the last edit.
CREATE TABLE reviews (
    id               BIGINT PRIMARY KEY,
    product_id       BIGINT NOT NULL,
    order_id         BIGINT NOT NULL REFERENCES orders (id),
    order_line_id    BIGINT NOT NULL,
    customer_id      BIGINT NOT NULL,
    author           TEXT NOT NULL DEFAULT '',
    spec_text        TEXT NOT NULL DEFAULT '',
    rating           SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body             TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    flags            TEXT NOT NULL DEFAULT '',
    moderated_by     TEXT NOT NULL DEFAULT '',
    moderated_at     TIMESTAMPTZ,
    reject_reason    TEXT NOT NULL DEFAULT '',
    reply            TEXT NOT NULL DEFAULT '',
    replied_by       TEXT NOT NULL DEFAULT '',
    replied_at       TIMESTAMPTZ,
    reply_updated_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX reviews_line ON reviews (order_line_id);
CREATE INDEX reviews_product ON reviews (product_id, status, created_at, id);
CREATE INDEX reviews_customer ON reviews (customer_id, created_at);
CREATE INDEX reviews_status ON reviews (status, created_at, id);
CREATE INDEX reviews_created ON reviews (created_at, id);

-- The topics a review speaks of (质量, 物流…), each with its polarity
-- (1 praise, -1 complaint), found by the lexicon when it was written.
-- product_id is repeated so per-product summaries need no join.
CREATE TABLE review_topics (
    review_id  BIGINT NOT NULL REFERENCES reviews (id),
    topic      TEXT NOT NULL,
    polarity   SMALLINT NOT NULL,
    product_id BIGINT NOT NULL,
    PRIMARY KEY (review_id, topic)
);
CREATE INDEX review_topics_product ON review_topics (product_id, topic);

-- +goose Down
DROP TABLE review_topics;
DROP TABLE reviews;

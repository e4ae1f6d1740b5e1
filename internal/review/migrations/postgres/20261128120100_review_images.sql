-- +goose Up
-- Shoppers' photos on their reviews, in the media service's column shape
-- (the bytes in the row by default; thumbnails are cached by each node).
CREATE TABLE review_images (
    id           BIGINT PRIMARY KEY,
    review_id    BIGINT NOT NULL REFERENCES reviews (id),
    position     INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX review_images_review ON review_images (review_id, position);

-- +goose Down
DROP TABLE review_images;

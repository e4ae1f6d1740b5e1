-- +goose Up
-- Photos a shopper attaches to an after-sale request (a crack, a wrong
-- label): the media columns, so the media package's store keeps them.
CREATE TABLE return_photos (
    id           INTEGER PRIMARY KEY,
    return_id    BIGINT NOT NULL REFERENCES returns (id),
    position     INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX return_photos_return ON return_photos (return_id, position);

-- +goose Down
DROP TABLE return_photos;

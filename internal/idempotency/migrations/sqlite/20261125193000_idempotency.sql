-- +goose Up
-- Idempotency-Key records: one per (principal, method, path, key). A
-- pending row marks a request in progress; a done row holds the response a
-- retry gets; owner is the token of the request that holds a pending row.
-- Rows expire after 24 hours and a job purges them.
CREATE TABLE idempotency_keys (
    principal     TEXT NOT NULL,
    method        TEXT NOT NULL,
    path          TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    state         TEXT NOT NULL,
    status        INTEGER NOT NULL DEFAULT 0,
    headers       TEXT NOT NULL DEFAULT '',
    body          BLOB,
    owner         TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    locked_until  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (principal, method, path, idem_key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;

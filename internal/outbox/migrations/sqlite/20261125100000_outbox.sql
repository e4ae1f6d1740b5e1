-- +goose Up
-- The ordered event log. SQLite's single writer commits in id order, so
-- txid stays 0 and the order is the id alone.
CREATE TABLE outbox_events (
    id      INTEGER PRIMARY KEY,
    txid    BIGINT NOT NULL DEFAULT 0,
    topic   TEXT NOT NULL,
    key     TEXT NOT NULL,
    payload TEXT NOT NULL,
    at      TIMESTAMP NOT NULL
);
CREATE INDEX outbox_events_order ON outbox_events (txid, id);
CREATE INDEX outbox_events_at ON outbox_events (at);

-- Each consumer's position in the log: the (txid, id) of the last event it
-- handled. seen_at tells retention which consumers are still alive.
CREATE TABLE outbox_positions (
    consumer TEXT PRIMARY KEY,
    txid     BIGINT NOT NULL DEFAULT 0,
    event_id BIGINT NOT NULL DEFAULT 0,
    seen_at  TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE outbox_positions;
DROP TABLE outbox_events;

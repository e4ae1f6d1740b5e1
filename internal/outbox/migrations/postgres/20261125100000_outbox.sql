-- +goose Up
-- The ordered event log. txid is the writing transaction's id (xid8 as a
-- bigint): readers only take rows whose transaction is older than every
-- transaction still running, so a late commit is never skipped.
CREATE TABLE outbox_events (
    id      BIGINT PRIMARY KEY,
    txid    BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    topic   TEXT NOT NULL,
    key     TEXT NOT NULL,
    payload JSONB NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbox_events_order ON outbox_events (txid, id);
CREATE INDEX outbox_events_at ON outbox_events (at);

-- Each consumer's position in the log: the (txid, id) of the last event it
-- handled. seen_at tells retention which consumers are still alive.
CREATE TABLE outbox_positions (
    consumer TEXT PRIMARY KEY,
    txid     BIGINT NOT NULL DEFAULT 0,
    event_id BIGINT NOT NULL DEFAULT 0,
    seen_at  TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE outbox_positions;
DROP TABLE outbox_events;

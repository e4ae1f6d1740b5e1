-- +goose Up
-- Staff users of the console. Emails are stored lower-cased, which makes
-- the unique index case-insensitive on both databases.
CREATE TABLE staff_users (
    id            BIGINT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    mobile        TEXT NOT NULL DEFAULT '',
    department    TEXT NOT NULL,
    role          TEXT NOT NULL,
    active        BOOLEAN NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_users_role ON staff_users (role, active);
CREATE INDEX staff_users_department ON staff_users (department);

-- Console sessions (scs). token is the SHA-256 of the cookie value.
CREATE TABLE staff_sessions (
    token  TEXT PRIMARY KEY,
    data   BYTEA NOT NULL,
    expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expiry);

-- Sign-in throttling shared by every node: one row per account or client
-- address, counting hits in a fixed window.
CREATE TABLE auth_throttle (
    bucket       TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INTEGER NOT NULL,
    locked_until TIMESTAMPTZ
);

-- API tokens: only the SHA-256 of the secret is kept.
CREATE TABLE api_tokens (
    id           BIGINT PRIMARY KEY,
    staff_id     BIGINT NOT NULL REFERENCES staff_users (id),
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    hint         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_staff ON api_tokens (staff_id);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE auth_throttle;
DROP TABLE staff_sessions;
DROP TABLE staff_users;

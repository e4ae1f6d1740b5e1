-- +goose Up
-- Staff users of the console. Emails are stored lower-cased, which makes
-- the unique index case-insensitive on both databases.
CREATE TABLE staff_users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    mobile        TEXT NOT NULL DEFAULT '',
    department    TEXT NOT NULL,
    role          TEXT NOT NULL,
    active        BOOLEAN NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX staff_users_role ON staff_users (role, active);
CREATE INDEX staff_users_department ON staff_users (department);

-- Console sessions (scs). token is the SHA-256 of the cookie value.
CREATE TABLE staff_sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expiry);

-- Sign-in throttling shared by every node: one row per account or client
-- address, counting hits in a fixed window.
CREATE TABLE auth_throttle (
    bucket       TEXT PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    hits         INTEGER NOT NULL,
    locked_until TIMESTAMP
);

-- API tokens: only the SHA-256 of the secret is kept.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    staff_id     BIGINT NOT NULL REFERENCES staff_users (id),
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    hint         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_staff ON api_tokens (staff_id);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE auth_throttle;
DROP TABLE staff_sessions;
DROP TABLE staff_users;

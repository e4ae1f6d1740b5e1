-- +goose Up
-- Shoppers. A customer signs in with an email or a China mobile number;
-- either may be absent, never both (the service enforces it).
CREATE TABLE customers (
    id            INTEGER PRIMARY KEY,
    email         TEXT UNIQUE,
    mobile        TEXT UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'active',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- Signed-in browsers. The cookie holds a random token; only its SHA-256
-- is stored, so a leaked table cannot be replayed.
CREATE TABLE customer_sessions (
    token_hash   TEXT PRIMARY KEY,
    customer_id  BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_sessions_customer ON customer_sessions (customer_id);
CREATE INDEX customer_sessions_expires ON customer_sessions (expires_at);

-- The address book. Region codes are GB/T 2260 six-digit codes.
CREATE TABLE customer_addresses (
    id            INTEGER PRIMARY KEY,
    customer_id   BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    recipient     TEXT NOT NULL,
    mobile        TEXT NOT NULL,
    province      TEXT NOT NULL,
    province_code TEXT NOT NULL,
    city          TEXT NOT NULL,
    city_code     TEXT NOT NULL,
    district      TEXT NOT NULL,
    district_code TEXT NOT NULL,
    detail        TEXT NOT NULL,
    postal_code   TEXT NOT NULL DEFAULT '',
    is_default    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id, id);
CREATE UNIQUE INDEX customer_addresses_one_default ON customer_addresses (customer_id) WHERE is_default;

-- Failed sign-in counters per login and per client address, with the
-- lockout they trigger. Kept in the database so every node sees them.
CREATE TABLE customer_login_throttle (
    scope        TEXT NOT NULL,
    subject      TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX customer_login_throttle_window ON customer_login_throttle (window_start);

-- +goose Down
DROP TABLE customer_login_throttle;
DROP TABLE customer_addresses;
DROP TABLE customer_sessions;
DROP TABLE customers;

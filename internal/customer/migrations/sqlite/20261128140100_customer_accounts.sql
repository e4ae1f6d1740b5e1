-- +goose Up
-- Account lifecycle: the language the customer reads email in, and when
-- the account was deleted on request (personal data anonymised, the row
-- kept so orders still name a customer id for accounting).
ALTER TABLE customers ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh-CN';
ALTER TABLE customers ADD COLUMN deleted_at TIMESTAMP;

-- One-time sign-in codes sent by SMS. Only a hash of the code is kept;
-- a code expires, is used once, and burns after a few wrong tries.
CREATE TABLE customer_otp_codes (
    id         INTEGER PRIMARY KEY,
    mobile     TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX customer_otp_codes_mobile ON customer_otp_codes (mobile, id);

-- Password reset links: single use, expiring, stored as a hash.
CREATE TABLE customer_reset_tokens (
    token_hash  TEXT PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX customer_reset_tokens_customer ON customer_reset_tokens (customer_id);

-- Marketing consent per channel (sms, email), append-only: the newest row
-- of a channel is the customer's current choice, the older ones the proof
-- of what they agreed to when, and where (source).
CREATE TABLE customer_consents (
    id          INTEGER PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    channel     TEXT NOT NULL,
    granted     BOOLEAN NOT NULL,
    source      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX customer_consents_customer ON customer_consents (customer_id, channel, id);

-- The SMS sandbox's own record, as a provider's console would keep it:
-- what was sent to which number, for development and tests. nonce makes a
-- replayed request fail.
CREATE TABLE sms_sandbox_messages (
    id         INTEGER PRIMARY KEY,
    mobile     TEXT NOT NULL,
    template   TEXT NOT NULL,
    params     TEXT NOT NULL,
    nonce      TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX sms_sandbox_messages_mobile ON sms_sandbox_messages (mobile, created_at);

-- +goose Down
DROP TABLE sms_sandbox_messages;
DROP TABLE customer_consents;
DROP TABLE customer_reset_tokens;
DROP TABLE customer_otp_codes;
ALTER TABLE customers DROP COLUMN deleted_at;
ALTER TABLE customers DROP COLUMN lang;

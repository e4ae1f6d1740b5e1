-- +goose Up
-- The email outbox. A message is rendered (subject, text and HTML in the
-- recipient's language) and written in the transaction of the change
-- that sends it; a job delivers it over SMTP. status: queued, sent,
-- failed (permanently: a 5xx answer or every attempt used up).
CREATE TABLE mail_messages (
    id          INTEGER PRIMARY KEY,
    to_addr     TEXT NOT NULL,
    lang        TEXT NOT NULL,
    template    TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html_body   TEXT NOT NULL DEFAULT '',
    customer_id BIGINT,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    sent_at     TIMESTAMP
);
CREATE INDEX mail_messages_status ON mail_messages (status, id);
CREATE INDEX mail_messages_customer ON mail_messages (customer_id);

-- +goose Down
DROP TABLE mail_messages;

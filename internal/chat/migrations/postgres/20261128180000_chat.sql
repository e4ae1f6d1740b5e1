-- +goose Up
-- Live chat between a shopper and an agent. status: waiting (in the
-- queue), active (an agent took it), closed, ticketed (nobody was online;
-- the question became a support ticket). A guest is known by the hash of
-- the random token in their chat cookie, with the name and contact they
-- gave.
CREATE TABLE chat_conversations (
    id              BIGINT PRIMARY KEY,
    customer_id     BIGINT REFERENCES customers (id),
    guest_hash      TEXT,
    name            TEXT NOT NULL DEFAULT '',
    contact         TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    agent_id        BIGINT REFERENCES staff_users (id),
    ticket_id       BIGINT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    last_message_at TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ
);
CREATE INDEX chat_conversations_status ON chat_conversations (status, last_message_at);
CREATE INDEX chat_conversations_customer ON chat_conversations (customer_id, id);
CREATE INDEX chat_conversations_guest ON chat_conversations (guest_hash, id);
CREATE INDEX chat_conversations_agent ON chat_conversations (agent_id, status);

-- sender: customer, agent or system. client_id is the sender's own id of
-- the message, so a resend after a lost acknowledgement stores nothing
-- twice.
CREATE TABLE chat_messages (
    id              BIGINT PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES chat_conversations (id),
    sender          TEXT NOT NULL,
    staff_id        BIGINT,
    body            TEXT NOT NULL,
    client_id       TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX chat_messages_conversation ON chat_messages (conversation_id, id);
CREATE UNIQUE INDEX chat_messages_client ON chat_messages (conversation_id, client_id) WHERE client_id <> '';

-- Which agents have the chat inbox open, on which node: a row per agent
-- and node, refreshed while the connection lives. Any node can tell
-- whether somebody is online anywhere.
CREATE TABLE chat_presence (
    staff_id BIGINT NOT NULL,
    node     TEXT NOT NULL,
    seen_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (staff_id, node)
);

-- +goose Down
DROP TABLE chat_presence;
DROP TABLE chat_messages;
DROP TABLE chat_conversations;

-- +goose Up
-- The service desk. A ticket is one customer contact (a question, a
-- complaint, a suggestion, a to-do opened by a care rule) with its
-- conversation in support_messages.
--   channel: web (contact form or API), email, phone (logged by an
--            agent), chat (offline chat), care (a proactive care rule)
--   type:    pre_sale 售前, in_order 售中, after_sale 售后,
--            complaint 投诉, suggestion 建议
--   priority: low, normal, high, urgent (the SLA policy's key)
--   status:  open → pending (waiting on the customer) → resolved → closed
--   cause:   the contact reason an agent records ("logistics.delay"),
--            with what it points at: a product, a carrier or a policy
-- SLA deadlines are computed in working hours when the ticket opens
-- (first response) and kept; *_warned_at and *_breached_at are set once
-- by the breach job. first_response_work and resolution_work are the
-- working seconds the ticket took, for the metrics.
CREATE TABLE support_tickets (
    id                  BIGINT PRIMARY KEY,
    customer_id         BIGINT,
    contact_name        TEXT NOT NULL DEFAULT '',
    contact_email       TEXT NOT NULL DEFAULT '',
    contact_phone       TEXT NOT NULL DEFAULT '',
    channel             TEXT NOT NULL,
    type                TEXT NOT NULL,
    priority            TEXT NOT NULL,
    status              TEXT NOT NULL,
    subject             TEXT NOT NULL,
    cause               TEXT NOT NULL DEFAULT '',
    product_id          BIGINT,
    carrier             TEXT NOT NULL DEFAULT '',
    policy              TEXT NOT NULL DEFAULT '',
    order_id            BIGINT,
    team_id             BIGINT,
    assignee_id         BIGINT,
    reply_token         TEXT NOT NULL UNIQUE,
    first_response_due  TIMESTAMPTZ NOT NULL,
    resolution_due      TIMESTAMPTZ NOT NULL,
    first_responded_at  TIMESTAMPTZ,
    resolved_at         TIMESTAMPTZ,
    closed_at           TIMESTAMPTZ,
    first_response_work BIGINT,
    resolution_work     BIGINT,
    response_warned_at  TIMESTAMPTZ,
    response_breached_at TIMESTAMPTZ,
    resolution_warned_at TIMESTAMPTZ,
    resolution_breached_at TIMESTAMPTZ,
    csat_token          TEXT UNIQUE,
    csat_score          INTEGER,
    csat_comment        TEXT NOT NULL DEFAULT '',
    csat_at             TIMESTAMPTZ,
    care_key            TEXT UNIQUE,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_tickets_customer ON support_tickets (customer_id, created_at);
CREATE INDEX support_tickets_status ON support_tickets (status, created_at);
CREATE INDEX support_tickets_assignee ON support_tickets (assignee_id, status);
CREATE INDEX support_tickets_created ON support_tickets (created_at, id);
CREATE INDEX support_tickets_order ON support_tickets (order_id);
CREATE INDEX support_tickets_contact ON support_tickets (contact_email, created_at);

-- The conversation. author: customer, agent or system; internal notes
-- are never shown to the customer.
CREATE TABLE support_messages (
    id          BIGINT PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES support_tickets (id),
    author      TEXT NOT NULL,
    author_id   BIGINT,
    author_name TEXT NOT NULL DEFAULT '',
    via         TEXT NOT NULL,
    internal    BOOLEAN NOT NULL DEFAULT FALSE,
    body        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_messages_ticket ON support_messages (ticket_id, created_at, id);

-- Other orders an agent linked to the ticket (the first one is order_id).
CREATE TABLE support_ticket_orders (
    ticket_id BIGINT NOT NULL REFERENCES support_tickets (id),
    order_id  BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, order_id)
);

-- Teams and agents. skills are ticket types and channels, comma
-- separated ("after_sale,complaint"); empty means any. Assignment is
-- round-robin among the active agents who have the skill: the one
-- assigned longest ago goes next.
CREATE TABLE support_teams (
    id         BIGINT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    skills     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE support_agents (
    staff_id         BIGINT PRIMARY KEY,
    team_id          BIGINT REFERENCES support_teams (id),
    skills           TEXT NOT NULL DEFAULT '',
    active           BOOLEAN NOT NULL,
    last_assigned_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL
);

-- SLA targets in working minutes, per priority.
CREATE TABLE support_sla (
    priority           TEXT PRIMARY KEY,
    first_response_min INTEGER NOT NULL,
    resolution_min     INTEGER NOT NULL
);
INSERT INTO support_sla (priority, first_response_min, resolution_min) VALUES
    ('urgent', 30, 240), ('high', 60, 540), ('normal', 240, 1620), ('low', 540, 2700);

-- The working calendar: daily hours (minutes after midnight, shop time)
-- and the shop's own days on top of the public arrangement (worked TRUE
-- works a day off, FALSE closes a working day).
CREATE TABLE support_calendar (
    id        BIGINT PRIMARY KEY,
    start_min INTEGER NOT NULL,
    end_min   INTEGER NOT NULL
);
INSERT INTO support_calendar (id, start_min, end_min) VALUES (1, 540, 1080);
CREATE TABLE support_calendar_days (
    day    TEXT PRIMARY KEY,
    worked BOOLEAN NOT NULL,
    note   TEXT NOT NULL DEFAULT ''
);

-- Canned replies; the body may use {{name}}, {{order_no}}, {{ticket_no}}
-- and {{agent}}.
CREATE TABLE support_canned (
    id         BIGINT PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- Proactive care rules, one row per kind: shipment_delayed,
-- negative_review, first_delivered, vip_idle. action: ticket (a to-do
-- for the desk) or message (queued to the customer from the template).
-- days is the rule's threshold (shipping days, idle days).
CREATE TABLE support_care_rules (
    kind     TEXT PRIMARY KEY,
    enabled  BOOLEAN NOT NULL,
    action   TEXT NOT NULL,
    days     INTEGER NOT NULL DEFAULT 0,
    template TEXT NOT NULL
);
INSERT INTO support_care_rules (kind, enabled, action, days, template) VALUES
    ('shipment_delayed', TRUE, 'ticket', 3, '{{name}}您好，您的订单 {{order_no}} 物流较慢，我们正在跟进，给您带来不便非常抱歉。'),
    ('negative_review', TRUE, 'ticket', 0, '{{name}}您好，看到您对商品的评价，我们很重视，客服会尽快联系您。'),
    ('first_delivered', TRUE, 'message', 0, '{{name}}您好，您的第一笔订单 {{order_no}} 已签收，欢迎告诉我们您的使用感受。'),
    ('vip_idle', TRUE, 'ticket', 60, '{{name}}您好，好久不见，我们为您准备了专属关怀。');

-- Messages to customers queued by care rules and email replies, sent by
-- the mail outbox when it is wired; kept here so nothing is lost.
CREATE TABLE support_outgoing (
    id          BIGINT PRIMARY KEY,
    ticket_id   BIGINT,
    customer_id BIGINT,
    to_email    TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    care_key    TEXT UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_outgoing_status ON support_outgoing (status, created_at);

-- +goose Down
DROP TABLE support_outgoing;
DROP TABLE support_care_rules;
DROP TABLE support_canned;
DROP TABLE support_calendar_days;
DROP TABLE support_calendar;
DROP TABLE support_sla;
DROP TABLE support_agents;
DROP TABLE support_teams;
DROP TABLE support_ticket_orders;
DROP TABLE support_messages;
DROP TABLE support_tickets;

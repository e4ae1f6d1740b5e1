-- +goose Up
-- Storefront visits. source is the normalised channel (search,
-- douyin_live, short_video, xiaohongshu, wechat, ads, direct, other); the
-- raw utm values, referrer and landing path are kept as sent (rendered
-- escaped). device: mobile, desktop, tablet.
CREATE TABLE visit_sessions (
    id           INTEGER PRIMARY KEY,
    visitor_id   TEXT NOT NULL,
    customer_id  BIGINT,
    source       TEXT NOT NULL,
    utm_source   TEXT NOT NULL DEFAULT '',
    utm_medium   TEXT NOT NULL DEFAULT '',
    utm_campaign TEXT NOT NULL DEFAULT '',
    referrer     TEXT NOT NULL DEFAULT '',
    landing_path TEXT NOT NULL DEFAULT '',
    device       TEXT NOT NULL DEFAULT 'mobile',
    page_views   INTEGER NOT NULL DEFAULT 0,
    started_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX visit_sessions_started ON visit_sessions (started_at);
CREATE INDEX visit_sessions_visitor ON visit_sessions (visitor_id, last_seen_at);

-- Page and product views (kind: page_view, product_view).
CREATE TABLE visit_events (
    id         INTEGER PRIMARY KEY,
    session_id BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    path       TEXT NOT NULL DEFAULT '',
    product_id BIGINT,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX visit_events_session ON visit_events (session_id);
CREATE INDEX visit_events_at ON visit_events (at);
CREATE INDEX visit_events_product ON visit_events (product_id, at);

-- +goose Down
DROP TABLE visit_events;
DROP TABLE visit_sessions;

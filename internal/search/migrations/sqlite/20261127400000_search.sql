-- +goose Up
-- Synonym groups the console manages: terms is the group's words, comma
-- separated and normalised (手机壳,保护壳). A query word in a group also
-- matches every other word of it.
CREATE TABLE search_synonyms (
    id         BIGINT PRIMARY KEY,
    terms      TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Every storefront search: what was asked, how many products matched and
-- what shoppers then did with it (clicks and purchases counted from
-- search_feedback), for keyword optimisation reports. filters is a JSON
-- object of the filters applied; visitor_id and session_id are the
-- traffic cookies when present.
CREATE TABLE search_log (
    id           BIGINT PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    query        TEXT NOT NULL,
    norm_query   TEXT NOT NULL,
    result_count INTEGER NOT NULL,
    sort         TEXT NOT NULL DEFAULT '',
    filters      TEXT NOT NULL DEFAULT '{}',
    visitor_id   TEXT NOT NULL DEFAULT '',
    session_id   BIGINT,
    clicks       INTEGER NOT NULL DEFAULT 0,
    purchases    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX search_log_at ON search_log (at);
CREATE INDEX search_log_norm ON search_log (norm_query, at);

-- What a shopper did with a search's results: kind is click or purchase,
-- product_id the result acted on.
CREATE TABLE search_feedback (
    id         BIGINT PRIMARY KEY,
    search_id  BIGINT NOT NULL REFERENCES search_log (id),
    kind       TEXT NOT NULL,
    product_id BIGINT NOT NULL,
    at         TIMESTAMP NOT NULL
);
CREATE INDEX search_feedback_search ON search_feedback (search_id);
CREATE INDEX search_feedback_product ON search_feedback (product_id, at);

-- +goose Down
DROP TABLE search_feedback;
DROP TABLE search_log;
DROP TABLE search_synonyms;

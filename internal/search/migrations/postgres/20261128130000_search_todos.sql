-- +goose Up
-- Notes the keyword report leaves for the catalog team, one open note per
-- query: shoppers search for something the shop does not carry (stock
-- it). searches is how many searches found nothing when the note was
-- made. status is open or done.
CREATE TABLE search_todos (
    id         BIGINT PRIMARY KEY,
    query      TEXT NOT NULL,
    note       TEXT NOT NULL,
    searches   INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'open',
    created_at TIMESTAMP NOT NULL,
    done_at    TIMESTAMP
);
CREATE UNIQUE INDEX search_todos_open ON search_todos (query) WHERE status = 'open';

-- +goose Down
DROP TABLE search_todos;

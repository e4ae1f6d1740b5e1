-- +goose Up
-- Indexes dropped for a bulk load, recorded in the transaction that drops
-- them, so a process killed mid-load has them rebuilt on the next start.
CREATE TABLE store_pending_indexes (
    name       TEXT PRIMARY KEY,
    create_sql TEXT NOT NULL
);

-- +goose Down
DROP TABLE store_pending_indexes;

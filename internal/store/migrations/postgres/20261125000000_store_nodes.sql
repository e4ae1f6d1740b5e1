-- +goose Up
-- Node numbers leased by running processes so their ids never collide.
CREATE TABLE store_node_leases (
    node       INTEGER PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE store_node_leases;

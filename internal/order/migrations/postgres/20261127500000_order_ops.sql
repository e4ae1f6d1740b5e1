-- +goose Up
-- Who made a status change: actor is the kind (staff, customer, system,
-- carrier, warehouse), actor_id the staff user's or customer's id, and
-- actor_name a snapshot of their name when the change was made.
ALTER TABLE order_transitions ADD COLUMN actor_id BIGINT;
ALTER TABLE order_transitions ADD COLUMN actor_name TEXT NOT NULL DEFAULT '';

-- Internal notes staff leave on an order; the shopper never sees them.
CREATE TABLE order_notes (
    id         BIGINT PRIMARY KEY,
    order_id   BIGINT NOT NULL REFERENCES orders (id),
    staff_id   BIGINT,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_notes_order ON order_notes (order_id, created_at);

-- Parcels: an order leaves in one or more shipments, each with its
-- carrier, tracking number and the quantities of the lines it holds.
CREATE TABLE order_shipments (
    id          BIGINT PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders (id),
    carrier     TEXT NOT NULL,
    tracking_no TEXT NOT NULL,
    shipped_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_shipments_order ON order_shipments (order_id);
CREATE INDEX order_shipments_tracking ON order_shipments (tracking_no);

CREATE TABLE order_shipment_lines (
    shipment_id BIGINT NOT NULL REFERENCES order_shipments (id),
    line_id     BIGINT NOT NULL REFERENCES order_lines (id),
    quantity    INTEGER NOT NULL,
    PRIMARY KEY (shipment_id, line_id)
);
CREATE INDEX order_shipment_lines_line ON order_shipment_lines (line_id);

-- The last order number handed out per shop day (YYYYMMDD): new numbers
-- grow from it by a random step.
CREATE TABLE order_no_days (
    day  TEXT PRIMARY KEY,
    last BIGINT NOT NULL
);

-- The console's order list filters by channel and by province, newest
-- first (status and date ranges use orders_status and orders_placed).
CREATE INDEX orders_channel ON orders (channel, placed_at);
CREATE INDEX orders_province ON orders (province_code, placed_at);

-- +goose Down
DROP INDEX orders_province;
DROP INDEX orders_channel;
DROP TABLE order_no_days;
DROP TABLE order_shipment_lines;
DROP TABLE order_shipments;
DROP TABLE order_notes;
ALTER TABLE order_transitions DROP COLUMN actor_name;
ALTER TABLE order_transitions DROP COLUMN actor_id;

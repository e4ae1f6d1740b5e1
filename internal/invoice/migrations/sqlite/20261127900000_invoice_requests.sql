-- +goose Up
-- A shopper's request for an invoice (发票) on one order. title_type is
-- personal (个人) or company (企业); tax_no is the company's unified
-- social credit code (统一社会信用代码), empty for most personal titles.
-- amount is the order's total minus refunds when the request was made,
-- in fen. status: requested, issued, rejected, cancelled; invoice_no and
-- issued_* are set when staff issue it, reject_reason when they refuse.
CREATE TABLE invoice_requests (
    id             INTEGER PRIMARY KEY,
    order_id       BIGINT NOT NULL REFERENCES orders (id),
    customer_id    BIGINT NOT NULL,
    title_type     TEXT NOT NULL,
    title          TEXT NOT NULL,
    tax_no         TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    amount         BIGINT NOT NULL,
    status         TEXT NOT NULL,
    invoice_no     TEXT,
    issued_by      BIGINT,
    issued_by_name TEXT NOT NULL DEFAULT '',
    issued_at      TIMESTAMP,
    reject_reason  TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
-- At most one open (requested or issued) request per order: a second
-- request waits until the first is rejected or cancelled.
CREATE UNIQUE INDEX invoice_requests_open ON invoice_requests (order_id) WHERE status IN ('requested', 'issued');
CREATE UNIQUE INDEX invoice_requests_invoice_no ON invoice_requests (invoice_no);
CREATE INDEX invoice_requests_created ON invoice_requests (created_at, id);
CREATE INDEX invoice_requests_order ON invoice_requests (order_id, created_at);

-- +goose Down
DROP TABLE invoice_requests;

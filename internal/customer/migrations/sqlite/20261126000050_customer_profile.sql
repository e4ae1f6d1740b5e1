-- +goose Up
-- Where a customer lives (for regional reports and the demo shop) and
-- which channel first brought them.
ALTER TABLE customers ADD COLUMN province_code TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN province TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN gender TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN birthday TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX customers_created ON customers (created_at);

-- +goose Down
DROP INDEX customers_created;
ALTER TABLE customers DROP COLUMN source;
ALTER TABLE customers DROP COLUMN birthday;
ALTER TABLE customers DROP COLUMN gender;
ALTER TABLE customers DROP COLUMN city;
ALTER TABLE customers DROP COLUMN province;
ALTER TABLE customers DROP COLUMN province_code;

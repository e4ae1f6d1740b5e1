-- +goose Up
-- The storefront and the API list products by price within a status or a
-- category; these keep that an index walk instead of a sort.
CREATE INDEX products_status_price ON products (status, price_min, id);
CREATE INDEX products_category_price ON products (category_id, status, price_min, id);

-- +goose Down
DROP INDEX products_category_price;
DROP INDEX products_status_price;

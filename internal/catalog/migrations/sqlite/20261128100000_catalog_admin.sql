-- +goose Up
-- Listing management. list_at and delist_at are the times a scheduled
-- listing or delisting falls due; the sweep clears them once done.
ALTER TABLE products ADD COLUMN list_at TIMESTAMP;
ALTER TABLE products ADD COLUMN delist_at TIMESTAMP;
CREATE INDEX products_list_at ON products (list_at) WHERE list_at IS NOT NULL;
CREATE INDEX products_delist_at ON products (delist_at) WHERE delist_at IS NOT NULL;

-- A SKU's volume in cubic centimetres, for freight by size.
ALTER TABLE skus ADD COLUMN volume_cm3 INTEGER NOT NULL DEFAULT 0;

-- Free tags on products (清仓, 新品…): merchandising and reports filter
-- by them.
CREATE TABLE product_tags (
    product_id BIGINT NOT NULL REFERENCES products (id),
    tag        TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (product_id, tag)
);
CREATE INDEX product_tags_tag ON product_tags (tag, product_id);

-- A category's attribute template: the attributes its products have.
-- kind 'spec' attributes make SKUs (颜色, 尺码); 'attr' ones describe
-- the product (材质, 产地). choices is a JSON array of allowed values,
-- empty for free text.
CREATE TABLE category_attributes (
    id          INTEGER PRIMARY KEY,
    category_id BIGINT NOT NULL REFERENCES categories (id),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'attr',
    required    BOOLEAN NOT NULL DEFAULT FALSE,
    choices     TEXT NOT NULL DEFAULT '[]',
    position    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (category_id, name)
);

-- +goose Down
DROP TABLE category_attributes;
DROP TABLE product_tags;
DROP INDEX products_delist_at;
DROP INDEX products_list_at;
ALTER TABLE skus DROP COLUMN volume_cm3;
ALTER TABLE products DROP COLUMN delist_at;
ALTER TABLE products DROP COLUMN list_at;

-- +goose Up
-- The category tree. storage_class says how goods of the category travel
-- and are kept: ambient (常温), chilled (冷藏) or frozen (冷冻).
CREATE TABLE categories (
    id            INTEGER PRIMARY KEY,
    parent_id     BIGINT REFERENCES categories (id),
    slug          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    name_en       TEXT NOT NULL DEFAULT '',
    position      INTEGER NOT NULL DEFAULT 0,
    storage_class TEXT NOT NULL DEFAULT 'ambient',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id, position);

CREATE TABLE brands (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    name_en    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);

-- A product (SPU): what a shopper thinks of as one item. Its SKUs are the
-- variants that carry price, cost and stock. status: draft, on_sale,
-- off_sale, archived. attributes is a JSON object (材质, 产地…).
CREATE TABLE products (
    id            INTEGER PRIMARY KEY,
    category_id   BIGINT NOT NULL REFERENCES categories (id),
    brand_id      BIGINT REFERENCES brands (id),
    title         TEXT NOT NULL,
    subtitle      TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    attributes    TEXT NOT NULL DEFAULT '{}',
    status        TEXT NOT NULL DEFAULT 'draft',
    storage_class TEXT NOT NULL DEFAULT 'ambient',
    price_min     BIGINT NOT NULL DEFAULT 0,
    price_max     BIGINT NOT NULL DEFAULT 0,
    listed_at     TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX products_category ON products (category_id, status, id);
CREATE INDEX products_status ON products (status, id);

-- A SKU: one purchasable variant. spec is a JSON object of spec
-- attributes ({"颜色":"黑色","尺码":"M"}); spec_text its display form.
-- Money in fen.
CREATE TABLE skus (
    id               INTEGER PRIMARY KEY,
    product_id       BIGINT NOT NULL REFERENCES products (id),
    code             TEXT NOT NULL UNIQUE,
    spec             TEXT NOT NULL DEFAULT '{}',
    spec_text        TEXT NOT NULL DEFAULT '',
    price            BIGINT NOT NULL,
    compare_at_price BIGINT,
    cost             BIGINT NOT NULL,
    weight_g         INTEGER NOT NULL DEFAULT 0,
    barcode          TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'active',
    position         INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX skus_product ON skus (product_id, position);

-- Image bytes live in the database so nodes stay stateless; resized
-- variants are cached locally.
CREATE TABLE product_images (
    id           INTEGER PRIMARY KEY,
    product_id   BIGINT NOT NULL REFERENCES products (id),
    position     INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX product_images_product ON product_images (product_id, position);

-- +goose Down
DROP TABLE product_images;
DROP TABLE skus;
DROP TABLE products;
DROP TABLE brands;
DROP TABLE categories;

-- +goose Up
-- Staged targets the owner sets: one value per period and metric.
-- period_kind: month, quarter; period_start is the first shop-zone day of
-- the period (YYYY-MM-DD). metric: gmv, gross_profit (fen), repeat_rate
-- (basis points, 1/100 of a percent).
CREATE TABLE strategy_targets (
    id           INTEGER PRIMARY KEY,
    period_kind  TEXT NOT NULL,
    period_start TEXT NOT NULL,
    metric       TEXT NOT NULL,
    target       BIGINT NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (period_kind, period_start, metric)
);

-- +goose Down
DROP TABLE strategy_targets;

-- +goose Up
-- Covering indexes for the Overview's aggregates, so they read index
-- pages only: the orders of a time range with every summed column, a
-- customer's counted orders before an instant, and an order's lines with
-- what the rankings sum. Measured in bench/overview_bench_test.go.
CREATE INDEX analytics_orders_placed ON orders (placed_at, status, customer_id, total, cost_total, refunded_total, id);
CREATE INDEX analytics_orders_customer ON orders (customer_id, placed_at, status);
CREATE INDEX analytics_order_lines ON order_lines (order_id, product_id, category_id, quantity, line_total);

-- +goose Down
DROP INDEX analytics_order_lines;
DROP INDEX analytics_orders_customer;
DROP INDEX analytics_orders_placed;

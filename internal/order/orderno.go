package order

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Order numbers are the shop day of placing (YYYYMMDD, shop time zone)
// and an 8-digit suffix, as the demo history writes them: the first
// number of a day starts at a random point from 10,000,000 and each next
// one adds a random step of 1 to 97. Numbers grow through the day (the
// unique index only appends) yet do not tell a competitor how many orders
// the shop takes. Past about a million orders in one day the suffix
// grows a ninth digit: still unique, no longer sorted as text.
const (
	orderNoStart = 10_000_000
	orderNoSpan  = 40_000_000
	orderNoStep  = 97
)

// NewOrderNo hands out the next order number for an order placed at
// placedAt, inside tx. It keeps the day's last number in order_no_days;
// the first call of a day starts above any number already taken that day
// (the demo history's), so it never meets one.
//
// On PostgreSQL the day's row stays locked until tx ends, which
// serialises order creation: call it late in the transaction. Errors are
// database errors only.
func NewOrderNo(ctx context.Context, tx *store.Tx, placedAt time.Time) (string, error) {
	day := placedAt.In(platform.ShopZone).Format("20060102")
	var last int64
	err := tx.QueryRowContext(ctx, `UPDATE order_no_days SET last = last + $1 WHERE day = $2 RETURNING last`,
		1+rand.Int64N(orderNoStep), day).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		last, err = startDay(ctx, tx, day)
	}
	if err != nil {
		return "", fmt.Errorf("order: new order number: %w", err)
	}
	return day + fmt.Sprintf("%08d", last), nil
}

// startDay creates the day's counter above the day's highest number so
// far, or at a random start, and returns the first number.
func startDay(ctx context.Context, tx *store.Tx, day string) (int64, error) {
	first := orderNoStart + rand.Int64N(orderNoSpan)
	var top sql.NullString
	// The day's numbers share the prefix, so the unique index on order_no
	// finds the highest with one seek.
	if err := tx.QueryRowContext(ctx, `SELECT MAX(order_no) FROM orders WHERE order_no >= $1 AND order_no < $2`,
		day, day+":").Scan(&top); err != nil {
		return 0, err
	}
	if top.Valid && len(top.String) > len(day) {
		if n, err := strconv.ParseInt(top.String[len(day):], 10, 64); err == nil && n >= first {
			first = n + 1 + rand.Int64N(orderNoStep)
		}
	}
	// A concurrent first call of the day may have inserted the row; then
	// step from its number instead.
	res, err := tx.ExecContext(ctx, `INSERT INTO order_no_days (day, last) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING`, day, first)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return first, nil
	}
	var last int64
	err = tx.QueryRowContext(ctx, `UPDATE order_no_days SET last = last + $1 WHERE day = $2 RETURNING last`,
		1+rand.Int64N(orderNoStep), day).Scan(&last)
	return last, err
}

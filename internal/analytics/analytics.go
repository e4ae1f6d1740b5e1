// Package analytics computes the shop's sales figures for the operations
// console: the Overview page (KPIs, trends against the previous period and
// the same period last year, top products and categories) and the actual
// figures that staged targets (package strategy) are measured against.
//
// # Definitions
//
// Every figure is computed over a Range: the instants [From, To) in UTC,
// which the console builds from whole days of the shop's zone
// (platform.ShopZone), the last day possibly cut at "now".
//
//   - Counted order: an order whose status is Counted (order.Status): paid,
//     whatever happened after; not pending_payment, not cancelled.
//   - An order belongs to the range its placed_at falls in (not its
//     payment time), and so do its lines, cost and refunds.
//   - GMV: the sum of orders.total (what shoppers pay: goods after
//     discounts plus shipping) of counted orders in the range.
//   - Orders: the number of counted orders in the range.
//   - AOV (average order value): GMV / orders, in fen rounded half up; 0
//     without orders.
//   - Refunds: the sum of orders.refunded_total of the counted orders in
//     the range, i.e. what was refunded (so far) on the orders placed in
//     the range, whenever the refund happened. Attributing a refund to its
//     order's day keeps a day's margin meaningful and makes the figures of
//     a past range settle as after-sales close.
//   - Gross profit: GMV − cost of goods (orders.cost_total, the cost at
//     the time of sale) − refunds. Goods returned with a refund are not
//     credited back at cost: a conservative figure.
//   - Margin: gross profit / GMV, in basis points (1/100 of a percent).
//   - Refund rate: refunds / GMV (an amount rate), in basis points.
//   - Customers: distinct customers with a counted order in the range.
//     New customers: those whose first counted order ever was placed in
//     the range; returning customers: the others.
//   - Repeat-purchase rate: the share of the range's customers who have at
//     least two counted orders placed before the range's end (earlier
//     orders count), in basis points.
//   - Product and category sales: the sum of order_lines.line_total (after
//     line discounts, before order-level discounts and shipping) of the
//     lines of counted orders in the range, by the line's product and the
//     category it was sold under; share is of all lines' sales.
//   - Deltas against the previous period (the same number of days right
//     before, cut at the same time of day) and the same days last year:
//     for amounts and counts (current − base) / base, absent when the base
//     is 0; for rates (margin, refund rate) the difference in percentage
//     points.
//
// Ratios are computed with integers (rounded half away from zero); money
// is int64 fen throughout.
//
// # Rollups
//
// Whole past shop days are read from daily rollups instead of the order
// rows: totals per day (analytics_days), line sales per day and product
// and per day and category, the customers of each day, and each
// customer's first and second counted orders (for new and repeat
// customers). A day is read from them only when it is rolled up and no
// change is pending for it; today, a range's cut ends and changed days are
// read raw, so the figures are the same either way (tests compare both
// with aggregates computed in Go).
//
// Order writers keep them exact by calling MarkDirty in the transaction of
// every change (see its contract); the refresh job (Refresh, every minute)
// recomputes the changed days and customers from the raw rows and rolls
// up each day once it is past. The demo rolls up its whole history with a
// few set-based statements (Rebuild).
package analytics

import (
	"time"

	"storeops/internal/platform"
	"storeops/internal/strategy"
)

// Range is a half-open interval of instants [From, To), in UTC.
type Range struct {
	From, To time.Time
}

// DayRange is the range of whole shop-zone days first..last (civil days
// as strategy.DayOf returns them), inclusive.
func DayRange(first, last time.Time) Range {
	return Range{From: strategy.DayStart(first), To: strategy.DayStart(last.AddDate(0, 0, 1))}
}

// Days lists the shop-zone civil days the range touches, in order.
func (r Range) Days() []time.Time {
	var out []time.Time
	if !r.From.Before(r.To) {
		return out
	}
	last := strategy.DayOf(r.To.Add(-time.Nanosecond))
	for d := strategy.DayOf(r.From); !d.After(last); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// Shift moves the range by whole calendar days in the shop's zone, keeping
// the local times of day of both ends.
func (r Range) Shift(years, months, days int) Range {
	z := platform.ShopZone
	return Range{From: r.From.In(z).AddDate(years, months, days).UTC(), To: r.To.In(z).AddDate(years, months, days).UTC()}
}

// Previous is the range of the same number of days right before r, ending
// at the same local time of day (so "today until 15:00" compares with
// "yesterday until 15:00").
func (r Range) Previous() Range {
	n := len(r.Days())
	return r.Shift(0, 0, -n)
}

// YearAgo is the same calendar days one year earlier (29 February maps
// to 1 March).
func (r Range) YearAgo() Range { return r.Shift(-1, 0, 0) }

// Figures are the totals of one range (see the package doc).
type Figures struct {
	GMV          platform.Money
	Orders       int64
	Cost         platform.Money
	Refunds      platform.Money
	Customers    int64
	NewCustomers int64
	// RepeatCustomers have at least two counted orders placed before the
	// range's end.
	RepeatCustomers int64
}

// AOV is GMV / orders in fen, rounded half up; 0 without orders.
func (f Figures) AOV() platform.Money {
	if f.Orders == 0 {
		return 0
	}
	return platform.Money(mulDiv(int64(f.GMV), 1, f.Orders))
}

// GrossProfit is GMV − cost − refunds.
func (f Figures) GrossProfit() platform.Money { return f.GMV - f.Cost - f.Refunds }

// MarginBP is gross profit / GMV in basis points (0 without GMV).
func (f Figures) MarginBP() int64 { return RatioBP(int64(f.GrossProfit()), int64(f.GMV)) }

// RefundRateBP is refunds / GMV in basis points (0 without GMV).
func (f Figures) RefundRateBP() int64 { return RatioBP(int64(f.Refunds), int64(f.GMV)) }

// ReturningCustomers are the range's customers who had bought before.
func (f Figures) ReturningCustomers() int64 { return f.Customers - f.NewCustomers }

// RepeatRateBP is repeat customers / customers in basis points.
func (f Figures) RepeatRateBP() int64 { return RatioBP(f.RepeatCustomers, f.Customers) }

// Day is one shop-zone day's order totals.
type Day struct {
	Day     time.Time // civil day (strategy.DayOf)
	GMV     platform.Money
	Orders  int64
	Cost    platform.Money
	Refunds platform.Money
}

// GrossProfit is the day's GMV − cost − refunds.
func (d Day) GrossProfit() platform.Money { return d.GMV - d.Cost - d.Refunds }

// ProductSales is one product's line sales in a range.
type ProductSales struct {
	ProductID platform.ID
	Title     string
	Quantity  int64
	Orders    int64
	Sales     platform.Money
	ShareBP   int64
}

// CategorySales is one category's line sales in a range.
type CategorySales struct {
	CategoryID platform.ID
	Name       string
	Quantity   int64
	Orders     int64
	Sales      platform.Money
	ShareBP    int64
}

// DeltaBP is (cur − base) / base in basis points; ok is false when base is
// 0 (no meaningful percentage).
func DeltaBP(cur, base int64) (bp int64, ok bool) {
	if base == 0 {
		return 0, false
	}
	return mulDiv(cur-base, 10000, abs(base)), true
}

// RatioBP is num / den in basis points, rounded half away from zero; 0
// when den is 0.
func RatioBP(num, den int64) int64 {
	if den == 0 {
		return 0
	}
	return mulDiv(num, 10000, den)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// mulDiv is a×b/c rounded half away from zero. The product must fit in
// int64 (a ratio of amounts below ¥9.2 trillion does).
func mulDiv(a, b, c int64) int64 {
	n := a * b
	q, r := n/c, n%c
	if 2*abs(r) >= abs(c) {
		if (n < 0) != (c < 0) {
			q--
		} else {
			q++
		}
	}
	return q
}

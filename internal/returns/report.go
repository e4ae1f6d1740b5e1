package returns

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// Report counts after-sale requests by reason over time and by product,
// so the shop sees what to fix: a product with many quality claims, a
// size chart that misleads, a carrier that breaks parcels. Cancelled
// requests are left out (the shopper changed their mind about asking).
type Report struct {
	From  string `json:"from"` // first day, shop time zone
	To    string `json:"to"`   // last day, inclusive
	Total int    `json:"total"`
	// ByReason is every reason's count, most first.
	ByReason []ReasonCount `json:"by_reason"`
	// Weeks are the weeks (starting Monday) with each reason's count.
	Weeks []WeekCount `json:"weeks"`
	// Products are the products most asked about, with their reasons.
	Products []ProductCount `json:"products"`
}

// ReasonCount is one reason's requests and units.
type ReasonCount struct {
	Reason   Reason `json:"reason"`
	Requests int    `json:"requests"`
	Units    int    `json:"units"`
}

// WeekCount is one week's requests per reason.
type WeekCount struct {
	Week     string         `json:"week"` // its Monday, YYYY-MM-DD
	Total    int            `json:"total"`
	ByReason map[Reason]int `json:"by_reason"`
}

// ProductCount is one product's requests and units per reason.
type ProductCount struct {
	ProductID platform.ID    `json:"product_id"`
	Title     string         `json:"title"`
	Requests  int            `json:"requests"`
	Units     int            `json:"units"`
	ByReason  map[Reason]int `json:"by_reason"`
	// Top is the reason named most for the product.
	Top Reason `json:"top_reason"`
}

// maxReportDays bounds a report's range; topProducts its product list.
const (
	maxReportDays = 400
	topProducts   = 20
)

// reportQuery documents the report's parameters.
var reportQuery = []web.QueryParam{
	{Name: "from", Description: "first day (YYYY-MM-DD, shop time zone); default 12 weeks ago"},
	{Name: "to", Description: "last day, inclusive; default today"},
}

// reportRange reads from and to (shop days), defaulting to the last 12
// weeks up to today.
func reportRange(r *http.Request, now time.Time) (time.Time, time.Time, error) {
	today := now.In(platform.ShopZone)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, platform.ShopZone)
	from, to := today.AddDate(0, 0, -83), today
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(name); v != "" {
			d, err := time.ParseInLocation(time.DateOnly, v, platform.ShopZone)
			if err != nil {
				return from, to, platform.Invalid(name, "field.invalid")
			}
			*dst = d
		}
	}
	if to.Before(from) || to.Sub(from) > maxReportDays*24*time.Hour {
		return from, to, platform.Invalid("to", "returns.field.range", maxReportDays)
	}
	return from, to, nil
}

// BuildReport counts the requests made from the first day to the last
// (inclusive, shop days).
func BuildReport(ctx context.Context, q store.Querier, from, to time.Time) (Report, error) {
	rep := Report{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly)}
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.created_at, r.reason, rl.product_id, l.title, rl.qty
		FROM returns r JOIN return_lines rl ON rl.return_id = r.id JOIN order_lines l ON l.id = rl.order_line_id
		WHERE r.created_at >= $1 AND r.created_at < $2 AND r.status <> 'cancelled' ORDER BY r.id`,
		store.Time(from), store.Time(to.AddDate(0, 0, 1)))
	if err != nil {
		return rep, fmt.Errorf("returns: report: %w", err)
	}
	defer rows.Close()
	reasons := map[Reason]*ReasonCount{}
	weeks := map[string]*WeekCount{}
	products := map[platform.ID]*ProductCount{}
	seen := map[platform.ID]bool{}
	type pr struct {
		p platform.ID
		r platform.ID
	}
	seenProduct := map[pr]bool{}
	for rows.Next() {
		var (
			id, product platform.ID
			at          time.Time
			reason      Reason
			title       string
			qty         int
		)
		if err := rows.Scan(&id, &at, &reason, &product, &title, &qty); err != nil {
			return rep, fmt.Errorf("returns: report: %w", err)
		}
		rc := reasons[reason]
		if rc == nil {
			rc = &ReasonCount{Reason: reason}
			reasons[reason] = rc
		}
		rc.Units += qty
		if !seen[id] {
			seen[id] = true
			rep.Total++
			rc.Requests++
			day := at.In(platform.ShopZone)
			monday := time.Date(day.Year(), day.Month(), day.Day()-(int(day.Weekday())+6)%7, 0, 0, 0, 0, platform.ShopZone).Format(time.DateOnly)
			wc := weeks[monday]
			if wc == nil {
				wc = &WeekCount{Week: monday, ByReason: map[Reason]int{}}
				weeks[monday] = wc
			}
			wc.Total++
			wc.ByReason[reason]++
		}
		pc := products[product]
		if pc == nil {
			pc = &ProductCount{ProductID: product, Title: title, ByReason: map[Reason]int{}}
			products[product] = pc
		}
		pc.Units += qty
		if !seenProduct[pr{product, id}] {
			seenProduct[pr{product, id}] = true
			pc.Requests++
			pc.ByReason[reason]++
		}
	}
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("returns: report: %w", err)
	}
	for _, rc := range reasons {
		rep.ByReason = append(rep.ByReason, *rc)
	}
	sort.Slice(rep.ByReason, func(i, j int) bool {
		a, b := rep.ByReason[i], rep.ByReason[j]
		return a.Requests > b.Requests || a.Requests == b.Requests && a.Reason < b.Reason
	})
	for _, wc := range weeks {
		rep.Weeks = append(rep.Weeks, *wc)
	}
	sort.Slice(rep.Weeks, func(i, j int) bool { return rep.Weeks[i].Week < rep.Weeks[j].Week })
	for _, pc := range products {
		best := 0
		for _, r := range Reasons {
			if n := pc.ByReason[r]; n > best {
				best, pc.Top = n, r
			}
		}
		rep.Products = append(rep.Products, *pc)
	}
	sort.Slice(rep.Products, func(i, j int) bool {
		a, b := rep.Products[i], rep.Products[j]
		return a.Requests > b.Requests || a.Requests == b.Requests && a.ProductID < b.ProductID
	})
	if len(rep.Products) > topProducts {
		rep.Products = rep.Products[:topProducts]
	}
	if rep.ByReason == nil {
		rep.ByReason = []ReasonCount{}
	}
	if rep.Weeks == nil {
		rep.Weeks = []WeekCount{}
	}
	if rep.Products == nil {
		rep.Products = []ProductCount{}
	}
	return rep, nil
}

func (h *handlers) adminReport(w http.ResponseWriter, r *http.Request) error {
	from, to, err := reportRange(r, h.db.Clock.Now())
	if err != nil {
		return err
	}
	rep, err := BuildReport(r.Context(), h.db.R, from, to)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, rep)
}

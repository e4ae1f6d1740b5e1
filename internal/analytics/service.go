package analytics

import (
	"context"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/strategy"
)

// Service computes figures from the order tables. Each exported method
// reads in one transaction, so its figures come from one snapshot.
type Service struct {
	DB      *store.DB
	Targets *strategy.Service
}

// Figures are the totals of range r.
func (s *Service) Figures(ctx context.Context, r Range) (Figures, error) {
	var f Figures
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		f, _, err = figures(ctx, tx, r)
		return err
	})
	return f, err
}

// Daily lists r's totals per shop-zone day, zero days included.
func (s *Service) Daily(ctx context.Context, r Range) ([]Day, error) {
	var out []Day
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = daily(ctx, tx, r)
		return err
	})
	return out, err
}

// figures sums the daily totals of r and counts its customers; it returns
// the days too.
func figures(ctx context.Context, tx *store.Tx, r Range) (Figures, []Day, error) {
	p, err := planRange(ctx, tx, r)
	if err != nil {
		return Figures{}, nil, err
	}
	days, err := dailyOf(ctx, tx, r, p)
	if err != nil {
		return Figures{}, nil, err
	}
	var f Figures
	for _, d := range days {
		f.GMV += d.GMV
		f.Orders += d.Orders
		f.Cost += d.Cost
		f.Refunds += d.Refunds
	}
	f.Customers, f.NewCustomers, f.RepeatCustomers, err = customers(ctx, tx, r, p)
	return f, days, err
}

// Overview is everything the Overview page shows for one range.
type Overview struct {
	Range, Prev, YoY       Range
	Cur, PrevF, YoYF       Figures
	Daily, PrevDaily, YoYD []Day
	TopProducts            []ProductSales
	TopCategories          []CategorySales
}

// Overview computes r's figures with its previous period and the same
// period last year, and the top products and categories (top of each).
func (s *Service) Overview(ctx context.Context, r Range, lang platform.Lang, top int) (Overview, error) {
	o := Overview{Range: r, Prev: r.Previous(), YoY: r.YearAgo()}
	err := s.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		if o.Cur, o.Daily, err = figures(ctx, tx, o.Range); err != nil {
			return err
		}
		if o.PrevF, o.PrevDaily, err = figures(ctx, tx, o.Prev); err != nil {
			return err
		}
		if o.YoYF, o.YoYD, err = figures(ctx, tx, o.YoY); err != nil {
			return err
		}
		p, err := planRange(ctx, tx, r)
		if err != nil {
			return err
		}
		products, categories, all, err := lineSales(ctx, tx, r, p, top)
		if err != nil {
			return err
		}
		if o.TopProducts, err = topProducts(ctx, tx, products, all); err != nil {
			return err
		}
		o.TopCategories, err = topCategories(ctx, tx, categories, all, lang)
		return err
	})
	return o, err
}

// TargetProgress measures the targets of the month and the quarter that
// contain now (see strategy.Evaluate), month first.
func (s *Service) TargetProgress(ctx context.Context, now time.Time) ([]strategy.Progress, error) {
	periods := []strategy.Period{strategy.PeriodOf(strategy.Month, now), strategy.PeriodOf(strategy.Quarter, now)}
	targets, err := s.Targets.Targets(ctx, periods...)
	if err != nil || len(targets) == 0 {
		return nil, err
	}
	var out []strategy.Progress
	err = s.DB.Read(ctx, func(tx *store.Tx) error {
		for _, p := range periods {
			var mine []strategy.Target
			for _, t := range targets {
				if t.Period == p {
					mine = append(mine, t)
				}
			}
			if len(mine) == 0 {
				continue
			}
			a, err := actuals(ctx, tx, p, now)
			if err != nil {
				return err
			}
			for _, t := range mine {
				out = append(out, strategy.Evaluate(t, now, a[t.Metric]))
			}
		}
		return nil
	})
	return out, err
}

// actuals gathers what strategy.Evaluate needs for period p at now, per
// metric: the figures from the period's start to now, and the daily
// series of the 14 days before today and of last year's matching days.
func actuals(ctx context.Context, tx *store.Tx, p strategy.Period, now time.Time) (map[strategy.Metric]strategy.Actuals, error) {
	toDate := Range{From: p.From(), To: p.To()}
	if now.Before(toDate.To) {
		toDate.To = now
	}
	if toDate.To.Before(toDate.From) {
		toDate.To = toDate.From
	}
	f, _, err := figures(ctx, tx, toDate)
	if err != nil {
		return nil, err
	}
	today := strategy.DayOf(now)
	first := today.AddDate(0, 0, -strategy.RunRateDays)
	recent, err := daily(ctx, tx, DayRange(first, today.AddDate(0, 0, -1)))
	if err != nil {
		return nil, err
	}
	lastYear, err := daily(ctx, tx, DayRange(first.AddDate(-1, 0, 0), p.End().AddDate(-1, 0, -1)))
	if err != nil {
		return nil, err
	}
	gmv, gp := map[time.Time]int64{}, map[time.Time]int64{}
	for _, d := range append(recent, lastYear...) {
		gmv[d.Day] = int64(d.GMV)
		gp[d.Day] = int64(d.GrossProfit())
	}
	return map[strategy.Metric]strategy.Actuals{
		strategy.GMV:         {ToDate: int64(f.GMV), Daily: gmv},
		strategy.GrossProfit: {ToDate: int64(f.GrossProfit()), Daily: gp},
		strategy.RepeatRate:  {ToDate: f.RepeatRateBP()},
	}, nil
}

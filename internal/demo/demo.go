// Package demo generates the demo shop: a believable Chinese online shop
// with 25 months of history, deterministic for a seed and as-of day (same
// rows, same ids, same values).
//
// What it makes: eight top categories (生鲜 with chilled and frozen goods,
// 服饰 with 颜色/尺码 SKUs, 数码, 美妆, 食品, 家居, 母婴, 图书) with brands,
// products, SKUs and drawn JPEG images; warehouses with stock for every
// SKU; customers in all 31 provinces; orders with lines, payments,
// refunds and status history following 618, 双11, 双12, the 春节 lull,
// weekends, evening hours and year-on-year growth; and visit sessions and
// events for the most recent days, each order linked to the session it
// was placed in.
//
// How steps plug in: each domain fills the Demo field of its Module with a
// module.DemoStep (catalog 10, inventory 20, customers 30, orders 40,
// traffic 50). Generate runs them in Order on one module.DemoEnv whose
// Shop (demokit.Shop) carries what earlier steps made (categories, SKUs,
// customers) and the shared order plan; every step draws its randomness
// and ids from the Shop, never from the clock, which is what makes the
// shop reproducible. Steps write with store.Loader (multi-row INSERT on
// SQLite, COPY on PostgreSQL) in large transactions. A later domain
// (reviews, tickets, suppliers) adds a step with a higher Order and reads
// the Shop; "--replace" runs every step with Clear set, in reverse order,
// before generating.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"slices"
	"time"

	"github.com/schollz/progressbar/v3"

	"storeops/internal/demo/demokit"
	"storeops/internal/module"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// Options say which shop to make.
type Options struct {
	Seed  int64
	Scale float64
	// AsOf is the last day of the history (its date in the shop zone).
	AsOf time.Time
	// Replace deletes the demo domains' rows first; without it a database
	// that holds products, customers or orders is refused.
	Replace bool
	// Progress receives a progress bar; nil shows none.
	Progress io.Writer
	Log      *slog.Logger
}

// Summary is what was made.
type Summary struct {
	Seed      int64
	Scale     float64
	Orders    int
	Customers int
	Products  int
	SKUs      int
	Elapsed   time.Duration
}

// String is the line printed after a run.
func (s Summary) String() string {
	return fmt.Sprintf("demo shop: %s orders over %d months (seed %d)", thousands(s.Orders), demokit.Months, s.Seed)
}

// ErrNotEmpty is returned when the database already holds shop data and
// Replace is not set.
var ErrNotEmpty = errors.New("demo: the database already has products, customers or orders; run with --replace to delete the catalog, inventory, customers, orders and traffic and generate the demo shop in their place")

// Steps gathers the demo steps of mods in the order they run.
func Steps(mods []*module.Module) []module.DemoStep {
	var steps []module.DemoStep
	for _, m := range mods {
		steps = append(steps, m.Demo...)
	}
	slices.SortStableFunc(steps, func(a, b module.DemoStep) int { return a.Order - b.Order })
	return steps
}

// Generate builds the demo shop with steps (see Steps).
func Generate(ctx context.Context, db *store.DB, steps []module.DemoStep, opt Options) (sum Summary, err error) {
	if opt.Scale <= 0 {
		return Summary{}, fmt.Errorf("demo: scale must be above 0, not %v", opt.Scale)
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.AsOf.IsZero() {
		opt.AsOf = time.Now().In(platform.ShopZone)
	}
	slices.SortStableFunc(steps, func(a, b module.DemoStep) int { return a.Order - b.Order })
	// Generation allocates many short-lived rows; collecting less often
	// saves a fifth of the CPU, and chunking keeps the heap small anyway.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	start := time.Now()
	has, err := HasData(ctx, db)
	if err != nil {
		return Summary{}, err
	}
	if has && !opt.Replace {
		return Summary{}, ErrNotEmpty
	}
	restore, err := loadSettings(ctx, db)
	if err != nil {
		return Summary{}, err
	}
	defer func() {
		if rerr := restore(); rerr != nil && err == nil {
			sum, err = Summary{}, rerr
		}
	}()
	env := &module.DemoEnv{DB: db, Seed: opt.Seed, Scale: opt.Scale, AsOf: opt.AsOf.In(platform.ShopZone).Format(time.DateOnly), Log: opt.Log}
	if has {
		// Clear while the indexes still stand: deleting orders checks
		// each one against its lines, payments and transitions, which
		// without their order_id indexes is a scan per row.
		env.Clear = true
		env.Shop = demokit.NewShop(opt.Seed, opt.Scale, opt.AsOf)
		for i := len(steps) - 1; i >= 0; i-- {
			if err := steps[i].Run(ctx, env); err != nil {
				return Summary{}, fmt.Errorf("demo: clear %s: %w", steps[i].Name, err)
			}
		}
	}
	idx, err := dropIndexes(ctx, db)
	if err != nil {
		return Summary{}, err
	}
	defer func() {
		t := time.Now()
		if rerr := restoreIndexes(context.WithoutCancel(ctx), db, idx); rerr != nil {
			sum, err = Summary{}, errors.Join(err, rerr)
			return
		}
		opt.Log.Debug("demo indexes", "indexes", len(idx), "took", time.Since(t))
		sum.Elapsed = time.Since(start)
	}()
	env.Clear = false
	shop := demokit.NewShop(opt.Seed, opt.Scale, opt.AsOf)
	bar := &bar{w: opt.Progress}
	shop.Progress = bar
	env.Shop = shop
	for _, s := range steps {
		t := time.Now()
		if err := s.Run(ctx, env); err != nil {
			bar.finish()
			return Summary{}, fmt.Errorf("demo: %s: %w", s.Name, err)
		}
		opt.Log.Debug("demo step", "step", s.Name, "took", time.Since(t))
	}
	bar.finish()
	return Summary{Seed: opt.Seed, Scale: opt.Scale, Orders: shop.Orders, Customers: len(shop.Customers), Products: len(shop.Products),
		SKUs: len(shop.SKUs), Elapsed: time.Since(start)}, nil
}

// HasData reports whether the shop holds products, customers or orders.
func HasData(ctx context.Context, db *store.DB) (bool, error) {
	var has bool
	err := db.R.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM products) OR EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM orders)`).Scan(&has)
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	return has, nil
}

// bar shows one progress bar per step on w (nothing when w is nil).
type bar struct {
	w   io.Writer
	cur *progressbar.ProgressBar
}

func (b *bar) Start(step string, total int64) {
	if b.w == nil {
		return
	}
	b.finish()
	b.cur = progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(b.w),
		progressbar.OptionSetDescription(fmt.Sprintf("%-10s", step)),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(b.w) }),
	)
}

func (b *bar) Add(n int64) {
	if b.cur != nil {
		_ = b.cur.Add64(n)
	}
}

func (b *bar) finish() {
	if b.cur != nil {
		_ = b.cur.Finish()
		b.cur = nil
	}
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

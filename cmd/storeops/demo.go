package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"golang.org/x/term"

	"storeops/internal/app"
	"storeops/internal/demo"
	"storeops/internal/platform"
)

func init() {
	register(command{name: "demo", summary: "generate the demo shop (deterministic for --seed and --as-of)", run: demoCmd})
}

func demoCmd(ctx context.Context, g *globals, args []string) error {
	var scale float64
	var seed int64
	var asOf string
	var replace bool
	var cpuProfile string
	err := parse(g, "demo", args, func(fs *flag.FlagSet) {
		fs.Float64Var(&scale, "scale", 1, "size: 0.1 is a tiny shop (~5,000 orders), 1 about 50,000 orders, 20 about a million")
		fs.Int64Var(&seed, "seed", 1, "random seed: the same seed and --as-of give the same shop")
		fs.StringVar(&asOf, "as-of", "", "last day of the 25-month history, YYYY-MM-DD (default today in Asia/Shanghai)")
		fs.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the generation to this file (for profiling the generator)")
		fs.BoolVar(&replace, "replace", false, "delete the catalog, inventory, customers, orders and traffic first (refused without it when the shop has data)")
	})
	if err != nil {
		return err
	}
	day := time.Now().In(platform.ShopZone)
	if asOf != "" {
		if day, err = time.ParseInLocation(time.DateOnly, asOf, platform.ShopZone); err != nil {
			return fmt.Errorf("--as-of must be YYYY-MM-DD: %w", err)
		}
	}
	a, err := app.Open(ctx, app.Config{DB: g.db, Log: g.log, Dev: g.dev, InsertOnly: true})
	if err != nil {
		return err
	}
	defer a.Close()
	// The bar goes to stderr, and only when a person watches it.
	var progress io.Writer
	if term.IsTerminal(int(os.Stderr.Fd())) {
		progress = os.Stderr
	}
	if replace {
		fmt.Fprintln(g.stdout, "demo: --replace deletes the catalog, inventory, customers, orders and traffic before generating")
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	sum, err := demo.Generate(ctx, a.DB, demo.Steps(a.Modules), demo.Options{Seed: seed, Scale: scale, AsOf: day, Replace: replace, Progress: progress, Log: g.log})
	if errors.Is(err, demo.ErrNotEmpty) {
		return fmt.Errorf("%w (nothing was changed)", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "%s: %d customers, %d products, %d SKUs in %s (%.0f orders/s)\n", sum, sum.Customers, sum.Products, sum.SKUs,
		sum.Elapsed.Round(time.Millisecond), float64(sum.Orders)/sum.Elapsed.Seconds())
	return nil
}

// Command storeops runs the shop: storefront, JSON API, operations console
// and background jobs in one process, plus the operations a shop owner
// scripts (migrate, user, token, backup, restore).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, g *globals, args []string) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// globals are the flags every subcommand shares. Each flag defaults to its
// STOREOPS_* environment variable.
type globals struct {
	db        string
	logFormat string
	logLevel  string
	dev       bool
	log       *slog.Logger
	stdout    io.Writer
}

func (g *globals) bind(fs *flag.FlagSet) {
	fs.StringVar(&g.db, "db", envOr("STOREOPS_DB", "sqlite:./storeops-data/storeops.db"), "database: sqlite:PATH or postgres://… (STOREOPS_DB)")
	fs.StringVar(&g.logFormat, "log-format", envOr("STOREOPS_LOG_FORMAT", "text"), "log format: text or json (STOREOPS_LOG_FORMAT)")
	fs.StringVar(&g.logLevel, "log-level", envOr("STOREOPS_LOG_LEVEL", "info"), "log level: debug, info, warn, error (STOREOPS_LOG_LEVEL)")
	fs.BoolVar(&g.dev, "dev", envOr("STOREOPS_DEV", "") == "1", "development mode: cheap password hashing (STOREOPS_DEV=1)")
}

func (g *globals) setup() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch g.logFormat {
	case "text":
		g.log = slog.New(slog.NewTextHandler(os.Stderr, opts))
	case "json":
		g.log = slog.New(slog.NewJSONHandler(os.Stderr, opts))
	default:
		return fmt.Errorf("--log-format must be text or json, not %q", g.logFormat)
	}
	slog.SetDefault(g.log)
	return nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "storeops:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
		// Two-word commands: "user add", "token create".
		if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			if _, ok := commands[name+" "+args[0]]; ok {
				name, args = name+" "+args[0], args[1:]
			}
		}
	}
	if name == "help" {
		usage(stdout)
		return nil
	}
	c, ok := commands[name]
	if !ok {
		usage(os.Stderr)
		return fmt.Errorf("unknown command %q", name)
	}
	g := &globals{stdout: stdout}
	return c.run(ctx, g, args)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: storeops [command] [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nrun 'storeops COMMAND -h' for a command's flags")
}

// parse binds the global flags plus the command's own and parses args.
// Precedence: a flag on the command line, then its STOREOPS_* variable
// (already the flag's default), then the --config file, then the default.
func parse(g *globals, name string, args []string, own func(fs *flag.FlagSet)) error {
	fs := flag.NewFlagSet("storeops "+name, flag.ContinueOnError)
	g.bind(fs)
	config := fs.String("config", os.Getenv("STOREOPS_CONFIG"), "optional file of `name = value` lines, one per flag (STOREOPS_CONFIG)")
	if own != nil {
		own(fs)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if *config != "" {
		if err := applyConfigFile(fs, *config); err != nil {
			return err
		}
	}
	return g.setup()
}

// applyConfigFile sets each flag named in the file unless the command line
// or the environment already set it. Blank lines and # comments are
// skipped; an unknown name is an error, so a typo never passes silently.
func applyConfigFile(fs *flag.FlagSet, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("--config: %w", err)
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("--config %s:%d: want name = value", path, i+1)
		}
		k, v = strings.TrimSpace(k), strings.Trim(strings.TrimSpace(v), `"`)
		f := fs.Lookup(k)
		if f == nil || k == "config" {
			return fmt.Errorf("--config %s:%d: unknown setting %q", path, i+1, k)
		}
		envName := "STOREOPS_" + strings.ToUpper(strings.ReplaceAll(k, "-", "_"))
		if explicit[k] || os.Getenv(envName) != "" {
			continue
		}
		if err := f.Value.Set(v); err != nil {
			return fmt.Errorf("--config %s:%d: %s: %w", path, i+1, k, err)
		}
	}
	return nil
}

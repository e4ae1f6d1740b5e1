package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"storeops/internal/app"
	"storeops/internal/module"
	"storeops/internal/web"
)

func init() {
	register(command{name: "serve", summary: "serve the storefront, API and console, and run background jobs (default)", run: serve})
	register(command{name: "migrate", summary: "apply pending database migrations and exit", run: migrate})
}

func serve(ctx context.Context, g *globals, args []string) error {
	addr := envOr("STOREOPS_ADDR", ":8080")
	var shutdown time.Duration
	var secure bool
	proxies := envOr("STOREOPS_TRUSTED_PROXIES", "")
	smtp := module.SMTP{Host: envOr("STOREOPS_SMTP_HOST", ""), Username: envOr("STOREOPS_SMTP_USER", ""),
		Password: envOr("STOREOPS_SMTP_PASSWORD", ""), From: envOr("STOREOPS_SMTP_FROM", ""), TLS: envOr("STOREOPS_SMTP_TLS", "starttls")}
	smtpPort, _ := strconv.Atoi(envOr("STOREOPS_SMTP_PORT", "587"))
	err := parse(g, "serve", args, func(fs *flag.FlagSet) {
		fs.StringVar(&addr, "addr", addr, "listen address (STOREOPS_ADDR)")
		fs.DurationVar(&shutdown, "shutdown-timeout", 20*time.Second, "how long to drain requests and jobs on SIGTERM")
		fs.StringVar(&proxies, "trusted-proxies", proxies, "comma-separated CIDRs of load balancers whose X-Forwarded-For names the client (STOREOPS_TRUSTED_PROXIES)")
		fs.StringVar(&smtp.Host, "smtp-host", smtp.Host, "outgoing mail server; empty logs mail instead of sending it (STOREOPS_SMTP_HOST)")
		fs.IntVar(&smtpPort, "smtp-port", smtpPort, "outgoing mail server port (STOREOPS_SMTP_PORT)")
		fs.StringVar(&smtp.Username, "smtp-user", smtp.Username, "SMTP user name (STOREOPS_SMTP_USER)")
		fs.StringVar(&smtp.Password, "smtp-password", smtp.Password, "SMTP password (STOREOPS_SMTP_PASSWORD)")
		fs.StringVar(&smtp.From, "smtp-from", smtp.From, "sender address of the shop's email (STOREOPS_SMTP_FROM)")
		fs.StringVar(&smtp.TLS, "smtp-tls", smtp.TLS, "starttls, tls (implicit, port 465) or none (STOREOPS_SMTP_TLS)")
		fs.BoolVar(&secure, "secure-cookies", envOr("STOREOPS_SECURE_COOKIES", "") == "1", "mark cookies Secure (serve behind HTTPS)")
	})
	if err != nil {
		return err
	}
	smtp.Port = smtpPort
	trusted, err := web.ParsePrefixes(proxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	firstRun := isFirstRun(g.db)
	a, err := app.Open(ctx, app.Config{DB: g.db, Addr: addr, Log: g.log, Dev: g.dev, Secure: secure, ShutdownTimeout: shutdown, FirstRunDemo: firstRun, TrustedProxies: trusted, SMTP: smtp})
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := baseURL(ln.Addr().String())
	if firstRun {
		fmt.Fprintf(g.stdout, "storeops: created %s; building the demo shop (a few seconds)…\n", strings.TrimPrefix(g.db, "sqlite:"))
	}
	// First-run work (the owner, the demo shop) before the URLs, so the
	// shop is ready when the person opens them.
	login, err := a.EnsureOwner(ctx)
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "storefront: %s/\nconsole:    %s/console\n", base, base)
	if login != "" {
		fmt.Fprintf(g.stdout, "%s\n", login)
	}
	g.log.Info("serving", "addr", ln.Addr().String(), "db", a.DB.Dialect)
	err = a.Serve(ctx, ln)
	a.Stop(context.Background())
	return err
}

func migrate(ctx context.Context, g *globals, args []string) error {
	if err := parse(g, "migrate", args, nil); err != nil {
		return err
	}
	a, err := app.Open(ctx, app.Config{DB: g.db, Log: g.log})
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintln(g.stdout, "migrations applied")
	return nil
}

// isFirstRun reports whether a SQLite database file does not exist yet.
func isFirstRun(spec string) bool {
	if !strings.HasPrefix(spec, "sqlite:") {
		return false
	}
	_, err := os.Stat(filepath.Clean(strings.TrimPrefix(spec, "sqlite:")))
	return os.IsNotExist(err)
}

// baseURL turns a listen address into a URL a person can open.
func baseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
